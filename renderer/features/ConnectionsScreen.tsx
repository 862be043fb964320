import { AlertTriangle, Cloud, FileUp, Plus } from 'lucide-react';
import { useState } from 'react';
import { THIS_COMPUTER } from '../../src/shared/contract/models.js';
import { DialogFrame } from '../components/DialogFrame.js';
import { TestOutcomeView } from '../components/ServerReport.js';
import type { Dialog } from '../stores/ui.js';
import { ConnectionForm } from './connections/ConnectionForm.js';
import { SalesforceSignIn } from './connections/SalesforceSignIn.js';
import { SiteImport } from './connections/SiteImport.js';
import styles from './ConnectionsScreen.module.css';
import { useSlice, useStores } from './StoresContext.js';

const KIND_WORDS = { local: 'Folder', ftp: 'FTP', sftp: 'SFTP', salesforce: 'Salesforce' } as const;

/** The one form open above the list, if any. */
type Panel = { readonly kind: 'new' } | { readonly kind: 'edit'; readonly name: string } | { readonly kind: 'import' } | { readonly kind: 'salesforce'; readonly name?: string };

export function RemoveConnectionDialog({ dialog }: { readonly dialog: Extract<Dialog, { kind: 'removeConnection' }> }) {
  const { connections, ui } = useStores();
  return (
    <DialogFrame
      title={`Remove ${dialog.name}?`}
      onClose={() => ui.getState().closeDialog()}
      error={dialog.error}
      actions={
        <>
          <button type="button" className="button" autoFocus onClick={() => ui.getState().closeDialog()}>
            Keep
          </button>
          <button
            type="button"
            className="button danger"
            onClick={() =>
              void connections
                .getState()
                .remove(dialog.name)
                .then((answer) => (answer.ok ? ui.getState().closeDialog() : ui.getState().updateDialog('removeConnection', (d) => ({ ...d, error: answer.error.message }))))
            }
          >
            Remove
          </button>
        </>
      }
    >
      <p>Ferry forgets this server and its password. Files on the server stay where they are.</p>
    </DialogFrame>
  );
}

/** The site manager: every saved server, how to reach it, whether it answers, and what it can do. */
export function ConnectionsScreen() {
  const { connections, ui } = useStores();
  const all = useSlice(connections, (s) => s.connections);
  const list = all.filter((c) => c.name !== THIS_COMPUTER);
  const outcomes = useSlice(connections, (s) => s.outcomes);
  const problems = useSlice(connections, (s) => s.problems);
  const loadError = useSlice(connections, (s) => s.error);
  const [panel, setPanel] = useState<Panel | undefined>(undefined);
  const [testing, setTesting] = useState<string | undefined>(undefined);
  const [testErrors, setTestErrors] = useState<ReadonlyMap<string, string>>(new Map());

  const test = async (name: string): Promise<void> => {
    setTesting(name);
    const answer = await connections.getState().test(name);
    setTesting(undefined);
    const errors = new Map(testErrors);
    if (answer.ok) errors.delete(name);
    else errors.set(name, answer.error.message);
    setTestErrors(errors);
  };
  const close = (): void => setPanel(undefined);

  return (
    <div className={styles.screen}>
      <header className={styles.header}>
        <h1 className={styles.h1}>Connections</h1>
        {panel === undefined && (
          <div className={styles.headerActions}>
            <button type="button" className="button" onClick={() => setPanel({ kind: 'import' })}>
              <FileUp aria-hidden size={16} /> Import sites
            </button>
            <button type="button" className="button" onClick={() => setPanel({ kind: 'salesforce' })}>
              <Cloud aria-hidden size={16} /> Sign in to Salesforce
            </button>
            <button type="button" className="button primary" onClick={() => setPanel({ kind: 'new' })}>
              <Plus aria-hidden size={16} /> New connection
            </button>
          </div>
        )}
      </header>
      {loadError !== undefined && (
        <p role="alert" className={styles.error}>
          {loadError}
        </p>
      )}
      {panel?.kind === 'new' && <ConnectionForm onDone={close} />}
      {panel?.kind === 'edit' && <ConnectionForm key={panel.name} editing={panel.name} onDone={close} />}
      {panel?.kind === 'salesforce' && <SalesforceSignIn {...(panel.name === undefined ? {} : { initialName: panel.name })} onDone={close} />}
      {panel?.kind === 'import' && (
        <SiteImport
          onDone={(message) => {
            close();
            if (message !== '') ui.getState().notify(message);
          }}
        />
      )}
      {list.length === 0 ? (
        <p className={styles.empty}>No servers yet. Add your partner’s FTP or SFTP server with New connection, or import your sites from FileZilla or WinSCP; this computer’s disks are always there.</p>
      ) : (
        <ul className={styles.list} aria-label="Saved connections">
          {list.map((c) => {
            const outcome = outcomes.get(c.name);
            const testError = testErrors.get(c.name);
            const problem = problems.get(c.name);
            return (
              <li key={c.name} className={styles.item}>
                <div className={styles.itemRow}>
                  <span className={styles.kind}>{KIND_WORDS[c.kind]}</span>
                  <div className={styles.itemText}>
                    <span className={styles.name}>{c.name}</span>
                    <span className={styles.location}>
                      {c.location}
                      {c.kind === 'salesforce' ? (c.sdrive ? ' · S-Drive' : ' · Salesforce Files') : ''}
                    </span>
                  </div>
                  {problem !== undefined && outcome === undefined && (
                    <span className={styles.problemBadge}>
                      <AlertTriangle aria-hidden size={14} /> {problem.summary}
                    </span>
                  )}
                  <button type="button" className="button small" aria-label={`Test ${c.name}`} disabled={testing === c.name} onClick={() => void test(c.name)}>
                    {testing === c.name ? 'Testing…' : 'Test'}
                  </button>
                  <button
                    type="button"
                    className="button small"
                    aria-label={`Edit ${c.name}`}
                    onClick={() => setPanel(c.kind === 'salesforce' ? { kind: 'salesforce', name: c.name } : { kind: 'edit', name: c.name })}
                  >
                    {c.kind === 'salesforce' ? 'Sign in again' : 'Edit'}
                  </button>
                  <button type="button" className="button small" aria-label={`Remove ${c.name}`} onClick={() => ui.getState().openDialog({ kind: 'removeConnection', name: c.name })}>
                    Remove
                  </button>
                </div>
                {testError !== undefined && (
                  <p role="alert" className={styles.error}>
                    {testError}
                  </p>
                )}
                {outcome !== undefined && testError === undefined && <TestOutcomeView outcome={outcome} name={c.name} />}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
