import { useRef } from 'react';
import { Keyboard, Menu, MenuItem, Popover, Separator } from 'react-aria-components';
import styles from './PaneMenu.module.css';

export type PaneCommand = 'copy' | 'move' | 'copyTo' | 'moveTo' | 'open' | 'rename' | 'delete' | 'newFolder' | 'refresh';

interface PaneMenuProps {
  /** Where the menu opens: the pointer, or below the focused row when opened from the keyboard. */
  readonly at: { readonly x: number; readonly y: number } | undefined;
  /** Row commands are offered only when the menu was opened on a row. */
  readonly onRow: boolean;
  readonly canOpen: boolean;
  readonly otherPane: string;
  readonly onAction: (command: PaneCommand) => void;
  readonly onClose: () => void;
}

/** The pane's context menu: the same commands as the function keys, each showing its key. */
export function PaneMenu({ at, onRow, canOpen, otherPane, onAction, onClose }: PaneMenuProps) {
  const anchor = useRef<HTMLDivElement>(null);
  const disabled: PaneCommand[] = onRow ? (canOpen ? [] : ['open']) : ['copy', 'move', 'copyTo', 'moveTo', 'open', 'rename', 'delete'];
  return (
    <>
      <div ref={anchor} className={styles.anchor} style={{ left: at?.x ?? 0, top: at?.y ?? 0 }} />
      <Popover aria-label="File actions" triggerRef={anchor} isOpen={at !== undefined} onOpenChange={(open) => !open && onClose()} placement="bottom start" offset={2} className={styles.popover}>
        <Menu aria-label="File actions" autoFocus="first" disabledKeys={disabled} onAction={(key) => onAction(key as PaneCommand)} onClose={onClose} className={styles.menu}>
          <MenuItem id="open" textValue="Open" className={styles.item}>
            Open<Keyboard>Enter</Keyboard>
          </MenuItem>
          <Separator className={styles.separator} />
          <MenuItem id="copy" textValue={`Copy to ${otherPane}`} className={styles.item}>
            Copy to {otherPane}<Keyboard>F5</Keyboard>
          </MenuItem>
          <MenuItem id="move" textValue={`Move to ${otherPane}`} className={styles.item}>
            Move to {otherPane}<Keyboard>F6</Keyboard>
          </MenuItem>
          <MenuItem id="copyTo" textValue="Copy to a folder you type" className={styles.item}>
            Copy to…<Keyboard>Shift+F5</Keyboard>
          </MenuItem>
          <MenuItem id="moveTo" textValue="Move to a folder you type" className={styles.item}>
            Move to…<Keyboard>Shift+F6</Keyboard>
          </MenuItem>
          <Separator className={styles.separator} />
          <MenuItem id="rename" textValue="Rename" className={styles.item}>
            Rename<Keyboard>F2</Keyboard>
          </MenuItem>
          <MenuItem id="delete" textValue="Delete" className={styles.item}>
            Delete<Keyboard>F8</Keyboard>
          </MenuItem>
          <MenuItem id="newFolder" textValue="New folder" className={styles.item}>
            New folder<Keyboard>F7</Keyboard>
          </MenuItem>
          <Separator className={styles.separator} />
          <MenuItem id="refresh" textValue="Refresh" className={styles.item}>
            Refresh<Keyboard>Ctrl+R</Keyboard>
          </MenuItem>
        </Menu>
      </Popover>
    </>
  );
}
