import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { baseName, joinRelative, normalizeRelative } from '../connectors/paths.js';
import { TransferError } from '../connectors/errors.js';
import type { RemoteFs } from '../connectors/types.js';
import { toTransferError } from '../engine/retry.js';
import { transfer, type ItemResult, type TransferRequest } from '../engine/transfer.js';
import { TransferStats } from '../engine/TransferStats.js';
import type { BatchState, PreviewItem, TransferFile, TransferRequestInput, TransferSnapshot } from '../shared/contract/models.js';
import { recordedTransfer, recordResolution, type TransferPart } from '../workspace/recordedTransfer.js';
import type { Workspace } from '../workspace/Workspace.js';
import type { EventHub } from './EventHub.js';
import type { OpenConnections } from './OpenConnections.js';

/** At most ten progress snapshots a second per batch: enough to look live, little enough to stay smooth. */
const PROGRESS_EVERY_MS = 100;

interface Batch {
  readonly id: string;
  readonly request: TransferRequestInput;
  readonly label: string;
  readonly stats: TransferStats;
  readonly abort: AbortController;
  readonly files: TransferFile[];
  readonly startedAt: number;
  state: BatchState;
  finishedAt?: number;
  error?: string;
}

/**
 * The window's transfers: batches run one after another (the engine runs each batch's files in
 * parallel within every server's budget), each recorded in the history as one run, with progress sent
 * as throttled snapshots and every settled file at once.
 */
export class TransferQueue {
  readonly #workspace: Workspace;
  readonly #connections: OpenConnections;
  readonly #events: EventHub;
  readonly #now: () => number;
  readonly #batches = new Map<string, Batch>();
  #tail: Promise<void> = Promise.resolve();
  #ticker: ReturnType<typeof setInterval> | undefined;

  constructor(workspace: Workspace, connections: OpenConnections, events: EventHub, now: () => number = Date.now) {
    this.#workspace = workspace;
    this.#connections = connections;
    this.#events = events;
    this.#now = now;
  }

  /** Queues a batch and answers at once with its id; the batch starts when those before it are done. */
  start(request: TransferRequestInput): string {
    const abort = new AbortController();
    setMaxListeners(0, abort.signal);
    const batch: Batch = {
      id: randomUUID(),
      request,
      label: labelOf(request),
      stats: new TransferStats(this.#now),
      abort,
      files: [],
      startedAt: this.#now(),
      state: 'queued',
    };
    this.#batches.set(batch.id, batch);
    this.#changed(batch);
    this.#tail = this.#tail.then(() => this.#run(batch));
    return batch.id;
  }

  /** What would happen to each file, as `--dry-run` says it: nothing is sent and nothing recorded. */
  async preview(request: TransferRequestInput, signal?: AbortSignal): Promise<ReadonlyArray<PreviewItem>> {
    const { source, target, parts, resolveTargets } = await this.#plan(request);
    const items: ItemResult[] = [];
    for (const part of parts) {
      const summary = await transfer({
        ...baseRequest(request, source, target, resolveTargets),
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
    return this.#batch(id).files;
  }

  cancel(id: string): void {
    const batch = this.#batch(id);
    if (batch.state === 'queued') {
      batch.state = 'cancelled';
      batch.finishedAt = this.#now();
      this.#changed(batch);
    } else if (batch.state === 'running') {
      batch.abort.abort(new TransferError('cancelled', 'Cancelled by the user'));
    }
  }

  /** Stops every batch and waits until none is running. */
  async close(): Promise<void> {
    for (const batch of this.#batches.values()) {
      if (batch.state === 'queued' || batch.state === 'running') this.cancel(batch.id);
    }
    await this.#tail;
    this.#stopTicker();
  }

  #batch(id: string): Batch {
    const batch = this.#batches.get(id);
    if (batch === undefined) throw new TransferError('notFound', `No transfer ${id} in this window's queue`);
    return batch;
  }

  async #run(batch: Batch): Promise<void> {
    if (batch.state !== 'queued') return;
    batch.state = 'running';
    this.#changed(batch);
    this.#startTicker();
    try {
      const { source, target, parts, resolveTargets } = await this.#plan(batch.request);
      const summary = await recordedTransfer(this.#workspace, {
        ...baseRequest(batch.request, source, target, resolveTargets),
        parts,
        shownSource: `${batch.request.source.connection}:${batch.request.source.paths.join(', ')}`,
        shownTarget: `${batch.request.target.connection}:${batch.request.target.path}`,
        dryRun: false,
        stats: batch.stats,
        signal: batch.abort.signal,
        onItemDone: (item) => this.#settled(batch, item),
      });
      // Files refused before the engine sent them (a name no record matches) settle only in the summary.
      for (const item of summary.items) if (!batch.files.some((f) => f.source === item.source)) this.#settled(batch, item);
      batch.state = batch.abort.signal.aborted ? 'cancelled' : summary.failed.length > 0 ? 'failed' : 'done';
    } catch (e) {
      const error = toTransferError(e);
      batch.state = error.kind === 'cancelled' ? 'cancelled' : 'failed';
      batch.error = error.message;
    }
    batch.finishedAt = this.#now();
    this.#events.emit({ event: 'files.changed', payload: { connection: batch.request.target.connection, path: batch.request.target.path } });
    if (batch.request.move) this.#events.emit({ event: 'files.changed', payload: { connection: batch.request.source.connection, path: parentOfAll(batch.request.source.paths) } });
    this.#changed(batch);
    if (![...this.#batches.values()].some((b) => b.state === 'running')) this.#stopTicker();
  }

  async #plan(request: TransferRequestInput): Promise<{ source: RemoteFs; target: RemoteFs; parts: TransferPart[]; resolveTargets: TransferRequest['resolveTargets'] }> {
    const source = await this.#connections.get(request.source.connection);
    const target = await this.#connections.get(request.target.connection);
    const folder = normalizeRelative(request.target.path);
    const parts: TransferPart[] = [];
    for (const path of request.source.paths) {
      const entry = await source.stat(path);
      if (entry === undefined) throw new TransferError('notFound', `${path} is no longer on ${request.source.connection}`, { path });
      // A file lands in the folder under its own name; a folder arrives as a folder of that name.
      parts.push(entry.kind === 'dir' ? { sourcePath: entry.path, targetPath: joinRelative(folder, entry.name), recursive: true } : { sourcePath: entry.path, targetPath: `${folder}/`, recursive: false });
    }
    const resolveTargets = request.attachBy === undefined ? undefined : await recordResolution(target, folder, request.attachBy);
    return { source, target, parts, resolveTargets };
  }

  #settled(batch: Batch, item: ItemResult): void {
    const file = fileOf(item);
    batch.files.push(file);
    this.#events.emit({ event: 'transfer.file', payload: { id: batch.id, index: batch.files.length - 1, file } });
  }

  #changed(batch: Batch): void {
    this.#events.emit({ event: 'transfer.state', payload: { id: batch.id, state: batch.state, snapshot: this.#snapshot(batch) } });
  }

