import { ChevronDown, ChevronRight, FolderOpen, Pause, Play, RotateCcw, X } from 'lucide-react';
import { ProgressBar } from 'react-aria-components';
import type { TransferFile, TransferSnapshot } from '../../src/shared/contract/models.js';
import { formatBytes, formatCount, formatEta, formatRate } from '../format.js';
import { FILES_SHOWN, isFinished, progressVisible, type BatchFiles } from '../stores/transfers.js';
import { useSlice, useStores } from './StoresContext.js';
import styles from './TransferList.module.css';

const BATCH_WORDS: Readonly<Record<TransferSnapshot['state'], string>> = {
  queued: 'Queued',
  running: 'Running',
  paused: 'Paused',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** A file's state as the queue says it: a word, and for a skip or failure, why. */
function fileStateWords(file: TransferFile): string {
  switch (file.state) {
    case 'queued':
      return 'Queued';
    case 'running':
      return 'Running';
    case 'done':
      return 'Done';
    case 'skipped':
      return `Skipped: ${file.reason ?? 'no reason given'}`;
    case 'failed':
      return `Failed: ${file.reason ?? 'no reason given'}`;
    case 'cancelled':
      return 'Cancelled';
  }
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function percent(done: number, total: number): number {
  return total > 0 ? Math.min(100, (done / total) * 100) : 0;
}

function queuedFiles(snapshot: TransferSnapshot): number {
  const settled = snapshot.filesDone + snapshot.filesSkipped + snapshot.filesFailed + snapshot.filesCancelled;
  return Math.max(0, snapshot.filesTotal - settled - snapshot.current.length);
}

function Bar({ label, done, total }: { readonly label: string; readonly done: number; readonly total: number }) {
  return (
    <ProgressBar aria-label={label} value={percent(done, total)} className={styles.bar}>
      {({ percentage }) => <span className={styles.fill} style={{ width: `${percentage ?? 0}%` }} />}
    </ProgressBar>
  );
}

interface FileRowProps {
  readonly id: string;
  readonly file: TransferFile;
  readonly live: { readonly bytes: number; readonly size: number } | undefined;
  readonly batchFinished: boolean;
  readonly showBars: boolean;
}

function FileRow({ id, file: listed, live, batchFinished, showBars }: FileRowProps) {
  const { transfers } = useStores();
  // Only settled files are announced one by one; one in flight is known from the batch's progress.
  const file: TransferFile = live !== undefined && listed.state === 'queued' ? { ...listed, state: 'running' } : listed;
  const bytes = live?.bytes ?? file.bytes;
  const size = live?.size ?? file.size;
  const name = nameOf(file.source);
  const cancellable = !batchFinished && (file.state === 'queued' || file.state === 'running');
  const retryable = batchFinished && file.state === 'failed';
  return (
    <li className={styles.file} data-state={file.state}>
      <span className={styles.fileName} title={file.source}>
        {name}
      </span>
      <span className={styles.fileState}>{fileStateWords(file)}</span>
      {file.state === 'running' && showBars ? <Bar label={`${name} progress`} done={bytes} total={size} /> : <span />}
      <span className={styles.numbers}>{file.state === 'running' ? `${formatBytes(bytes)} of ${formatBytes(size)}` : size >= 0 ? formatBytes(size) : ''}</span>
      <span className={styles.actions}>
        {cancellable && (
          <button type="button" className={styles.icon} aria-label={`Cancel ${name}`} title="Cancel this file" onClick={() => void transfers.getState().cancelFile(id, file.source)}>
            <X aria-hidden size={14} />
          </button>
        )}
        {retryable && (
          <button type="button" className={styles.icon} aria-label={`Retry ${name}`} title="Retry this file" onClick={() => void transfers.getState().retry(id, file.source)}>
            <RotateCcw aria-hidden size={14} />
          </button>
        )}
      </span>
    </li>
  );
}

function Files({ snapshot, files, showBars }: { readonly snapshot: TransferSnapshot; readonly files: BatchFiles | undefined; readonly showBars: boolean }) {
  if (files === undefined) return <p className={styles.note}>Reading the files…</p>;
  const live = new Map(snapshot.current.map((c) => [c.path, c]));
  const finished = isFinished(snapshot);
  return (
    <>
      <ul className={styles.files} aria-label={`Files of ${snapshot.label}`}>
        {files.files.map((file) => (
          <FileRow key={file.source} id={snapshot.id} file={file} live={live.get(file.source)} batchFinished={finished} showBars={showBars} />
        ))}
      </ul>
      {files.total > FILES_SHOWN && <p className={styles.note}>The first {formatCount(FILES_SHOWN)} of {formatCount(files.total)} files are listed.</p>}
    </>
  );
}

function Batch({ id }: { readonly id: string }) {
  const { transfers, panes, ui } = useStores();
  const snapshot = useSlice(transfers, (s) => s.batches.get(id));
  const expanded = useSlice(transfers, (s) => s.expanded.has(id));
  const files = useSlice(transfers, (s) => s.files.get(id));
  const since = useSlice(transfers, (s) => s.runningSince.get(id));
  // The tick re-renders rows when a bar falls due; the clock then says whether it has.
  useSlice(transfers, (s) => s.tick);
  if (snapshot === undefined) return null;
  const finished = isFinished(snapshot);
  const showBars = progressVisible(snapshot, since, transfers.getState().clock.now());
  const queued = queuedFiles(snapshot);
  const current = snapshot.current[0];
  const counts = [
    `${formatCount(snapshot.filesDone)} of ${formatCount(snapshot.filesTotal)} files done`,
    queued > 0 && !finished ? `${formatCount(queued)} queued` : '',
    snapshot.filesSkipped > 0 ? `${formatCount(snapshot.filesSkipped)} skipped` : '',
    snapshot.filesFailed > 0 ? `${formatCount(snapshot.filesFailed)} failed` : '',
    snapshot.filesCancelled > 0 ? `${formatCount(snapshot.filesCancelled)} cancelled` : '',
  ].filter((part) => part !== '');
  const showInPane = (): void => {
    const state = panes.getState();
    const side = state.left.connection === snapshot.target.connection ? 'left' : 'right';
    if (state[side].connection !== snapshot.target.connection) state.setConnection(side, snapshot.target.connection);
    state.open(side, snapshot.target.path);
    ui.getState().go('browse');
  };
  return (
    <li className={styles.batch} data-state={snapshot.state}>
      <div className={styles.batchRow}>
        <button type="button" className={styles.icon} aria-expanded={expanded} aria-label={`Files of ${snapshot.label}`} onClick={() => void transfers.getState().toggle(id)}>
          {expanded ? <ChevronDown aria-hidden size={16} /> : <ChevronRight aria-hidden size={16} />}
        </button>
        <div className={styles.what}>
          <span className={styles.label} title={snapshot.label}>
            {snapshot.label}
          </span>
          <span className={styles.counts}>{counts.join(' · ')}</span>
        </div>
        <span className={styles.state}>{BATCH_WORDS[snapshot.state]}</span>
        <div className={styles.progress}>
          {showBars && <Bar label={`${snapshot.label} progress`} done={snapshot.bytesDone} total={snapshot.bytesTotal} />}
          <span className={styles.numbers}>{snapshot.bytesTotal > 0 || finished ? `${formatBytes(snapshot.bytesDone)} of ${formatBytes(snapshot.bytesTotal)}` : 'Size known once it starts'}</span>
        </div>
        <span className={styles.rate}>{finished ? '' : formatRate(snapshot.rateBps)}</span>
        <span className={styles.eta}>{finished ? '' : formatEta(snapshot.etaSeconds)}</span>
        <span className={styles.actions}>
          {finished && snapshot.filesFailed > 0 && (
            <button type="button" className={styles.icon} aria-label={`Retry failed files of ${snapshot.label}`} title="Retry failed files" onClick={() => void transfers.getState().retry(id)}>
              <RotateCcw aria-hidden size={16} />
            </button>
          )}
          <button type="button" className={styles.icon} aria-label={`Show where ${snapshot.label} lands`} title="Show in pane" onClick={showInPane}>
            <FolderOpen aria-hidden size={16} />
          </button>
          {!finished && (
            <button type="button" className={styles.icon} aria-label={`Cancel ${snapshot.label}`} title="Cancel" onClick={() => void transfers.getState().cancel(id)}>
              <X aria-hidden size={16} />
            </button>
          )}
        </span>
      </div>
      {current !== undefined && !expanded && (
        <p className={styles.current}>
          Now: {nameOf(current.path)} ({formatBytes(current.bytes)} of {formatBytes(current.size)})
        </p>
      )}
      {snapshot.error !== undefined && (
        <p role="alert" className={styles.batchError}>
          Failed: {snapshot.error}
        </p>
      )}
      {expanded && <Files snapshot={snapshot} files={files} showBars={showBars} />}
    </li>
  );
}

/** Every batch, in the order it was queued; the order never changes while the list is looked at. */
export function TransferList({ full = false }: { readonly full?: boolean }) {
  const { transfers } = useStores();
  const ids = useSlice(transfers, (s) => [...s.batches.keys()].join('\n'));
  const running = useSlice(transfers, (s) => [...s.batches.values()].filter((b) => b.state === 'running').length);
  const waiting = useSlice(transfers, (s) => [...s.batches.values()].filter((b) => b.state === 'queued').length);
  const finished = useSlice(transfers, (s) => [...s.batches.values()].filter(isFinished).length);
  const rate = useSlice(transfers, (s) => [...s.batches.values()].reduce((sum, b) => sum + (isFinished(b) ? 0 : b.rateBps), 0));
  const queued = useSlice(transfers, (s) => [...s.batches.values()].reduce((sum, b) => sum + (isFinished(b) ? 0 : queuedFiles(b)), 0));
  const paused = useSlice(transfers, (s) => s.paused);
  const error = useSlice(transfers, (s) => s.error);
  const list = ids === '' ? [] : ids.split('\n');
  if (list.length === 0 && !full && !paused) return null;
  return (
    <section aria-label="Transfers" className={full ? `${styles.dock} ${styles.full}` : styles.dock}>
      <header className={styles.header}>
        <h2 className={styles.title}>Transfers</h2>
        <span className={styles.totals}>
          {running} running{waiting > 0 ? ` · ${waiting} waiting to start` : ''} · {formatCount(queued)} {queued === 1 ? 'file' : 'files'} queued · {formatRate(rate)}
        </span>
        {paused && (
          <span className={styles.paused} role="status">
            Paused: files on their way finish, no new file starts
          </span>
        )}
        <button type="button" className="button small" onClick={() => void transfers.getState().setPaused(!paused)}>
          {paused ? <Play aria-hidden size={14} /> : <Pause aria-hidden size={14} />}
          {paused ? 'Resume transfers' : 'Pause new transfers'}
        </button>
        <button type="button" className="button small" disabled={finished === 0} onClick={() => void transfers.getState().clearFinished()}>
          Clear finished
        </button>
      </header>
      {error !== undefined && (
        <p role="alert" className={styles.batchError}>
          {error}
        </p>
      )}
      {list.length === 0 ? (
        <p className={styles.note}>Nothing is being transferred. Select files in Browse and press F5 to copy them to the other pane.</p>
      ) : (
        <ul className={styles.batches}>
          {list.map((id) => (
            <Batch key={id} id={id} />
          ))}
        </ul>
      )}
    </section>
  );
}
