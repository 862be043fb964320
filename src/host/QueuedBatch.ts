import { TransferError } from '../connectors/errors.js';
import { joinRelative, normalizeRelative } from '../connectors/paths.js';
import type { PlannedFileView } from '../engine/transfer.js';
import { TransferStats } from '../engine/TransferStats.js';
import type { BatchState, FileState, TransferFile, TransferRequestInput, TransferSnapshot } from '../shared/contract/models.js';
import type { TransferPart } from '../workspace/recordedTransfer.js';

export const CANCELLED_BY_USER = 'Cancelled by the user';

/** A batch as the queue's state file keeps it: what was asked and where each file stands, nothing secret. */
export interface StoredBatch {
  readonly id: string;
  readonly request: TransferRequestInput;
  readonly label: string;
  readonly startedAt: number;
  readonly files: ReadonlyArray<TransferFile>;
}

/** What the next attempt sends: selected items the engine has not listed yet, and files it listed but did not settle. */
export interface Attempt {
  readonly selected: ReadonlyArray<string>;
  readonly parts: ReadonlyArray<TransferPart>;
}

const UNSETTLED: ReadonlySet<FileState> = new Set(['queued', 'running']);
/** Files whose bytes count towards the batch's total: those sent or still to send. */
const COUNTED: ReadonlySet<FileState> = new Set(['queued', 'running', 'done']);

/**
 * One batch of the window's queue: every file keeps its row, in the order first seen, through retries
 * and restarts. Until the engine lists a selected folder, the folder stands in its row as one item.
 */
export class QueuedBatch {
  readonly id: string;
  readonly request: TransferRequestInput;
  readonly label: string;
  readonly startedAt: number;
  state: BatchState = 'queued';
  finishedAt: number | undefined;
  error: string | undefined;
  /** The current attempt's counters and stop signal; each retry or resume is a new attempt. */
  stats: TransferStats;
  abort: AbortController;
  readonly #now: () => number;
  readonly #rows: TransferFile[] = [];
  readonly #index = new Map<string, number>();
  /** Rows of selected items the engine has not listed yet. */
  readonly #unplanned = new Set<string>();
  /** Selected items cancelled before the engine listed them. */
  readonly #cancelledItems = new Set<string>();
  /** One signal per file in flight, so that a person can stop that file alone. */
  readonly #fileAborts = new Map<string, AbortController>();
  readonly #tally = { done: 0, skipped: 0, failed: 0, cancelled: 0, bytesTotal: 0, bytesDone: 0 };

  constructor(stored: StoredBatch, now: () => number) {
    this.id = stored.id;
    this.request = stored.request;
    this.label = stored.label;
    this.startedAt = stored.startedAt;
    this.#now = now;
    this.stats = new TransferStats(now);
    this.abort = new AbortController();
    for (const file of stored.files) this.#put(file);
    const selected = new Set(stored.request.source.paths);
    for (const file of stored.files) if (file.target === undefined && UNSETTLED.has(file.state) && selected.has(file.source)) this.#unplanned.add(file.source);
  }

  /** A new batch: each selected item has a row until the engine lists what it holds. */
  static create(id: string, request: TransferRequestInput, label: string, now: () => number): QueuedBatch {
    const files = request.source.paths.map((source): TransferFile => ({ source, state: 'queued', size: -1, bytes: 0 }));
    return new QueuedBatch({ id, request, label, startedAt: now(), files }, now);
  }

  get finished(): boolean {
    return this.state === 'done' || this.state === 'failed' || this.state === 'cancelled';
  }

  files(): ReadonlyArray<TransferFile> {
    return this.#rows;
  }

