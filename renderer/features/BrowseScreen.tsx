import { Pane } from './Pane.js';
import styles from './AppFrame.module.css';

/** The commander: two panes side by side; F5 and F6 send from the focused one to the other. */
export function BrowseScreen() {
  return (
    <div className={styles.browse}>
      <h1 className="visually-hidden">Browse</h1>
      <Pane side="left" />
      <Pane side="right" />
    </div>
  );
}
