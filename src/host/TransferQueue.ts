import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { baseName, joinRelative, normalizeRelative } from '../connectors/paths.js';
import { TransferError } from '../connectors/errors.js';
import type { RemoteFs } from '../connectors/types.js';
import { toTransferError } from '../engine/retry.js';
import { transfer, type ItemResult, type TransferRequest } from '../engine/transfer.js';
import type { BatchState, PreviewItem, TransferFile, TransferRequestInput, TransferSnapshot } from '../shared/contract/models.js';
import { recordedTransfer, recordResolution, type TransferPart } from '../workspace/recordedTransfer.js';
import type { Workspace } from '../workspace/Workspace.js';
import type { EventHub } from './EventHub.js';
import { windowPace } from './handlers/limits.js';
import type { OpenConnections } from './OpenConnections.js';
import { CANCELLED_BY_USER, QueuedBatch } from './QueuedBatch.js';
import { QueueFile } from './QueueFile.js';
import { StartGate } from './StartGate.js';
import { conflictRule } from './conflictRule.js';
import type { Prompts } from './Prompts.js';

/** At most ten progress snapshots a second per batch: enough to look live, little enough to stay smooth. */
const PROGRESS_EVERY_MS = 100;

/** Finished batches the window keeps showing until someone clears them; older ones are in the history. */
const KEEP_FINISHED = 20;
/** How soon a settled file reaches the queue's state file: a crash loses at most this much. */
const SAVE_AFTER_MS = 500;
/**
 * Why files stop when the host closes. Retryable on purpose: the engine then keeps partial files and
 * their journal entries, and the next host resumes them from where they stopped.
 */
const INTERRUPTED = 'Ferry stopped before this file was sent; it goes on when Ferry starts again';

/**
 * The window's transfers: batches run one after another (the engine runs each batch's files in
 * parallel within every server's budget), each attempt recorded in the history as one run, with
 * progress sent as throttled snapshots and every settled file at once. Unfinished batches are kept in
 * the workspace's state folder and taken up again by the next host on the same workspace.
 */
export class TransferQueue {
  readonly #workspace: Workspace;
  readonly #connections: OpenConnections;
  readonly #events: EventHub;
  readonly #now: () => number;
  readonly #prompts: Prompts;
  readonly #batches = new Map<string, QueuedBatch>();
  /** The last state each batch was announced in. */
  readonly #announced = new Map<string, BatchState>();
  readonly #gate = new StartGate();
  readonly #file: QueueFile;
  #tail: Promise<void> = Promise.resolve();
  #ticker: ReturnType<typeof setInterval> | undefined;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #closing = false;

  constructor(workspace: Workspace, connections: OpenConnections, events: EventHub, prompts: Prompts, now: () => number = Date.now) {
    this.#prompts = prompts;
    this.#workspace = workspace;
    this.#connections = connections;
    this.#events = events;
    this.#now = now;
    this.#file = new QueueFile(workspace.paths);
    const stored = this.#file.load((message) => process.emitWarning(message));
    if (stored.paused) this.#gate.close();
    for (const kept of stored.batches) {
      const batch = new QueuedBatch(kept, now);
      this.#batches.set(batch.id, batch);
      this.#enqueue(batch);
    }
  }

  get paused(): boolean {
    return this.#gate.closed;
  }

