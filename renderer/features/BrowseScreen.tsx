import { FolderSync, GitCompareArrows } from 'lucide-react';
import type { KeyboardEvent } from 'react';
import { CompareBadge } from '../components/FileGrid.js';
import { COMPARE_WORDS, type CompareMark } from '../stores/compare.js';
import { Pane } from './Pane.js';
import styles from './BrowseScreen.module.css';
import frame from './AppFrame.module.css';
import { useSlice, useStores } from './StoresContext.js';

const MARKS: ReadonlyArray<CompareMark> = ['only', 'newer', 'size'];

/**
 * The commander: two panes side by side; F5 and F6 send from the focused one to the other. Above them,
 * compare mode (Ctrl+O) and synchronized browsing (Ctrl+Y), as FileZilla has them.
 */
export function BrowseScreen() {
  const { panes } = useStores();
  const compare = useSlice(panes, (s) => s.compare);
  const sync = useSlice(panes, (s) => s.sync);
  const syncNote = useSlice(panes, (s) => s.syncNote);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const key = event.key.toLowerCase();
    if (key === 'o') {
      event.preventDefault();
      panes.getState().toggleCompare();
    } else if (key === 'y') {
      event.preventDefault();
      panes.getState().toggleSync();
    }
  };

  return (
    <div className={styles.screen} onKeyDown={onKeyDown}>
      <h1 className="visually-hidden">Browse</h1>
      <div className={styles.toolbar} role="toolbar" aria-label="Both panes">
        <button type="button" className={styles.toggle} aria-pressed={compare} title="Compare the two folders (Ctrl+O)" onClick={() => panes.getState().toggleCompare()}>
          <GitCompareArrows aria-hidden size={16} />
          Compare folders
        </button>
        <button type="button" className={styles.toggle} aria-pressed={sync} title="Synchronized browsing: open and leave folders in both panes at once (Ctrl+Y)" onClick={() => panes.getState().toggleSync()}>
          <FolderSync aria-hidden size={16} />
          Synchronized browsing
        </button>
        {compare && (
          <ul className={styles.legend} aria-label="Compare colours">
            {MARKS.map((mark) => (
              <li key={mark} className={styles.key} data-compare={mark}>
                <CompareBadge mark={mark} />
                <span aria-hidden>{COMPARE_WORDS[mark]}</span>
              </li>
            ))}
          </ul>
        )}
        <p className={styles.note} role="status">
          {syncNote}
        </p>
      </div>
      <div className={frame.browse}>
        <Pane side="left" />
        <Pane side="right" />
      </div>
    </div>
  );
}
