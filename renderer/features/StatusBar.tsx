import { AlertTriangle, X } from 'lucide-react';
import { THIS_COMPUTER } from '../../src/shared/contract/models.js';
import styles from './AppFrame.module.css';
import { useSlice, useStores } from './StoresContext.js';

/** One line at the bottom: how many servers, what is moving, what needs someone, and the last message. */
export function StatusBar() {
  const { connections, transfers, ui } = useStores();
  const servers = useSlice(connections, (s) => s.connections.filter((c) => c.name !== THIS_COMPUTER).length);
  const running = useSlice(transfers, (s) => [...s.batches.values()].filter((b) => b.state === 'running').length);
  const waiting = useSlice(transfers, (s) => [...s.batches.values()].filter((b) => b.state === 'queued').length);
  const attention = useSlice(transfers, (s) => [...s.batches.values()].filter((b) => b.state === 'failed' || b.filesFailed > 0).length);
  const notice = useSlice(ui, (s) => s.notice);
  return (
    <footer className={styles.status} aria-label="Status">
      <span>
        {servers} {servers === 1 ? 'connection' : 'connections'}
      </span>
      <span>
        {running} {running === 1 ? 'transfer' : 'transfers'} running{waiting > 0 ? `, ${waiting} waiting` : ''}
      </span>
      {attention > 0 ? (
        <button type="button" className={styles.attention} onClick={() => ui.getState().go('transfers')}>
          <AlertTriangle aria-hidden size={14} /> {attention} {attention === 1 ? 'transfer needs' : 'transfers need'} attention
        </button>
      ) : (
        <span>Nothing needs attention</span>
      )}
      <span role="status" className={notice?.tone === 'error' ? `${styles.notice} ${styles.noticeError}` : styles.notice}>
        {notice?.text}
      </span>
      {notice !== null && (
        <button type="button" className={styles.dismiss} aria-label="Dismiss message" onClick={() => ui.getState().dismissNotice()}>
          <X aria-hidden size={14} />
        </button>
      )}
    </footer>
  );
}
