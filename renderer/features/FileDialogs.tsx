import { useState, type ReactNode } from 'react';
import { DialogFrame } from '../components/DialogFrame.js';
import { formatCount } from '../format.js';
import { copyToTyped, createFolder, deletePaths, renameEntry } from '../stores/actions.js';
import { connectionLabel, otherSide } from '../stores/panes.js';
import { nameOf } from '../stores/paths.js';
import type { Dialog } from '../stores/ui.js';
import { useSlice, useStores } from './StoresContext.js';

/** A name typed into a dialog, refused before it reaches the host when it cannot be one name. */
function nameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'Type a name.';
  if (name.includes('/') || name.includes('\\')) return 'A name cannot contain / or \\.';
  if (name === '.' || name === '..') return `“${name}” cannot be a name.`;
  return undefined;
}

interface FormDialogProps {
  /** The form's id, which ties the primary button outside it to it. */
  readonly formId: string;
  readonly title: string;
  readonly submitLabel: string;
  readonly error: string | undefined;
  readonly onSubmit: () => void;
  readonly children: ReactNode;
}

/** A dialog whose fields are one form: Enter or the primary button submits it, Cancel or Escape closes it. */
function FormDialog({ formId, title, submitLabel, error, onSubmit, children }: FormDialogProps) {
  const { ui } = useStores();
  const close = (): void => ui.getState().closeDialog();
  return (
    <DialogFrame
      title={title}
      onClose={close}
      error={error}
      actions={
        <>
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button primary">
            {submitLabel}
          </button>
        </>
      }
    >
      <form
        id={formId}
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        {children}
      </form>
    </DialogFrame>
  );
}

function NameDialog({ title, initial, action, error, onSubmit }: { readonly title: string; readonly initial: string; readonly action: string; readonly error: string | undefined; readonly onSubmit: (name: string) => void }) {
  const [name, setName] = useState(initial);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const submit = (): void => {
    const found = nameProblem(name);
    setProblem(found);
    if (found === undefined) onSubmit(name.trim());
  };
  return (
    <FormDialog formId="name-form" title={title} submitLabel={action} error={problem ?? error} onSubmit={submit}>
      <label className="field">
        Name
        <input
          autoFocus
          value={name}
          spellCheck={false}
          onChange={(event) => setName(event.target.value)}
          onFocus={(event) => {
            // The name without its extension is selected, as file managers do, so typing replaces just that.
            const dot = event.target.value.lastIndexOf('.');
            event.target.setSelectionRange(0, dot > 0 ? dot : event.target.value.length);
          }}
        />
      </label>
    </FormDialog>
  );
}

export function NewFolderDialog({ dialog }: { readonly dialog: Extract<Dialog, { kind: 'newFolder' }> }) {
  const stores = useStores();
  const pane = stores.panes.getState()[dialog.side];
  return <NameDialog title={`New folder in ${connectionLabel(pane.connection)}: /${pane.path}`} initial="New folder" action="Create" error={dialog.error} onSubmit={(name) => void createFolder(stores, dialog.side, name)} />;
}

export function RenameDialog({ dialog }: { readonly dialog: Extract<Dialog, { kind: 'rename' }> }) {
  const stores = useStores();
  return <NameDialog title={`Rename ${dialog.entry.name}`} initial={dialog.entry.name} action="Rename" error={dialog.error} onSubmit={(name) => void renameEntry(stores, dialog.side, dialog.entry.path, name)} />;
}

export function DeleteDialog({ dialog }: { readonly dialog: Extract<Dialog, { kind: 'delete' }> }) {
  const stores = useStores();
  const pane = stores.panes.getState()[dialog.side];
  const count = dialog.paths.length;
  const first = dialog.paths[0] ?? '';
  return (
    <DialogFrame
      title={count === 1 ? `Delete ${nameOf(first)}?` : `Delete ${formatCount(count)} items?`}
      onClose={() => stores.ui.getState().closeDialog()}
      error={dialog.error}
      actions={
        <>
          <button type="button" className="button" autoFocus onClick={() => stores.ui.getState().closeDialog()}>
            Keep
          </button>
          <button type="button" className="button danger" onClick={() => void deletePaths(stores, dialog.side, dialog.paths)}>
            Delete
          </button>
        </>
      }
    >
      <p>
        {count === 1 ? nameOf(first) : `${formatCount(count)} items`} will be deleted from {connectionLabel(pane.connection)}: /{pane.path}. Ferry cannot bring {count === 1 ? 'it' : 'them'} back.
      </p>
    </DialogFrame>
  );
}

/** Shift+F5 / Shift+F6: copy or move to a folder typed here, the other pane's connection and folder offered first. */
export function CopyToDialog({ dialog }: { readonly dialog: Extract<Dialog, { kind: 'copyTo' }> }) {
  const stores = useStores();
  const connections = useSlice(stores.connections, (s) => s.connections);
  const other = stores.panes.getState()[otherSide(dialog.side)];
  const [connection, setConnection] = useState(other.connection);
  const [folder, setFolder] = useState(`/${other.path}`);
  const count = dialog.paths.length;
  const verb = dialog.move ? 'Move' : 'Copy';
  const what = count === 1 ? nameOf(dialog.paths[0] ?? '') : `${formatCount(count)} items`;
  return (
    <FormDialog formId="copy-to-form" title={`${verb} ${what} to…`} submitLabel={verb} error={dialog.error} onSubmit={() => void copyToTyped(stores, { connection, typed: folder })}>
      <label className="field">
        Connection
        <select value={connection} onChange={(event) => setConnection(event.target.value)}>
          {connections.map((c) => (
            <option key={c.name} value={c.name}>
              {connectionLabel(c.name)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Folder
        <input autoFocus value={folder} spellCheck={false} onChange={(event) => setFolder(event.target.value)} onFocus={(event) => event.target.select()} />
        <span className="hint">A path from the connection’s top, e.g. /outbox/2026. The preview shows where each file lands before anything moves.</span>
      </label>
    </FormDialog>
  );
}
