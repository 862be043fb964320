import { ChevronDown, ChevronRight, X } from 'lucide-react';
import { ProgressBar } from 'react-aria-components';
import type { TransferFile, TransferSnapshot } from '../../src/shared/contract/models.js';
import { formatBytes, formatCount, formatEta, formatRate } from '../format.js';
import { FILES_SHOWN, isFinished, type BatchFiles } from '../stores/transfers.js';
import { useSlice, useStores } from './StoresContext.js';
import styles from './TransferList.module.css';

const BATCH_WORDS: Readonly<Record<TransferSnapshot['state'], string>> = { queued: 'Queued', running: 'Running', done: 'Done', failed: 'Failed', cancelled: 'Cancelled' };

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
  return Math.max(0, snapshot.filesTotal - snapshot.filesDone - snapshot.filesSkipped - snapshot.filesFailed - snapshot.current.length);
}

function Bar({ label, done, total }: { readonly label: string; readonly done: number; readonly total: number }) {
  return (
    <ProgressBar aria-label={label} value={percent(done, total)} className={styles.bar}>
      {({ percentage }) => <span className={styles.fill} style={{ width: `${percentage ?? 0}%` }} />}
    </ProgressBar>
  );
}

function FileRow({ file: listed, live }: { readonly file: TransferFile; readonly live: { readonly bytes: number; readonly size: number } | undefined }) {
  // Only settled files are announced one by one; one in flight is known from the batch's progress.
  const file: TransferFile = live !== undefined && listed.state === 'queued' ? { ...listed, state: 'running' } : listed;
  const bytes = live?.bytes ?? file.bytes;
  const size = live?.size ?? file.size;
  return (
    <li className={styles.file} data-state={file.state}>
      <span className={styles.fileName} title={file.source}>
        {nameOf(file.source)}
      </span>
      <span className={styles.fileState}>{fileStateWords(file)}</span>
      {file.state === 'running' ? <Bar label={`${nameOf(file.source)} progress`} done={bytes} total={size} /> : <span />}
      <span className={styles.numbers}>{file.state === 'running' ? `${formatBytes(bytes)} of ${formatBytes(size)}` : formatBytes(size)}</span>
    </li>
  );
}

function Files({ snapshot, files }: { readonly snapshot: TransferSnapshot; readonly files: BatchFiles | undefined }) {
  if (files === undefined) return <p className={styles.note}>Reading the files…</p>;
  const live = new Map(snapshot.current.map((c) => [c.path, c]));
  return (
    <>
      <ul className={styles.files} aria-label={`Files of ${snapshot.label}`}>
        {files.files.map((file) => (
          <FileRow key={file.source} file={file} live={live.get(file.source)} />
        ))}
      </ul>
      {files.total > FILES_SHOWN && <p className={styles.note}>The first {formatCount(FILES_SHOWN)} of {formatCount(files.total)} files are listed.</p>}
    </>
  );
}

function Batch({ id }: { readonly id: string }) {
  const { transfers } = useStores();
  const snapshot = useSlice(transfers, (s) => s.batches.get(id));
  const expanded = useSlice(transfers, (s) => s.expanded.has(id));
  const files = useSlice(transfers, (s) => s.files.get(id));
  if (snapshot === undefined) return null;
  const finished = isFinished(snapshot);
  const queued = queuedFiles(snapshot);
  const current = snapshot.current[0];
  const counts = [
    `${formatCount(snapshot.filesDone)} of ${formatCount(snapshot.filesTotal)} files done`,
    queued > 0 ? `${formatCount(queued)} queued` : '',
    snapshot.filesSkipped > 0 ? `${formatCount(snapshot.filesSkipped)} skipped` : '',
    snapshot.filesFailed > 0 ? `${formatCount(snapshot.filesFailed)} failed` : '',
  ].filter((part) => part !== '');
  return (
    <li className={styles.batch} data-state={snapshot.state}>
      <div className={styles.batchRow}>
        <button type="button" className={styles.expand} aria-expanded={expanded} aria-label={`Files of ${snapshot.label}`} onClick={() => void transfers.getState().toggle(id)}>
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
          <Bar label={`${snapshot.label} progress`} done={snapshot.bytesDone} total={snapshot.bytesTotal} />
          <span className={styles.numbers}>
            {formatBytes(snapshot.bytesDone)} of {formatBytes(snapshot.bytesTotal)}
          </span>
        </div>
        <span className={styles.rate}>{finished ? '' : formatRate(snapshot.rateBps)}</span>
        <span className={styles.eta}>{finished ? '' : formatEta(snapshot.etaSeconds)}</span>
        {finished ? (
          <span />
        ) : (
          <button type="button" className={styles.cancel} aria-label={`Cancel ${snapshot.label}`} title="Cancel" onClick={() => void transfers.getState().cancel(id)}>
            <X aria-hidden size={16} />
          </button>
        )}
      </div>
      {current !== undefined && !expanded && (
        <p className={styles.current}>
          Now: {nameOf(current.path)} ({formatBytes(current.bytes)} of {formatBytes(current.size)})
        </p>
      )}
      {snapshot.error !== undefined && (
        <p role="alert" className={styles.batchError}>
          {snapshot.error}
        </p>
      )}
      {expanded && <Files snapshot={snapshot} files={files} />}
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
  const error = useSlice(transfers, (s) => s.error);
  const list = ids === '' ? [] : ids.split('\n');
  if (list.length === 0 && !full) return null;
  return (
    <section aria-label="Transfers" className={full ? `${styles.dock} ${styles.full}` : styles.dock}>
      <header className={styles.header}>
        <h2 className={styles.title}>Transfers</h2>
        <span className={styles.totals}>
          {running} running{waiting > 0 ? ` · ${waiting} waiting to start` : ''} · {formatCount(queued)} {queued === 1 ? 'file' : 'files'} queued · {formatRate(rate)}
        </span>
        <button type="button" className="button small" disabled={finished === 0} onClick={() => transfers.getState().clearFinished()}>
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