  #startTicker(): void {
    this.#ticker ??= setInterval(() => {
      for (const batch of this.#batches.values()) if (batch.state === 'running') this.#events.emit({ event: 'transfer.progress', payload: this.#snapshot(batch) });
    }, PROGRESS_EVERY_MS);
    this.#ticker.unref();
  }

  #stopTicker(): void {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  #snapshot(batch: Batch): TransferSnapshot {
    const s = batch.stats.snapshot();
    return {
      id: batch.id,
      label: batch.label,
      move: batch.request.move,
      state: batch.state,
      filesTotal: s.filesTotal,
      filesDone: s.filesDone,
      filesSkipped: s.filesSkipped,
      filesFailed: s.filesFailed,
      bytesTotal: s.bytesTotal,
      bytesDone: s.bytesDone,
      rateBps: s.rateBps,
      etaSeconds: s.etaSeconds,
      startedAt: batch.startedAt,
      ...(batch.finishedAt === undefined ? {} : { finishedAt: batch.finishedAt }),
      ...(batch.error === undefined ? {} : { error: batch.error }),
      current: s.current.map((c) => ({ path: c.path, bytes: c.bytes, size: c.size })),
    };
  }
}

function baseRequest(
  request: TransferRequestInput,
  source: RemoteFs,
  target: RemoteFs,
  resolveTargets: TransferRequest['resolveTargets'],
): Pick<TransferRequest, 'source' | 'target' | 'policy' | 'move' | 'resolveTargets'> {
  return { source, target, policy: request.conflict, move: request.move, ...(resolveTargets === undefined ? {} : { resolveTargets }) };
}

function fileOf(item: ItemResult): TransferFile {
  const state = item.status === 'failed' ? (item.errorKind === 'cancelled' ? 'cancelled' : 'failed') : item.status === 'skipped' ? 'skipped' : 'done';
  return {
    source: item.source,
    ...(item.target === undefined ? {} : { target: item.target }),
    state,
    size: item.bytes,
    bytes: item.bytes,
    ...(item.reason === undefined ? {} : { reason: item.reason }),
    ...(item.errorKind === undefined ? {} : { errorKind: item.errorKind }),
  };
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
  return { ...base, action: item.replaces === true ? 'replace' : 'new', ...exact };
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
