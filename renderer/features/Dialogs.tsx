import { RemoveConnectionDialog } from './ConnectionsScreen.js';
import { CopyToDialog, DeleteDialog, NewFolderDialog, RenameDialog } from './FileDialogs.js';
import { useSlice, useStores } from './StoresContext.js';
import { TransferDialog } from './TransferDialog.js';

/** The one dialog open at a time, whichever screen asked for it. */
export function Dialogs() {
  const { ui } = useStores();
  const dialog = useSlice(ui, (s) => s.dialog);
  switch (dialog?.kind) {
    case undefined:
      return null;
    case 'transfer':
      return <TransferDialog dialog={dialog} />;
    case 'newFolder':
      return <NewFolderDialog dialog={dialog} />;
    case 'rename':
      return <RenameDialog key={dialog.entry.path} dialog={dialog} />;
    case 'delete':
      return <DeleteDialog dialog={dialog} />;
    case 'copyTo':
      return <CopyToDialog dialog={dialog} />;
    case 'removeConnection':
      return <RemoveConnectionDialog dialog={dialog} />;
  }
}
