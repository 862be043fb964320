import { ArrowLeft, Download, Search } from 'lucide-react';
import { useCallback, useEffect, useState } from 'react';
import { RUN_STATUSES, type HistoryView } from '../../src/shared/contract/historyCommands.js';
import { JobDateFilterForm } from '../components/JobDateFilterForm.js';
import { saveDownload } from '../download.js';
import { formatBytes, formatCount, formatDate } from '../format.js';
import type { HistoryRow } from '../stores/history.js';
import { checksOf, checksumText, formatDuration, HistoryGrid, runDuration, STATUS_WORDS } from './HistoryGrid.js';
import styles from './HistoryScreen.module.css';
import { useSlice, useStores } from './StoresContext.js';

function titleOf(view: HistoryView, runLabel: string | undefined): string {
  switch (view.kind) {
    case 'runs':
      return 'Runs';
    case 'items':
      return `Files of run #${view.runId}${runLabel === undefined ? '' : ` (${runLabel})`}`;
    case 'search':
      return `Files named like “${view.text}”`;
    case 'trail':
      return `The way of ${view.name}`;
  }
}

function SearchForm({ onSearch }: { readonly onSearch: (text: string) => void }) {
  const [text, setText] = useState('');
  const short = text.trim() !== '' && [...text.trim()].length < 3;
  return (
    <form
      role="search"
      aria-label="Find a file in every run"
      className={styles.search}
      onSubmit={(e) => {
        e.preventDefault();
        if (!short) onSearch(text);
      }}
    >
      <label className="field">
        File name
        <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="part of a file name, e.g. INV-ACC" aria-describedby="history-search-hint" />
      </label>
      <button type="submit" className="button" disabled={short}>
        <Search aria-hidden size={16} />
        Search
      </button>
      <span id="history-search-hint" className={styles.hint}>
        {short ? 'Type at least 3 characters.' : 'Looks in every run, newest first.'}
      </span>
    </form>
  );
}

