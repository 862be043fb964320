import { Plus } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { THIS_COMPUTER, type ServerReportView } from '../../src/shared/contract/models.js';
import { DialogFrame } from '../components/DialogFrame.js';
import { ServerReport } from '../components/ServerReport.js';
import type { Dialog } from '../stores/ui.js';
import styles from './ConnectionsScreen.module.css';
import { useSlice, useStores } from './StoresContext.js';

type Auth = 'password' | 'key' | 'agent';

const KIND_WORDS = { local: 'Folder', ftp: 'FTP', sftp: 'SFTP', salesforce: 'Salesforce' } as const;

function AddConnection({ onDone }: { readonly onDone: () => void }) {
  const { connections } = useStores();
  const [auth, setAuth] = useState<Auth>('password');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [report, setReport] = useState<{ name: string; report: ServerReportView } | undefined>(undefined);
  const [url, setUrl] = useState('');
  const tls = /^ftpe?s:\/\//i.test(url.trim());

  const save = async (event: FormEvent<HTMLFormElement>, test: boolean): Promise<void> => {
    const data = new FormData(event.currentTarget);
    const text = (key: string): string | undefined => {
      const value = data.get(key);
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
    };
    const name = text('name') ?? '';
    const secret = auth === 'password' ? { password: text('password') } : auth === 'key' ? { keyFile: text('keyFile'), password: text('passphrase') } : { agent: true };
    const defined = Object.fromEntries(Object.entries({ ...secret, tlsFingerprint: tls ? text('fingerprint') : undefined }).filter(([, v]) => v !== undefined));
    setBusy(true);
    setError(undefined);
    const answer = await connections.getState().add({ name, url: url.trim(), test, ...defined });
    setBusy(false);
    if (!answer.ok) {
      setError(answer.error.message);
      return;
    }
    if (answer.value.report !== undefined) setReport({ name, report: answer.value.report });
    else onDone();
  };

  if (report !== undefined) {
    return (
      <div className={styles.card}>
        <ServerReport title={`${report.name} answered and was saved`} report={report.report} />
        <div className={styles.formActions}>
          <button type="button" className="button primary" onClick={onDone}>
            Done
          </button>
        </div>
      </div>
    );
  }

  return (
    <form
      className={styles.card}
      aria-label="New connection"
      onSubmit={(event) => {
        event.preventDefault();
        const submitter = (event.nativeEvent).submitter;
        void save(event, submitter?.getAttribute('value') !== 'untested');
      }}
    >
      <h2 className={styles.cardTitle}>New connection</h2>
      <div className={styles.grid}>
        <label className="field">
          Name
          <input name="name" required placeholder="partner-sftp" spellCheck={false} />
        </label>
        <label className="field">
          Address
          <input name="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="sftp://user@files.partner.com/outbox" spellCheck={false} />
          <span className="hint">sftp://, ftpes:// (FTP with TLS), ftps://, ftp:// or file:///folder</span>
        </label>
        <label className="field">
          Sign in with
          <select value={auth} onChange={(e) => setAuth(e.target.value as Auth)}>
            <option value="password">Password</option>
            <option value="key">Private key file (SFTP)</option>
            <option value="agent">SSH agent (SFTP)</option>
          </select>
        </label>
        {auth === 'password' && (
          <label className="field">
            Password
            <input name="password" type="password" autoComplete="off" />
          </label>
        )}
        {auth === 'key' && (
          <>
            <label className="field">
              Key file on this computer
              <input name="keyFile" placeholder="/home/me/.ssh/id_ed25519" spellCheck={false} />
            </label>
            <label className="field">
              Key passphrase, if it has one
              <input name="passphrase" type="password" autoComplete="off" />
            </label>
          </>
        )}
        {tls && (
          <label className="field">
            Certificate fingerprint (SHA-256)
            <input name="fingerprint" placeholder="AB:CD:…" spellCheck={false} />
            <span className="hint">Only for a server whose certificate no authority signed.</span>
          </label>
        )}
      </div>
      {error !== undefined && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
      <div className={styles.formActions}>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" value="untested" className="button" disabled={busy}>
          Save without testing
        </button>
        <button type="submit" value="tested" className="button primary" disabled={busy}>
          {busy ? 'Testing…' : 'Test and save'}
        </button>
      </div>
      <p className={styles.hint}>Test and save connects first and saves only a server that answers, then shows what it supports.</p>
    </form>
  );
}

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

/** The site manager: every saved server, how to reach it, and what it can do. */
export function ConnectionsScreen() {
  const { connections, ui } = useStores();
  const all = useSlice(connections, (s) => s.connections);
  const list = all.filter((c) => c.name !== THIS_COMPUTER);
  const reports = useSlice(connections, (s) => s.reports);
  const loadError = useSlice(connections, (s) => s.error);
  const [adding, setAdding] = useState(false);
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

  return (
    <div className={styles.screen}>
      <header className={styles.header}>
        <h1 className={styles.h1}>Connections</h1>
        {!adding && (
          <button type="button" className="button primary" onClick={() => setAdding(true)}>
            <Plus aria-hidden size={16} /> New connection
          </button>
        )}
      </header>
      {loadError !== undefined && (
        <p role="alert" className={styles.error}>
          {loadError}
        </p>
      )}
      {adding && <AddConnection onDone={() => setAdding(false)} />}
      {list.length === 0 ? (
        <p className={styles.empty}>No servers yet. Add your partner’s FTP or SFTP server with New connection; this computer’s disks are always there.</p>
      ) : (
        <ul className={styles.list} aria-label="Saved connections">
          {list.map((c) => {
            const report = reports.get(c.name);
            const testError = testErrors.get(c.name);
            return (
              <li key={c.name} className={styles.item}>
                <div className={styles.itemRow}>
                  <span className={styles.kind}>{KIND_WORDS[c.kind]}</span>
                  <div className={styles.itemText}>
                    <span className={styles.name}>{c.name}</span>
                    <span className={styles.location}>
                      {c.location}
                      {c.sdrive ? ' · S-Drive' : ''}
                    </span>
                  </div>
                  <button type="button" className="button small" aria-label={`Test ${c.name}`} disabled={testing === c.name} onClick={() => void test(c.name)}>
                    {testing === c.name ? 'Testing…' : 'Test'}
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
                {report !== undefined && testError === undefined && <ServerReport title={`What ${c.name} supports`} report={report} />}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
