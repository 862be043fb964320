import { AlertTriangle, X } from 'lucide-react';
import type { ConnectionProblemView } from '../../src/shared/contract/connectionModels.js';
import { THIS_COMPUTER } from '../../src/shared/contract/models.js';
import styles from './AppFrame.module.css';
import { useSlice, useStores } from './StoresContext.js';

/** One connection in trouble is named with its reason; several are counted, their reasons in the tooltip. */
function problemLine(problems: ReadonlyMap<string, ConnectionProblemView>): string {
  const [first] = problems;
  if (problems.size === 1 && first !== undefined) return `${first[0]}: ${first[1].summary}`;
  return `${problems.size} connections cannot connect`;
}

/** One line at the bottom: how many servers, what is moving, what needs someone, and the last message. */
export function StatusBar() {
  const { connections, transfers, ui, attention: notices } = useStores();
  const servers = useSlice(connections, (s) => s.connections.filter((c) => c.name !== THIS_COMPUTER).length);
  const running = useSlice(transfers, (s) => [...s.batches.values()].filter((b) => b.state === 'running').length);
  const waiting = useSlice(transfers, (s) => [...s.batches.values()].filter((b) => b.state === 'queued').length);
  const attention = useSlice(transfers, (s) => [...s.batches.values()].filter((b) => b.state === 'failed' || b.filesFailed > 0).length);
  const news = useSlice(notices, (s) => s.badges.home + s.badges.history + s.badges.validation);
  const notice = useSlice(ui, (s) => s.notice);
  const problems = useSlice(connections, (s) => s.problems);
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
      ) : news > 0 ? (
        // Runs and refused files elsewhere: Home gathers them with the action for each.
        <button type="button" className={styles.attention} onClick={() => ui.getState().go('home')}>
          <AlertTriangle aria-hidden size={14} /> {news} new {news === 1 ? 'notice' : 'notices'}: see Home
        </button>
      ) : (
        <span>No transfer needs attention</span>
      )}
      {problems.size > 0 && (
        <button
          type="button"
          className={styles.attention}
          title={[...problems].map(([name, problem]) => `${name}: ${problem.summary}`).join('\n')}
          onClick={() => ui.getState().go('connections')}
        >
          <AlertTriangle aria-hidden size={14} />{' '}
          {problemLine(problems)}
        </button>
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
