import type { DayCountView } from '../../../src/shared/contract/homeCommands.js';
import { formatCount } from '../../format.js';
import styles from './HomeScreen.module.css';

/** A day under its bar in the user's own way of writing dates ("Dec 7"), from the day's first instant. */
function shortDay(start: number): string {
  return new Date(start).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/**
 * Files moved and refused per day as bars, one pair a day, with the same numbers in a table for
 * screen readers: the bars are a picture of the table, not a second source of it.
 */
export function FilesChart({ days }: { readonly days: ReadonlyArray<DayCountView> }) {
  const highest = Math.max(1, ...days.map((d) => Math.max(d.moved, d.refused)));
  const moved = days.reduce((sum, d) => sum + d.moved, 0);
  const refused = days.reduce((sum, d) => sum + d.refused, 0);
  const height = (count: number): string => `${(count / highest) * 100}%`;
  return (
    <figure className={styles.chart} aria-labelledby="chart-caption">
      <figcaption id="chart-caption" className={styles.h2}>
        Files moved and refused, last {days.length} days
      </figcaption>
      <p className={styles.legend} aria-hidden>
        <span className={styles.legendMoved}>Moved {formatCount(moved)}</span>
        <span className={styles.legendRefused}>Refused {formatCount(refused)}</span>
      </p>
      <div className={styles.bars} aria-hidden>
        {days.map((d, i) => (
          <div key={d.day} className={styles.day} title={`${d.day}: ${formatCount(d.moved)} moved, ${formatCount(d.refused)} refused`}>
            <div className={styles.pair}>
              <span className={styles.moved} style={{ height: height(d.moved) }} />
              <span className={styles.refused} style={{ height: height(d.refused) }} />
            </div>
            <span className={styles.dayLabel}>{i % 5 === 4 || i === days.length - 1 ? shortDay(d.start) : ''}</span>
          </div>
        ))}
      </div>
      <table className="visually-hidden">
        <caption>Files moved and refused per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Moved</th>
            <th scope="col">Refused</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.day}>
              <th scope="row">{d.day}</th>
              <td>{d.moved}</td>
              <td>{d.refused}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
