import type { KeyboardEvent } from 'react';
import type { ValidationEntryView } from '../../src/shared/contract/validationCommands.js';
import { useVirtualGridRows } from '../components/useVirtualGridRows.js';
import { formatDate } from '../format.js';
import { fileNameOf } from '../stores/history.js';
import styles from './ValidationLogScreen.module.css';

const COLUMNS = ['File', 'Job', 'Partner', 'Checked', 'Outcome', 'Reason', 'Select'] as const;

export const OUTCOME_WORDS: Readonly<Record<ValidationEntryView['outcome'], string>> = {
  passed: 'Passed',
  held: 'Held',
  released: 'Released',
  returned: 'Returned',
};

/** A refused file's first reason; a passed file's rules. */
function firstReason(entry: ValidationEntryView): string {
  const reason = entry.reasons[0];
  if (reason !== undefined) return `${reason.rule}: ${reason.message}`;
  return entry.outcome === 'passed' ? `Passed ${entry.rules.join(', ')}` : '';
}

export interface ValidationLogGridProps {
  readonly entries: ReadonlyArray<ValidationEntryView>;
  /** More entries exist than are loaded: the count is unknown until the last page. */
  readonly more: boolean;
  readonly loading: boolean;
  readonly focus: number;
  readonly selected: ReadonlySet<number>;
  readonly onFocus: (index: number) => void;
  readonly onOpen: (index: number) => void;
  readonly onToggle: (id: number) => void;
  readonly onNeedMore: () => void;
}

/**
 * The validated files as a WAI-ARIA grid that keeps focus itself and points `aria-activedescendant` at
 * the focused row, drawing only the rows in view. Pages are asked for as the end comes into view, by
 * scrolling or by key, as History's grid does.
 */
export function ValidationLogGrid(props: ValidationLogGridProps) {
  const { entries, focus, more, selected } = props;
  const onOtherKey = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key !== ' ') return;
    event.preventDefault();
    const entry = entries[focus];
    if (entry !== undefined) props.onToggle(entry.id);
  };
  const grid = useVirtualGridRows({ count: entries.length, focus, more, idPrefix: 'validation', onFocus: props.onFocus, onOpen: props.onOpen, onNeedMore: props.onNeedMore, onOtherKey });

  return (
    <div {...grid.gridProps} aria-label="Validated files" aria-multiselectable aria-colcount={COLUMNS.length} aria-busy={props.loading} className={styles.grid}>
      <div role="rowgroup" className={styles.head}>
        <div role="row" aria-rowindex={1} className={styles.row}>
          {COLUMNS.map((label, i) => (
            <div key={label} role="columnheader" aria-colindex={i + 1}>
              {label}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" className={styles.rows} style={{ height: grid.totalHeight }}>
        {grid.items.map((item) => {
          const entry = entries[item.index];
          if (entry === undefined) return null;
          const name = fileNameOf(entry.file);
          return (
            <div
              key={entry.id}
              {...grid.rowProps(item)}
              aria-selected={selected.has(entry.id)}
              data-focus={item.index === focus}
              className={styles.row}
              style={grid.rowStyle(item)}
            >
              <div role="gridcell" aria-colindex={1} title={entry.file}>
                {name}
              </div>
              <div role="gridcell" aria-colindex={2}>
                {entry.job}
              </div>
              <div role="gridcell" aria-colindex={3}>
                {entry.partner ?? ''}
              </div>
              <div role="gridcell" aria-colindex={4}>
                {formatDate(entry.at)}
              </div>
              <div role="gridcell" aria-colindex={5}>
                <span className={styles.outcome} data-outcome={entry.outcome}>
                  {OUTCOME_WORDS[entry.outcome]}
                </span>
              </div>
              <div role="gridcell" aria-colindex={6} title={firstReason(entry)}>
                {firstReason(entry)}
              </div>
              <div role="gridcell" aria-colindex={7}>
                <input type="checkbox" tabIndex={-1} aria-label={`Select ${name}`} checked={selected.has(entry.id)} onChange={() => props.onToggle(entry.id)} />
              </div>
            </div>
          );
        })}
      </div>
      {entries.length === 0 && !props.loading && <p className={styles.empty}>No validated files match. Every file a job validates appears here, passed or refused.</p>}
      {props.loading && entries.length === 0 && <p className={styles.empty}>Loading…</p>}
    </div>
  );
}
