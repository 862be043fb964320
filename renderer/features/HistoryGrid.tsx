import type { KeyboardEvent, ReactNode } from 'react';
import type { HistoryView, ItemView, RunView, TrailStepView } from '../../src/shared/contract/historyCommands.js';
import { useVirtualGridRows } from '../components/useVirtualGridRows.js';
import { formatBytes, formatCount, formatDate } from '../format.js';
import { fileNameOf, type HistoryRow } from '../stores/history.js';
import styles from './HistoryScreen.module.css';

interface Column {
  readonly label: string;
  /** A CSS grid track. */
  readonly width: string;
  readonly end?: boolean;
  readonly render: (row: HistoryRow) => ReactNode;
}

export const STATUS_WORDS: Readonly<Record<string, string>> = {
  running: 'Running',
  succeeded: 'Succeeded',
  partial: 'Partly done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
  pending: 'Pending',
  copied: 'Copied',
  moved: 'Moved',
  skipped: 'Skipped',
  planned: 'Planned',
  quarantined: 'Quarantined',
  deleted: 'Deleted',
};

function Status({ status }: { readonly status: string }) {
  return (
    <span className={styles.status} data-status={status}>
      {STATUS_WORDS[status] ?? status}
    </span>
  );
}

/** "1 min 4 s", "0.3 s"; empty when the run has not finished. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || ms < 0) return '';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

export function runDuration(run: RunView): number | undefined {
  return run.finishedAt === undefined ? undefined : run.finishedAt - run.startedAt;
}

/** The checks a file passed, in words: "size, MD5". */
export function checksOf(item: ItemView): string {
  return item.verifiedBy.map((v) => (v === 'size' ? 'size' : v.toUpperCase())).join(', ');
}

/** `md5:9e10…` as people read it: "MD5 9e10…". */
export function checksumText(checksum: string | undefined): string {
  if (checksum === undefined) return '';
  const at = checksum.indexOf(':');
  return at < 0 ? checksum : `${checksum.slice(0, at).toUpperCase()} ${checksum.slice(at + 1)}`;
}

function stepTitle(step: TrailStepView): string {
  switch (step.kind) {
    case 'run':
      return fileNameOf(step.item.sourcePath);
    case 'validation':
      return `Check ${step.rule}: ${step.passed ? 'passed' : 'failed'}`;
    case 'quarantine':
      return `Quarantine: ${step.action}`;
  }
}

function stepDetail(step: TrailStepView): string {
  switch (step.kind) {
    case 'run':
      return `${step.item.sourcePath} → ${step.item.targetPath ?? '—'}${step.item.reason === undefined ? '' : ` (${step.item.reason})`}`;
    case 'validation':
      return step.message;
    case 'quarantine':
      return `${step.reason} (${step.location})`;
  }
}