/** Everything known about the focused row, and where it leads. */
function Details({ row, onOpen }: { readonly row: HistoryRow | undefined; readonly onOpen: () => void }) {
  if (row === undefined) return <aside className={styles.details} aria-label="Details" />;
  const facts: Array<[string, string]> = [];
  let action = '';
  switch (row.kind) {
    case 'run': {
      const { run } = row;
      facts.push(['Run', `#${run.id} ${run.job} (${run.kind})`], ['Status', STATUS_WORDS[run.status] ?? run.status], ['Started', formatDate(run.startedAt)], ['Finished', formatDate(run.finishedAt)], ['Duration', formatDuration(runDuration(run))]);
      facts.push(['From', run.source], ['To', run.target], ['Files', `${formatCount(run.files)} moved, ${formatCount(run.skipped)} skipped, ${formatCount(run.failed)} failed`], ['Size', formatBytes(run.bytes)]);
      if (run.error !== undefined) facts.push(['Error', run.error]);
      action = 'Show its files';
      break;
    }
    case 'item':
    case 'hit': {
      const item = row.kind === 'item' ? row.item : row.hit;
      facts.push(['File', item.sourcePath], ['Outcome', STATUS_WORDS[item.status] ?? item.status], ['Landed at', item.targetPath ?? '—'], ['Size', formatBytes(item.bytes)], ['Checked by', checksOf(item) || '—']);
      if (item.checksum !== undefined) facts.push(['Checksum', checksumText(item.checksum)]);
      if (item.durationMs !== undefined) facts.push(['Duration', formatDuration(item.durationMs)]);
      if (item.errorKind !== undefined) facts.push(['Error', item.errorKind]);
      if (item.reason !== undefined) facts.push(['Reason', item.reason]);
      if (row.kind === 'hit') facts.push(['Run', `#${row.hit.runId} ${row.hit.job}, ${formatDate(row.hit.runStartedAt)}`]);
      action = 'Show its way through Ferry';
      break;
    }
    case 'step': {
      const { step } = row;
      facts.push(['When', formatDate(step.at)]);
      if (step.kind === 'run') {
        facts.push(['Run', `#${step.item.runId} ${step.job} (${step.runKind})`], ['From', `${step.source}: ${step.item.sourcePath}`], ['To', `${step.target}: ${step.item.targetPath ?? '—'}`]);
        facts.push(['Outcome', STATUS_WORDS[step.item.status] ?? step.item.status], ['Size', formatBytes(step.item.bytes)], ['Checked by', checksOf(step.item) || '—']);
        if (step.item.checksum !== undefined) facts.push(['Checksum', checksumText(step.item.checksum)]);
        if (step.item.reason !== undefined) facts.push(['Reason', step.item.reason]);
      } else if (step.kind === 'validation') facts.push(['Check', step.rule], ['Result', step.passed ? 'Passed' : 'Failed'], ['Message', step.message]);
      else facts.push(['Quarantine', step.action], ['Reason', step.reason], ['Kept at', step.location]);
      action = 'Show the run';
      break;
    }
  }
  return (
    <aside className={styles.details} aria-label="Details">
      <dl className={styles.facts}>
        {facts.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <button type="button" className="button" onClick={onOpen}>
        {action}
      </button>
    </aside>
  );
}

/** What ran: runs by job, status and date, a run's files, any file name across all runs, one file's way, and CSV of each. */
export function HistoryScreen() {
  const { history } = useStores();
  const view = useSlice(history, (s) => s.view);
  const rows = useSlice(history, (s) => s.rows);
  const run = useSlice(history, (s) => s.run);
  const next = useSlice(history, (s) => s.next);
  const loading = useSlice(history, (s) => s.loading);
  const error = useSlice(history, (s) => s.error);
  const focus = useSlice(history, (s) => s.focus);
  const back = useSlice(history, (s) => s.back);
  const exporting = useSlice(history, (s) => s.exporting);
  const [exported, setExported] = useState<string | undefined>(undefined);

  useEffect(() => {
    const state = history.getState();
    if (state.rows.length === 0 && !state.loading) void state.showRuns(state.filter);
  }, [history]);

  const onNeedMore = useCallback(() => void history.getState().more(), [history]);
  const title = titleOf(view, run === undefined ? undefined : `${run.job}, ${formatDate(run.startedAt)}`);
  const exportView = async (): Promise<void> => {
    const file = await history.getState().exportCsv();
    if (file === undefined) return;
    saveDownload(file.name, file.parts, 'text/csv');
    setExported(`${file.name}: ${formatCount(file.rows)} ${file.rows === 1 ? 'row' : 'rows'} exported.`);
  };

  return (
    <section className={styles.screen} aria-labelledby="history-title">
      <header className={styles.header}>
        <h1 id="history-title" className={styles.h1}>
          History
        </h1>
        <SearchForm onSearch={(text) => void history.getState().search(text)} />
      </header>
      {view.kind === 'runs' && (
        <JobDateFilterForm
          label="Filter runs"
          choiceLabel="Status"
          anyChoice="Any status"
          choices={RUN_STATUSES}
          choiceWords={STATUS_WORDS}
          submitLabel="Show runs"
          onApply={({ choice, ...rest }) => void history.getState().showRuns({ ...rest, ...(choice === undefined ? {} : { status: choice }) })}
        />
      )}
      <div className={styles.bar}>
        {view.kind !== 'runs' && (
          <button type="button" className="button small" onClick={() => void history.getState().goBack()}>
            <ArrowLeft aria-hidden size={14} />
            {back === undefined || back.kind === 'runs' ? 'All runs' : 'Back'}
          </button>
        )}
        <h2 className={styles.h2}>{title}</h2>
        <span className={styles.count} aria-live="polite">
          {loading && rows.length === 0 ? '' : `${formatCount(rows.length)}${next === undefined ? '' : '+'} ${rows.length === 1 ? 'row' : 'rows'}`}
        </span>
        <button type="button" className="button small" disabled={exporting || rows.length === 0} onClick={() => void exportView()}>
          <Download aria-hidden size={14} />
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      {(error !== undefined || exported !== undefined) && (
        <p role={error === undefined ? 'status' : 'alert'} className={error === undefined ? styles.note : styles.problem}>
          {error ?? exported}
        </p>
      )}
      <div className={styles.body}>
        <HistoryGrid
          label={title}
          view={view.kind}
          rows={rows}
          more={next !== undefined}
          loading={loading}
          focus={focus}
          emptyText={view.kind === 'runs' ? 'No runs match. Transfers and job runs appear here once they start.' : 'Nothing found.'}
          onFocus={(index) => history.getState().setFocus(index)}
          onOpen={(index) => void history.getState().open(index)}
          onBack={() => void history.getState().goBack()}
          onNeedMore={onNeedMore}
        />
        <Details row={rows[focus]} onOpen={() => void history.getState().open(focus)} />
      </div>
    </section>
  );
}