  /** Starts an attempt: a fresh signal and counters, and everything not settled yet to send. */
  begin(): Attempt {
    this.state = 'running';
    this.finishedAt = undefined;
    this.error = undefined;
    this.stats = new TransferStats(this.#now);
    this.abort = new AbortController();
    const selected = [...this.#unplanned];
    const parts = this.#rows.filter((f) => UNSETTLED.has(f.state) && !this.#unplanned.has(f.source)).map((f) => this.#partOf(f));
    return { selected, parts };
  }

  /** The engine listed a part's files: each gets (or keeps) its row; a listed selected item's own row goes. */
  planned(files: ReadonlyArray<PlannedFileView>): void {
    for (const view of files) {
      const item = this.#selectedItemOf(view.source, this.#unplanned);
      if (item !== undefined) this.#dropUnplanned(item, item === view.source);
      // A cancelled folder's files get no rows: the folder's own row says it was cancelled.
      if (this.#selectedItemOf(view.source, this.#cancelledItems) !== undefined) continue;
      if (this.#rows[this.#index.get(view.source) ?? -1]?.state !== 'cancelled') this.#put({ source: view.source, target: view.target, state: 'queued', size: view.size, bytes: 0 });
    }
  }

  /** A file's outcome; the row's index, for the event that tells the window, or undefined for a file of a cancelled folder. */
  settled(file: TransferFile): number | undefined {
    this.#fileAborts.delete(file.source);
    this.#unplanned.delete(file.source);
    // The engine counts a file that failed as 0 bytes; its row keeps the size it was planned with.
    const planned = this.#rows[this.#index.get(file.source) ?? -1];
    if (planned === undefined && this.#selectedItemOf(file.source, this.#cancelledItems) !== undefined) return undefined;
    return this.#put(file.state === 'done' || planned === undefined ? file : { ...file, size: planned.size });
  }

  /** Whether the file has an outcome in this attempt (a file the engine refused before sending has none yet). */
  hasSettled(source: string): boolean {
    const row = this.#rows[this.#index.get(source) ?? -1];
    return row !== undefined && !UNSETTLED.has(row.state);
  }

  /** How an attempt that ran to its end ended: failed if any file failed, cancelled if all that was left was cancelled. */
  outcome(): BatchState {
    if (this.#tally.failed > 0) return 'failed';
    return this.#tally.done + this.#tally.skipped === 0 && this.#tally.cancelled > 0 ? 'cancelled' : 'done';
  }

  /** The file's own signal; aborted when a person cancels just that file. */
  fileSignal(source: string): AbortSignal {
    if (this.#selectedItemOf(source, this.#cancelledItems) !== undefined) return AbortSignal.abort(new TransferError('cancelled', CANCELLED_BY_USER, { path: source }));
    let abort = this.#fileAborts.get(source);
    if (abort === undefined) {
      abort = new AbortController();
      this.#fileAborts.set(source, abort);
    }
    return abort.signal;
  }

  /** Cancels one file before or while it is sent; the others go on. The row's index, or undefined when it had settled. */
  cancelFile(source: string): number | undefined {
    const at = this.#index.get(source);
    const row = at === undefined ? undefined : this.#rows[at];
    if (row === undefined) throw new TransferError('notFound', `${source} is not a file of ${this.label}`, { path: source });
    if (!UNSETTLED.has(row.state)) return undefined;
    this.#fileAborts.get(source)?.abort(new TransferError('cancelled', CANCELLED_BY_USER, { path: source }));
    // A selected folder being listed right now: the files it turns out to hold are cancelled with it.
    if (this.#unplanned.delete(source)) this.#cancelledItems.add(source);
    return this.#put({ ...row, state: 'cancelled', reason: CANCELLED_BY_USER });
  }

  /** Puts failed files (all, or the one named) back in the queue; the indices of their rows. */
  retry(source: string | undefined): number[] {
    if (!this.finished) throw new TransferError('validation', `${this.label} is still being sent: retry its failed files once it has finished`);
    const failed = this.#rows.flatMap((f, i) => (f.state === 'failed' && (source === undefined || f.source === source) ? [i] : []));
    if (failed.length === 0) throw new TransferError('notFound', source === undefined ? `No file of ${this.label} failed` : `${source} did not fail in ${this.label}`);
    for (const i of failed) {
      const row = this.#rows[i];
      if (row === undefined) continue;
      this.#put({ source: row.source, ...(row.target === undefined ? {} : { target: row.target }), state: 'queued', size: row.size, bytes: 0 });
    }
    this.state = 'queued';
    this.finishedAt = undefined;
    this.error = undefined;
    this.abort = new AbortController();
    return failed;
  }

  /**
   * Ends the attempt. `queued`: interrupted, everything unsent waits for the next attempt. Otherwise
   * no row is left waiting: a selected folder that held no file goes, and what the engine never reached
   * is cancelled with the batch or fails with its error (a retry sends it again).
   */
  finish(state: BatchState, error: string | undefined): void {
    if (state !== 'queued') {
      const reached = state === 'done' ? [...this.#unplanned] : [];
      for (const item of reached) this.#dropUnplanned(item, false);
      this.#unplanned.clear();
      this.#rows.forEach((row) => {
        if (!UNSETTLED.has(row.state)) return;
        this.#put(state === 'cancelled' ? { ...row, state: 'cancelled', reason: CANCELLED_BY_USER } : { ...row, state: 'failed', reason: error ?? 'not sent' });
      });
    }
    this.state = state;
    this.error = error;
    this.finishedAt = state === 'queued' ? undefined : this.#now();
  }

  stored(): StoredBatch {
    return { id: this.id, request: this.request, label: this.label, startedAt: this.startedAt, files: this.#rows };
  }

  /** The batch as the window shows it; `holding` when the queue lets nothing new start. */
  snapshot(holding: boolean): TransferSnapshot {
    const s = this.stats.snapshot();
    const running = this.state === 'running';
    const current = running ? s.current.map((c) => ({ path: c.path, bytes: c.bytes, size: c.size })) : [];
    const bytesDone = this.#tally.bytesDone + current.reduce((n, c) => n + c.bytes, 0);
    const rateBps = running ? s.rateBps : 0;
    return {
      id: this.id,
      label: this.label,
      move: this.request.move,
      source: this.request.source,
      target: this.request.target,
      state: running && holding && current.length === 0 ? 'paused' : this.state,
      filesTotal: this.#rows.length,
      filesDone: this.#tally.done,
      filesSkipped: this.#tally.skipped,
      filesFailed: this.#tally.failed,
      filesCancelled: this.#tally.cancelled,
      bytesTotal: this.#tally.bytesTotal,
      bytesDone,
      rateBps,
      etaSeconds: rateBps > 0 ? Math.ceil(Math.max(0, this.#tally.bytesTotal - bytesDone) / rateBps) : null,
      startedAt: this.startedAt,
      ...(this.finishedAt === undefined ? {} : { finishedAt: this.finishedAt }),
      ...(this.error === undefined ? {} : { error: this.error }),
      current,
    };
  }

  /** The item of `items` that is `path` or holds it, looked up by the path's own folders, not by scanning the set. */
  #selectedItemOf(path: string, items: ReadonlySet<string>): string | undefined {
    if (items.size === 0) return undefined;
    for (let at = path.length; at > 0; at = path.lastIndexOf('/', at - 1)) {
      const candidate = path.slice(0, at);
      if (items.has(candidate)) return candidate;
    }
    return undefined;
  }

  /** A planned file sent on its own: to the path it was bound for, or through the naming rule again. */
  #partOf(file: TransferFile): TransferPart {
    const folder = normalizeRelative(this.request.target.path);
    const byRule = this.request.attachBy !== undefined || file.target === undefined;
    return { sourcePath: file.source, targetPath: byRule ? `${folder}/` : (file.target ?? joinRelative(folder, file.source)), recursive: false };
  }

  #dropUnplanned(item: string, keepRow: boolean): void {
    this.#unplanned.delete(item);
    if (keepRow) return;
    const at = this.#index.get(item);
    const row = at === undefined ? undefined : this.#rows[at];
    if (at === undefined || row === undefined) return;
    this.#count(row, -1);
    this.#rows.splice(at, 1);
    this.#index.delete(item);
    for (let i = at; i < this.#rows.length; i++) {
      const moved = this.#rows[i];
      if (moved !== undefined) this.#index.set(moved.source, i);
    }
  }

  #put(file: TransferFile): number {
    const at = this.#index.get(file.source);
    const old = at === undefined ? undefined : this.#rows[at];
    if (old !== undefined) this.#count(old, -1);
    this.#count(file, 1);
    if (at !== undefined) {
      this.#rows[at] = file;
      return at;
    }
    this.#index.set(file.source, this.#rows.length);
    return this.#rows.push(file) - 1;
  }

  #count(file: TransferFile, sign: 1 | -1): void {
    if (file.state === 'done') this.#tally.done += sign;
    else if (file.state === 'skipped') this.#tally.skipped += sign;
    else if (file.state === 'failed') this.#tally.failed += sign;
    else if (file.state === 'cancelled') this.#tally.cancelled += sign;
    if (COUNTED.has(file.state)) this.#tally.bytesTotal += sign * (file.state === 'done' ? file.bytes : Math.max(0, file.size));
    if (file.state === 'done') this.#tally.bytesDone += sign * file.bytes;
  }
}
