import { RefreshCw } from 'lucide-react';
import { useEffect } from 'react';
import { formatCount, formatDate } from '../../format.js';
import { openTarget } from '../../stores/openTarget.js';
import { STATUS_WORDS } from '../HistoryGrid.js';
import { useSlice, useStores } from '../StoresContext.js';
import { AttentionList } from './AttentionList.js';
import { FilesChart } from './FilesChart.js';
import styles from './HomeScreen.module.css';

/** What needs attention now, then today's runs and the next ones, then the last thirty days at a glance. */
export function HomeScreen() {
  const stores = useStores();
  const { home } = stores;
  const summary = useSlice(home, (s) => s.summary);
  const loading = useSlice(home, (s) => s.loading);
  const error = useSlice(home, (s) => s.error);
  const outcomes = useSlice(home, (s) => s.outcomes);

  useEffect(() => {
    void home.getState().load();
  }, [home]);

  const openRun = (runId: number): void => void openTarget(stores, { kind: 'run', runId });

  return (
    <section className={styles.screen} aria-labelledby="home-title" aria-busy={loading}>
      <header className={styles.header}>
        <h1 id="home-title" className={styles.h1}>
          Home
        </h1>
        <button type="button" className="button small" onClick={() => void home.getState().load()}>
          <RefreshCw aria-hidden size={14} />
          Refresh
        </button>
      </header>
      {error !== undefined && (
        <p className={styles.problem} role="alert">
          {error}
        </p>
      )}
      <section aria-labelledby="attention-title" className={styles.block}>
        <h2 id="attention-title" className={styles.h2}>
          Needs attention{summary === undefined || summary.attention.length === 0 ? '' : ` (${summary.attention.length})`}
        </h2>
        {summary === undefined ? (
          <p className={styles.calm}>{loading ? 'Looking…' : ''}</p>
        ) : (
          <AttentionList
            items={summary.attention}
            outcomes={outcomes}
            onAct={(item) => void openTarget(stores, item.target, item.key)}
            onDismiss={(item) => {
              if (item.target.kind === 'run') void home.getState().dismiss(item.target.runId);
            }}
          />
        )}
      </section>
      {summary !== undefined && (
        <>
          <div className={styles.columns}>
            <section aria-labelledby="today-title" className={styles.block}>
              <h2 id="today-title" className={styles.h2}>
                Today's runs
              </h2>
              {summary.today.length === 0 ? (
                <p className={styles.calm}>Nothing has run today.</p>
              ) : (
                <table className={styles.table} aria-labelledby="today-title">
                  <thead>
                    <tr>
                      <th scope="col">Job</th>
                      <th scope="col">Started</th>
                      <th scope="col">Result</th>
                      <th scope="col">Files</th>
                    </tr>
                  </thead>
                  <tbody>
                    {summary.today.map((run) => (
                      <tr key={run.id}>
                        <th scope="row">
                          <button type="button" className={styles.link} onClick={() => openRun(run.id)}>
                            {run.job}
                            {run.dryRun ? ' (dry run)' : ''}
                          </button>
                        </th>
                        <td>{formatDate(run.startedAt)}</td>
                        <td className={run.status === 'failed' || run.status === 'partial' || run.status === 'interrupted' ? styles.bad : undefined}>{STATUS_WORDS[run.status] ?? run.status}</td>
                        <td className={styles.number}>{formatCount(run.files)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section aria-labelledby="next-title" className={styles.block}>
              <h2 id="next-title" className={styles.h2}>
                Next runs
              </h2>
              {summary.next.length === 0 ? (
                <p className={styles.calm}>No schedule will fire: no job has one, or they are paused.</p>
              ) : (
                <table className={styles.table} aria-labelledby="next-title">
                  <thead>
                    <tr>
                      <th scope="col">Job</th>
                      <th scope="col">Runs at</th>
                    </tr>
                  </thead>
                  <tbody>
                    {summary.next.map((next) => (
                      <tr key={next.job}>
                        <th scope="row">{next.job}</th>
                        <td>{formatDate(next.at)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          </div>
          <FilesChart days={summary.days} />
        </>
      )}
    </section>
  );
}