  /** Queues a batch and answers at once with its id; the batch starts when those before it are done. */
  start(request: TransferRequestInput): string {
    const batch = QueuedBatch.create(randomUUID(), request, this.#uniqueLabel(labelOf(request)), this.#now);
    this.#batches.set(batch.id, batch);
    this.#changed(batch);
    this.#enqueue(batch);
    return batch.id;
  }

  /** What would happen to each file, as `--dry-run` says it: nothing is sent and nothing recorded. */
  async preview(request: TransferRequestInput, signal?: AbortSignal): Promise<ReadonlyArray<PreviewItem>> {
    const { source, target, parts, resolveTargets } = await this.#plan(request);
    const items: ItemResult[] = [];
    for (const part of parts) {
      const summary = await transfer({
        ...baseRequest(request, source, target, resolveTargets, this.#prompts),
        ...part,
        dryRun: true,
        journal: this.#workspace.journal,
        written: await this.#workspace.written(),
        ...(signal === undefined ? {} : { signal }),
      });
      items.push(...summary.items);
    }
    return items.map((item) => previewOf(item, request.attachBy !== undefined));
  }

  snapshots(): ReadonlyArray<TransferSnapshot> {
    return [...this.#batches.values()].map((b) => this.#snapshot(b));
  }

  files(id: string): ReadonlyArray<TransferFile> {
    return this.#batch(id).files();
  }

  cancel(id: string): void {
    const batch = this.#batch(id);
    if (batch.finished) return;
    batch.abort.abort(new TransferError('cancelled', CANCELLED_BY_USER));
    if (batch.state === 'queued') {
      batch.finish('cancelled', undefined);
      this.#finished(batch);
    }
  }

  /** Cancels one file (or a selected folder not listed yet) of an unfinished batch; the rest goes on. */
  cancelFile(id: string, source: string): void {
    const batch = this.#batch(id);
    if (batch.finished) throw new TransferError('validation', `${batch.label} has finished: there is nothing left to cancel`);
    const index = batch.cancelFile(source);
    if (index === undefined) return;
    const file = batch.files()[index];
    if (file !== undefined) this.#events.emit({ event: 'transfer.file', payload: { id, index, file } });
    this.#events.emit({ event: 'transfer.progress', payload: this.#snapshot(batch) });
    this.#saveSoon();
  }

  /** Sends the failed files of a finished batch again (all, or the one named) as a new attempt of the same batch. */
  retry(id: string, source: string | undefined): void {
    const batch = this.#batch(id);
    batch.retry(source);
    this.#changed(batch);
    this.#enqueue(batch);
    void this.#save();
  }

  /** Holds new starts (files already on their way finish) or lets them go again; every window is told. */
  setPaused(paused: boolean): void {
    if (paused) this.#gate.close();
    else this.#gate.open();
    this.#events.emit({ event: 'transfers.paused', payload: { paused } });
    for (const batch of this.#batches.values()) if (batch.state === 'running') this.#changed(batch);
    void this.#save();
  }

  /** Takes finished batches off the queue; their runs stay in the history. */
  clearFinished(): ReadonlyArray<string> {
    const ids = [...this.#batches.values()].filter((b) => b.finished).map((b) => b.id);
    this.#remove(ids);
    return ids;
  }

  /**
   * Stops every batch and waits until none is running. Unfinished batches stay in the state file as
   * they are: the next host on this workspace resumes them.
   */
  async close(): Promise<void> {
    this.#closing = true;
    for (const batch of this.#batches.values()) {
      if (!batch.finished) batch.abort.abort(new TransferError('network', INTERRUPTED, { retryable: true }));
    }
    await this.#tail;
    this.#stopTicker();
    clearTimeout(this.#saveTimer);
    await this.#save();
  }

  #batch(id: string): QueuedBatch {
    const batch = this.#batches.get(id);
    if (batch === undefined) throw new TransferError('notFound', `No transfer ${id} in this window's queue`);
    return batch;
  }

  #enqueue(batch: QueuedBatch): void {
    this.#tail = this.#tail.then(() => this.#run(batch));
  }

  async #run(batch: QueuedBatch): Promise<void> {
    if (batch.state !== 'queued' || this.#closing) return;
    // Even while the queue is paused a batch lists its files, so that they can be seen and cancelled; none of them starts.
    const attempt = batch.begin();
    setMaxListeners(0, batch.abort.signal);
    this.#changed(batch);
    this.#startTicker();
    try {
      if (attempt.selected.length === 0 && attempt.parts.length === 0) throw new TransferError('cancelled', CANCELLED_BY_USER);
      const { source, target, parts, resolveTargets } = await this.#plan(batch.request, attempt.selected, attempt.parts);
      const pace = await windowPace(this.#workspace, batch.request);
      const summary = await recordedTransfer(this.#workspace, {
        ...baseRequest(batch.request, source, target, resolveTargets, this.#prompts),
        parts,
        shownSource: `${batch.request.source.connection}:${batch.request.source.paths.join(', ')}`,
        shownTarget: `${batch.request.target.connection}:${batch.request.target.path}`,
        dryRun: false,
        stats: batch.stats,
        signal: batch.abort.signal,
        ...(pace === undefined ? {} : { pace }),
        onPlanned: (files) => {
          batch.planned(files);
          this.#changed(batch);
        },
        fileSignal: (path) => batch.fileSignal(path),
        // Pausing the queue holds each file here, after its conflict is decided and before a byte moves.
        beforeCopy: async (_file, signal) => {
          await this.#gate.pass(signal);
          return {};
        },
        onItemDone: (item) => this.#settled(batch, item),
      });
      // Files refused before the engine sent them (a name no record matches) settle only in the summary.
      for (const item of summary.items) if (!batch.hasSettled(item.source)) this.#settled(batch, item);
      batch.finish(this.#closing ? 'queued' : batch.abort.signal.aborted ? 'cancelled' : batch.outcome(), undefined);
    } catch (e) {
      const error = toTransferError(e);
      if (this.#closing) batch.finish('queued', undefined);
      else if (error.kind === 'cancelled') batch.finish(batch.abort.signal.aborted ? 'cancelled' : batch.outcome(), undefined);
      else batch.finish('failed', error.message);
    }
    this.#events.emit({ event: 'files.changed', payload: { connection: batch.request.target.connection, path: batch.request.target.path } });
    if (batch.request.move) this.#events.emit({ event: 'files.changed', payload: { connection: batch.request.source.connection, path: parentOfAll(batch.request.source.paths) } });
    if (batch.finished) this.#finished(batch);
    if (![...this.#batches.values()].some((b) => b.state === 'running')) this.#stopTicker();
  }

  /** A batch just finished: every window is told, the state file forgets it, and the oldest finished rows go. */
  #finished(batch: QueuedBatch): void {
    this.#changed(batch);
    const finished = [...this.#batches.values()].filter((b) => b.finished);
    this.#remove(finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)).map((b) => b.id));
    void this.#save();
  }

  #remove(ids: ReadonlyArray<string>): void {
    if (ids.length === 0) return;
    for (const id of ids) {
      this.#batches.delete(id);
      this.#announced.delete(id);
    }
    this.#events.emit({ event: 'transfers.removed', payload: { ids: [...ids] } });
  }

  /** "Copy a.csv from x to y", and "… (2)" when a batch still shown has that label already. */
  #uniqueLabel(base: string): string {
    const taken = new Set([...this.#batches.values()].map((b) => b.label));
    let label = base;
    for (let n = 2; taken.has(label); n++) label = `${base} (${n})`;
    return label;
  }

  #saveSoon(): void {
    this.#saveTimer ??= setTimeout(() => {
      this.#saveTimer = undefined;
      void this.#save();
    }, SAVE_AFTER_MS);
    this.#saveTimer.unref();
  }

  async #save(): Promise<void> {
    const batches = [...this.#batches.values()].filter((b) => !b.finished).map((b) => b.stored());
    try {
      await this.#file.save({ paused: this.#gate.closed, batches });
    } catch (e) {
      process.emitWarning(`The transfer queue could not be kept in ${this.#file.path}: ${toTransferError(e).message}`);
    }
  }

  /** Each selected item as a part (a folder arrives as a folder of its name), then files sent on their own. */
  async #plan(
    request: TransferRequestInput,
    selected: ReadonlyArray<string> = request.source.paths,
    files: ReadonlyArray<TransferPart> = [],
  ): Promise<{ source: RemoteFs; target: RemoteFs; parts: TransferPart[]; resolveTargets: TransferRequest['resolveTargets'] }> {
    const source = await this.#connections.get(request.source.connection);
    const target = await this.#connections.get(request.target.connection);
    const folder = normalizeRelative(request.target.path);
    const parts: TransferPart[] = [];
    for (const path of selected) {
      const entry = await source.stat(path);
      if (entry === undefined) throw new TransferError('notFound', `${path} is no longer on ${request.source.connection}`, { path });
      // A file lands in the folder under its own name; a folder arrives as a folder of that name.
      parts.push(entry.kind === 'dir' ? { sourcePath: entry.path, targetPath: joinRelative(folder, entry.name), recursive: true } : { sourcePath: entry.path, targetPath: `${folder}/`, recursive: false });
    }
    parts.push(...files);
    const resolveTargets = request.attachBy === undefined ? undefined : await recordResolution(target, folder, request.attachBy);
    return { source, target, parts, resolveTargets };
  }

  #settled(batch: QueuedBatch, item: ItemResult): void {
    // A file stopped because the host is closing is not a failure: it waits for the next host.
    if (this.#closing && item.status === 'failed') return;
    const index = batch.settled(fileOf(item));
    const file = index === undefined ? undefined : batch.files()[index];
    if (file !== undefined && index !== undefined) this.#events.emit({ event: 'transfer.file', payload: { id: batch.id, index, file } });
    this.#saveSoon();
  }

  /** A change of state is announced as one; anything else (files listed, one cancelled) is progress. */
  #changed(batch: QueuedBatch): void {
    const snapshot = this.#snapshot(batch);
    if (this.#announced.get(batch.id) === snapshot.state) {
      this.#events.emit({ event: 'transfer.progress', payload: snapshot });
      return;
    }
    this.#announced.set(batch.id, snapshot.state);
    this.#events.emit({ event: 'transfer.state', payload: { id: batch.id, state: snapshot.state, snapshot } });
  }

  #startTicker(): void {
    this.#ticker ??= setInterval(() => {
      // Through #changed: a batch whose last file in flight finished while paused is announced as paused.
      for (const batch of this.#batches.values()) if (batch.state === 'running') this.#changed(batch);
    }, PROGRESS_EVERY_MS);
    this.#ticker.unref();
  }

  #stopTicker(): void {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  #snapshot(batch: QueuedBatch): TransferSnapshot {
    return batch.snapshot(this.#gate.closed);
  }
}

function baseRequest(
  request: TransferRequestInput,
  source: RemoteFs,
  target: RemoteFs,
  resolveTargets: TransferRequest['resolveTargets'],
  prompts: Prompts,
): Pick<TransferRequest, 'source' | 'target' | 'policy' | 'move' | 'resolveTargets'> {
  return { source, target, policy: conflictRule(request, prompts), move: request.move, ...(resolveTargets === undefined ? {} : { resolveTargets }) };
}

function fileOf(item: ItemResult): TransferFile {
  const state = item.status === 'failed' ? (item.errorKind === 'cancelled' ? 'cancelled' : 'failed') : item.status === 'skipped' ? 'skipped' : 'done';
  const reason = reasonOf(item);
  return {
    source: item.source,
    ...(item.target === undefined ? {} : { target: item.target }),
    state,
    size: item.bytes,
    bytes: item.bytes,
    ...(reason === undefined ? {} : { reason }),
    ...(item.errorKind === undefined ? {} : { errorKind: item.errorKind }),
  };
}

/** Why the file was sent, skipped or failed; a file taken up where an earlier attempt stopped says so. */
function reasonOf(item: ItemResult): string | undefined {
  const resumed = item.resumedFrom !== undefined && item.resumedFrom > 0 ? `resumed after byte ${item.resumedFrom}` : undefined;
  if (resumed === undefined) return item.reason;
  return item.reason === undefined ? resumed : `${item.reason}, ${resumed}`;
}

/** A record found by a naming rule: one (exact), several (ambiguous, not sent) or none. */
function previewOf(item: ItemResult, byRule: boolean): PreviewItem {
  const base = { source: item.source, ...(item.target === undefined ? {} : { target: item.target }), reason: item.reason ?? '' };
  if (item.status === 'failed') {
    const match = item.errorKind === 'notFound' ? 'none' : item.errorKind === 'validation' ? 'ambiguous' : undefined;
    return { ...base, action: 'fail', ...(byRule && match !== undefined ? { match } : {}) };
  }
  const exact = byRule ? { match: 'exact' as const } : {};
  if (item.status === 'skipped') return { ...base, action: 'skip', ...exact };
  return { ...base, action: item.asks === true ? 'ask' : item.replaces === true ? 'replace' : 'new', ...exact };
}

function labelOf(request: TransferRequestInput): string {
  const { paths } = request.source;
  const what = paths.length === 1 ? baseName(paths[0] ?? '') : `${paths.length} items`;
  const to = request.target.path === '' ? request.target.connection : `${request.target.connection}: ${request.target.path}`;
  return `${request.move ? 'Move' : 'Copy'} ${what} from ${request.source.connection} to ${to}`;
}

function parentOfAll(paths: ReadonlyArray<string>): string {
  const first = paths[0] ?? '';
  const slash = first.lastIndexOf('/');
  return slash < 0 ? '' : first.slice(0, slash);
}