const COLUMNS: Readonly<Record<HistoryView['kind'], ReadonlyArray<Column>>> = {
  runs: [
    { label: 'Job', width: 'minmax(90px, 1fr)', render: (r) => (r.kind === 'run' ? `${r.run.job}${r.run.dryRun ? ' (preview)' : ''}` : null) },
    { label: 'Started', width: '130px', render: (r) => (r.kind === 'run' ? formatDate(r.run.startedAt) : null) },
    { label: 'Status', width: '96px', render: (r) => (r.kind === 'run' ? <Status status={r.run.status} /> : null) },
    { label: 'Files', width: '60px', end: true, render: (r) => (r.kind === 'run' ? formatCount(r.run.files) : null) },
    { label: 'Failed', width: '60px', end: true, render: (r) => (r.kind === 'run' ? formatCount(r.run.failed) : null) },
    { label: 'Size', width: '76px', end: true, render: (r) => (r.kind === 'run' ? formatBytes(r.run.bytes) : null) },
    { label: 'Duration', width: '76px', end: true, render: (r) => (r.kind === 'run' ? formatDuration(runDuration(r.run)) : null) },
    { label: 'From → to', width: 'minmax(100px, 2fr)', render: (r) => (r.kind === 'run' ? `${r.run.source} → ${r.run.target}` : null) },
  ],
  items: [
    { label: 'File', width: 'minmax(140px, 2fr)', render: (r) => (r.kind === 'item' ? fileNameOf(r.item.sourcePath) : null) },
    { label: 'Outcome', width: '90px', render: (r) => (r.kind === 'item' ? <Status status={r.item.status} /> : null) },
    { label: 'Size', width: '72px', end: true, render: (r) => (r.kind === 'item' ? formatBytes(r.item.bytes) : null) },
    { label: 'Checks', width: 'minmax(70px, 0.6fr)', render: (r) => (r.kind === 'item' ? checksOf(r.item) : null) },
    { label: 'Checksum', width: 'minmax(80px, 1fr)', render: (r) => (r.kind === 'item' ? checksumText(r.item.checksum) : null) },
    { label: 'Took', width: '64px', end: true, render: (r) => (r.kind === 'item' ? formatDuration(r.item.durationMs) : null) },
    { label: 'Landed at', width: 'minmax(90px, 1.5fr)', render: (r) => (r.kind === 'item' ? (r.item.targetPath ?? '—') : null) },
    { label: 'Reason or error', width: 'minmax(80px, 1fr)', render: (r) => (r.kind === 'item' ? (r.item.reason ?? '') : null) },
  ],
  search: [
    { label: 'File', width: 'minmax(140px, 2fr)', render: (r) => (r.kind === 'hit' ? fileNameOf(r.hit.sourcePath) : null) },
    { label: 'Run', width: 'minmax(90px, 0.8fr)', render: (r) => (r.kind === 'hit' ? `#${r.hit.runId} ${r.hit.job}` : null) },
    { label: 'Started', width: '130px', render: (r) => (r.kind === 'hit' ? formatDate(r.hit.runStartedAt) : null) },
    { label: 'Outcome', width: '90px', render: (r) => (r.kind === 'hit' ? <Status status={r.hit.status} /> : null) },
    { label: 'Size', width: '72px', end: true, render: (r) => (r.kind === 'hit' ? formatBytes(r.hit.bytes) : null) },
    { label: 'Landed at', width: 'minmax(90px, 1.5fr)', render: (r) => (r.kind === 'hit' ? (r.hit.targetPath ?? '—') : null) },
  ],
  trail: [
    { label: 'Step', width: 'minmax(140px, 1.2fr)', render: (r) => (r.kind === 'step' ? stepTitle(r.step) : null) },
    { label: 'When', width: '130px', render: (r) => (r.kind === 'step' ? formatDate(r.step.at) : null) },
    { label: 'Run', width: 'minmax(90px, 0.8fr)', render: (r) => (r.kind === 'step' ? (r.step.kind === 'run' ? `#${r.step.item.runId} ${r.step.job}` : `#${r.step.runId}`) : null) },
    { label: 'Outcome', width: '90px', render: (r) => (r.kind === 'step' && r.step.kind === 'run' ? <Status status={r.step.item.status} /> : null) },
    { label: 'Detail', width: 'minmax(120px, 2.5fr)', render: (r) => (r.kind === 'step' ? stepDetail(r.step) : null) },
  ],
};

export interface HistoryGridProps {
  readonly label: string;
  readonly view: HistoryView['kind'];
  readonly rows: ReadonlyArray<HistoryRow>;
  /** More rows exist than are loaded: the count is unknown until the last page. */
  readonly more: boolean;
  readonly loading: boolean;
  readonly focus: number;
  readonly emptyText: string;
  readonly onFocus: (index: number) => void;
  readonly onOpen: (index: number) => void;
  readonly onBack: () => void;
  readonly onNeedMore: () => void;
}

/**
 * One history list as a WAI-ARIA grid that keeps focus itself and points `aria-activedescendant` at
 * the focused row, drawing only the rows in view (the browser's grid pattern). Pages are asked for as
 * the end comes into view, by key, so scrolling a million runs stays as quick as a hundred.
 */
export function HistoryGrid(props: HistoryGridProps) {
  const { rows, focus, more } = props;
  const columns = COLUMNS[props.view];
  const template = columns.map((c) => c.width).join(' ');
  const onOtherKey = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key !== 'Backspace') return;
    event.preventDefault();
    props.onBack();
  };
  const grid = useVirtualGridRows({ count: rows.length, focus, more, idPrefix: 'history', onFocus: props.onFocus, onOpen: props.onOpen, onNeedMore: props.onNeedMore, onOtherKey });

  return (
    <div {...grid.gridProps} aria-label={props.label} aria-colcount={columns.length} aria-busy={props.loading} className={styles.grid}>
      <div role="rowgroup" className={styles.head}>
        <div role="row" aria-rowindex={1} className={styles.row} style={{ gridTemplateColumns: template }}>
          {columns.map((column, i) => (
            <div key={column.label} role="columnheader" aria-colindex={i + 1} className={column.end === true ? styles.end : undefined}>
              {column.label}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" className={styles.rows} style={{ height: grid.totalHeight }}>
        {grid.items.map((item) => {
          const row = rows[item.index];
          if (row === undefined) return null;
          return (
            <div
              key={item.key}
              {...grid.rowProps(item)}
              aria-selected={item.index === focus}
              className={styles.row}
              style={{ gridTemplateColumns: template, ...grid.rowStyle(item) }}
            >
              {columns.map((column, i) => {
                const content = column.render(row);
                // A cell cut short by its column shows the whole text on hover.
                return (
                  <div key={column.label} role="gridcell" aria-colindex={i + 1} className={column.end === true ? styles.end : undefined} title={typeof content === 'string' ? content : undefined}>
                    {content}
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
      {rows.length === 0 && !props.loading && <p className={styles.empty}>{props.emptyText}</p>}
      {props.loading && rows.length === 0 && <p className={styles.empty}>Loading…</p>}
    </div>
  );
}
