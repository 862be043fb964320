import { useEffect, useRef } from 'react';
import { CONFLICT_CHOICES, type PreviewItem, type TransferRequestInput } from '../../src/shared/contract/models.js';
import { DialogFrame } from '../components/DialogFrame.js';
import { formatCount } from '../format.js';
import { confirmPlan, isSendable, revisePlan } from '../stores/actions.js';
import { connectionLabel } from '../stores/panes.js';
import type { Dialog } from '../stores/ui.js';
import { useStores } from './StoresContext.js';
import styles from './TransferDialog.module.css';

type Conflict = TransferRequestInput['conflict'];

const POLICY_WORDS: Readonly<Record<Conflict, string>> = {
  ask: 'Ask me for each file',
  changed: 'Send it if it changed (the preview says why for each file)',
  overwrite: 'Overwrite it',
  skip: 'Skip it',
  rename: 'Keep both: the new one gets a new name',
  resume: 'Resume it where a transfer stopped',
  newer: 'Send it only if this one is newer',
};

/** Items listed in the dialog; a preview of more says how many it does not list. */
const LISTED = 500;

function matchWords(item: PreviewItem): string {
  switch (item.match) {
    case 'exact':
      return 'Found';
    case 'ambiguous':
      return 'More than one';
    case 'none':
      return 'None found';
    case undefined:
      return '';
  }
}

function verdict(item: PreviewItem, salesforce: boolean): string {
  if (!isSendable(item)) return 'Not sent';
  switch (item.action) {
    case 'new':
      return 'New file';
    case 'replace':
      return salesforce ? 'New version' : 'Replaces';
    case 'ask':
      return 'You choose';
    case 'skip':
      return 'Skipped';
    case 'fail':
      return 'Not sent';
  }
}

function shortName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The plan of a copy or move, file by file, that must be confirmed before anything is sent. */
export function TransferDialog({ dialog }: { readonly dialog: Extract<Dialog, { kind: 'transfer' }> }) {
  const stores = useStores();
  const start = useRef<HTMLButtonElement>(null);
  const { request, preview, targetKind } = dialog;
  const salesforce = targetKind === 'salesforce';
  const items = preview.status === 'ready' ? preview.items : [];
  const sendable = items.filter(isSendable).length;
  const ready = preview.status === 'ready';
  const count = request.source.paths.length;
  const verb = request.move ? 'Move' : 'Copy';
  const where = `${connectionLabel(request.target.connection)}: /${request.target.path}`;
  // A naming rule is asked for only where the target is an object folder (Account), not a record.
  const needsRule = salesforce && request.target.path !== '' && !request.target.path.includes('/');

  useEffect(() => {
    if (ready && sendable > 0) start.current?.focus();
  }, [ready, sendable]);

  return (
    <DialogFrame
      wide
      title={`${verb} ${formatCount(count)} ${count === 1 ? 'item' : 'items'} to ${where}`}
      onClose={() => stores.ui.getState().closeDialog()}
      error={dialog.error}
      actions={
        <>
          <span className={styles.summary} aria-live="polite">
            {preview.status === 'loading'
              ? 'Working out where each file lands…'
              : ready
                ? `${formatCount(sendable)} will be sent${items.length > sendable ? `, ${formatCount(items.length - sendable)} left out` : ''}`
                : ''}
          </span>
          <button type="button" className="button" onClick={() => stores.ui.getState().closeDialog()}>
            Cancel
          </button>
          <button ref={start} type="button" className="button primary" disabled={!ready || sendable === 0} onClick={() => void confirmPlan(stores)}>
            Start transfer
          </button>
        </>
      }
    >
      <div className={styles.options}>
        <label className="field">
          When a file is already there
          <select value={request.conflict} onChange={(event) => void revisePlan(stores, { conflict: event.target.value as Conflict })}>
            {CONFLICT_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {POLICY_WORDS[choice]}
              </option>
            ))}
          </select>
          <span className="hint">Applies to every file in this transfer.</span>
        </label>
        {needsRule && (
          <form
            className="field"
            onSubmit={(event) => {
              event.preventDefault();
              const rule = new FormData(event.currentTarget).get('rule');
              void revisePlan(stores, { attachBy: typeof rule === 'string' ? rule : '' });
            }}
          >
            <label htmlFor="naming-rule">Find each file’s record by its name</label>
            <div className={styles.rule}>
              <input id="naming-rule" name="rule" defaultValue={request.attachBy ?? ''} placeholder="INV-{AccountNumber}-{*}" spellCheck={false} />
              <button type="submit" className="button">
                Preview again
              </button>
            </div>
            <span className="hint">In braces, a field of the record; {'{*}'} stands for any text.</span>
          </form>
        )}
      </div>
      {preview.status === 'failed' && (
        <p role="alert" className={styles.failed}>
          Ferry could not plan this transfer: {preview.message}
        </p>
      )}
      {preview.status === 'loading' && <p className={styles.loading}>Working out where each file lands…</p>}
      {ready && (
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <caption className="visually-hidden">Where each file lands</caption>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Lands in</th>
                {salesforce && <th scope="col">Record</th>}
                <th scope="col">Result</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {items.slice(0, LISTED).map((item) => (
                <tr key={item.source} data-verdict={isSendable(item) ? item.action : 'out'}>
                  <td className={styles.file} title={item.source}>
                    {shortName(item.source)}
                  </td>
                  <td className={styles.path} title={item.target}>
                    {item.target === undefined ? '—' : (preview.places?.[item.target] ?? `/${item.target}`)}
                  </td>
                  {salesforce && <td>{matchWords(item)}</td>}
                  <td className={styles.verdict}>{verdict(item, salesforce)}</td>
                  <td className={styles.reason}>{item.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {items.length > LISTED && <p className={styles.more}>…and {formatCount(items.length - LISTED)} more, planned the same way.</p>}
        </div>
      )}
    </DialogFrame>
  );
}
