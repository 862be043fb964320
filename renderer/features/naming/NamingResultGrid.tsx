import { CircleCheck, CircleSlash, CircleX, TriangleAlert, type LucideIcon } from 'lucide-react';
import { useState, type KeyboardEvent } from 'react';
import type { MatchKind, NamingRow, NamingTry } from '../../../src/shared/contract/namingCommands.js';
import { movedFocus } from '../../components/gridKeys.js';
import { formatCount } from '../../format.js';
import { clampedFocus } from '../../stores/listing.js';
import styles from './NamingRulesScreen.module.css';

/** Each match in an icon and a word, never in colour alone. */
export const MATCH_LOOKS: Readonly<Record<MatchKind, { readonly word: string; readonly icon: LucideIcon }>> = {
  exact: { word: 'Exact', icon: CircleCheck },
  ambiguous: { word: 'Ambiguous', icon: TriangleAlert },
  none: { word: 'No record', icon: CircleX },
  unreadable: { word: 'Does not fit', icon: CircleSlash },
};

/** A field's values over every reading of the name: `ACC or ACC-10001`. */
function capturedText(row: NamingRow, field: string): string {
  const values = [...new Set(row.captured.flatMap((c) => (c[field] === undefined ? [] : [c[field]])))];
  return values.length === 0 ? '—' : values.join(' or ');
}

function Records({ row }: { readonly row: NamingRow }) {
  if (row.record !== undefined) {
    return (
      <>
        {row.record.name} <span className={styles.id}>{row.record.id}</span>
      </>
    );
  }
  if (row.match === 'ambiguous') {
    const total = row.candidates.length + row.moreCandidates;
    return (
      <>
        <span>{formatCount(total)} records fit:</span>
        <ul className={styles.candidates} aria-label={`Records ${row.name} fits`}>
          {row.candidates.map((c) => (
            <li key={c.id}>
              {c.name} <span className={styles.id}>{c.id}</span>
            </li>
          ))}
          {row.moreCandidates > 0 && <li>and {formatCount(row.moreCandidates)} more</li>}
        </ul>
      </>
    );
  }
  return <span className={styles.reason}>{row.reason ?? ''}</span>;
}

/**
 * One row a name: the name, what the rule captured from it (a column a field), whether it matched, and
 * the record or the candidates. A grid the arrow keys, Home and End move through.
 */
export function NamingResultGrid({ result }: { readonly result: Extract<NamingTry, { status: 'tried' }> }) {
  const [focus, setFocus] = useState(0);
  const { rows, fields } = result;
  const current = clampedFocus(focus, rows.length) ?? 0;
  const columns = { gridTemplateColumns: `minmax(200px, 2fr) ${fields.map(() => 'minmax(90px, 1fr)').join(' ')} 130px minmax(220px, 3fr)` };
  const rowId = (index: number): string => `naming-row-${index}`;
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const target = movedFocus(event.key, current, rows.length);
    if (target === undefined) return;
    event.preventDefault();
    const next = clampedFocus(target, rows.length);
    if (next === undefined) return;
    setFocus(next);
    document.getElementById(rowId(next))?.scrollIntoView({ block: 'nearest' });
  };

  if (rows.length === 0) return <p className={styles.empty}>No names to try: choose a source folder or type some names.</p>;
  return (
    <div
      role="grid"
      aria-label="Names tried"
      aria-rowcount={rows.length + 1}
      aria-activedescendant={rowId(current)}
      tabIndex={0}
      className={styles.grid}
      onKeyDown={onKeyDown}
    >
      <div role="row" aria-rowindex={1} className={`${styles.row} ${styles.head}`} style={columns}>
        {['File name', ...fields, 'Match', 'Record'].map((label) => (
          <div key={label} role="columnheader">
            {label}
          </div>
        ))}
      </div>
      {rows.map((row, index) => {
        const look = MATCH_LOOKS[row.match];
        const Icon = look.icon;
        return (
          <div key={`${row.from}:${row.name}:${index}`} id={rowId(index)} role="row" aria-rowindex={index + 2} data-focus={index === current} className={styles.row} style={columns} onClick={() => setFocus(index)}>
            <div role="gridcell" title={row.name} className={styles.name}>
              {row.name}
              {row.from === 'typed' && <span className={styles.typedTag}> (typed)</span>}
            </div>
            {fields.map((field) => (
              <div key={field} role="gridcell" className={styles.captured}>
                {capturedText(row, field)}
              </div>
            ))}
            <div role="gridcell">
              <span className={styles.match} data-match={row.match}>
                <Icon aria-hidden size={15} />
                {look.word}
              </span>
            </div>
            <div role="gridcell" className={styles.records}>
              <Records row={row} />
            </div>
          </div>
        );
      })}
    </div>
  );
}
