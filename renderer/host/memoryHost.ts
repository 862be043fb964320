import type { CommandInput, CommandName, CommandOutput } from '../../src/shared/contract/commands.js';
import type { EventName, EventPayload } from '../../src/shared/contract/events.js';
import {
  THIS_COMPUTER,
  type ConnectionSummary,
  type Entry,
  type PreviewItem,
  type ServerReportView,
  type TransferFile,
  type TransferRequestInput,
  type TransferSnapshot,
} from '../../src/shared/contract/models.js';
import { listingComparator, passesFilter, startsWithTyped } from '../../src/shared/contract/listingOrder.js';
import { fail, ok, type Wire } from '../../src/shared/contract/wire.js';
import type { RendererHost } from './RendererHost.js';

/**
 * A whole host in memory, for component tests and for looking at the window without servers: folders
 * and files per connection, listings sorted and paged as the real host does, and transfers that move
 * only when the test says so (`advance`, `complete`), so every state can be looked at.
 */
export interface MemoryHost extends RendererHost {
  /** Tells the window events flowed again after a break, as the web host's socket does. */
  reconnect(): void;
  /** Every command asked, in order, with its input. */
  readonly calls: ReadonlyArray<{ readonly command: CommandName; readonly input: unknown }>;
  addConnection(connection: ConnectionSummary): void;
  addFolder(connection: string, path: string): void;
  addFile(connection: string, path: string, size: number, extra?: Pick<Entry, 'modifiedAt' | 'details'>): void;
  /** Puts many entries into one folder at once (a 100,000-file inbox). */
  addEntries(connection: string, folder: string, entries: ReadonlyArray<Entry>): void;
  /** Moves a batch to `fraction` of its bytes, running. */
  advance(id: string, fraction: number): void;
  /** Ends a batch: every file not failed lands, and the folders it touched are announced as changed. */
  complete(id: string): void;
  /** Makes one file of a batch fail with `reason`. */
  failFile(id: string, index: number, reason: string): void;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

interface Batch {
  snapshot: TransferSnapshot;
  readonly files: TransferFile[];
  readonly request: TransferRequestInput;
}

const REPORT: ServerReportView = {
  description: 'In-memory test server',
  features: ['MDTM', 'REST STREAM'],
  security: 'TLS 1.3',
  capabilities: { rename: true, resume: true, hashes: ['md5'], keepsTimes: true, maxConcurrency: 4 },
};

function parentOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

export function memoryHost(connections: ReadonlyArray<ConnectionSummary> = []): MemoryHost {
  const calls: Array<{ command: CommandName; input: unknown }> = [];
  const summaries = new Map<string, ConnectionSummary>();
  const trees = new Map<string, Map<string, Map<string, Entry>>>();
  const listeners = new Map<string, Set<(payload: never) => void>>();
  const batches = new Map<string, Batch>();
  const reconnected = new Set<() => void>();
  let nextBatch = 1;
  let paused = false;

  const tree = (connection: string): Map<string, Map<string, Entry>> => {
    let found = trees.get(connection);
    if (found === undefined) {
      found = new Map([['', new Map()]]);
      trees.set(connection, found);
    }
    return found;
  };
  const folder = (connection: string, path: string): Map<string, Entry> | undefined => tree(connection).get(path);
  const entryAt = (connection: string, path: string): Entry | undefined => folder(connection, parentOf(path))?.get(nameOf(path));

  const put = (connection: string, entry: Entry): void => {
    const parent = parentOf(entry.path);
    if (parent !== '' && folder(connection, parent) === undefined) put(connection, { name: nameOf(parent), path: parent, kind: 'dir', size: -1 });
    folder(connection, parent)?.set(entry.name, entry);
    if (entry.kind === 'dir' && folder(connection, entry.path) === undefined) tree(connection).set(entry.path, new Map());
  };

  const remove = (connection: string, path: string): void => {
    folder(connection, parentOf(path))?.delete(nameOf(path));
    for (const key of [...tree(connection).keys()]) if (key === path || key.startsWith(`${path}/`)) tree(connection).delete(key);
  };

  const emit = <E extends EventName>(event: E, payload: EventPayload<E>): void => {
    for (const listener of listeners.get(event) ?? []) (listener as (p: EventPayload<E>) => void)(payload);
  };

  const missing = (connection: string, path: string): Wire<never> =>
    fail({ kind: 'notFound', message: `${connection}:${path === '' ? '/' : path} does not exist`, retryable: false, path });

  const isSalesforce = (connection: string): boolean => summaries.get(connection)?.kind === 'salesforce';

  /** Salesforce object folders take a naming rule: the record is the one whose name the file's name holds. */
  const preview = (request: TransferRequestInput): PreviewItem[] =>
    request.source.paths.map((source) => {
      const name = nameOf(source);
      const { connection, path } = request.target;
      if (entryAt(request.source.connection, source) === undefined) return { source, action: 'fail', reason: 'the file is gone' };
      if (isSalesforce(connection) && !path.includes('/')) {
        const records = [...(folder(connection, path)?.values() ?? [])].filter((r) => r.kind === 'dir' && name.toLowerCase().includes(r.name.toLowerCase()));
        if (records.length === 0) return { source, action: 'fail', reason: `no ${path} record is named in ${name}`, match: 'none' };
        if (records.length > 1) return { source, action: 'fail', reason: `${records.map((r) => r.name).join(' and ')} both fit`, match: 'ambiguous' };
        const target = join(records[0]?.path ?? path, name);
        const exists = entryAt(connection, target) !== undefined;
        return { source, target, action: exists ? 'replace' : 'new', reason: exists ? 'a new version' : 'a new file', match: 'exact' };
      }
      const target = join(path, name);
      const exists = entryAt(connection, target) !== undefined;
      return { source, target, action: exists ? 'replace' : 'new', reason: exists ? 'changed: sizes differ' : 'new file', ...(isSalesforce(connection) ? { match: 'exact' as const } : {}) };
    });

  const snapshotOf = (batch: Batch): TransferSnapshot => batch.snapshot;

  /** As the real host does: a label already in the queue gets " (2)", " (3)"… */
  const uniqueLabel = (base: string): string => {
    const taken = new Set([...batches.values()].map((b) => b.snapshot.label));
    let label = base;
    for (let n = 2; taken.has(label); n++) label = `${base} (${n})`;
    return label;
  };

  const update = (batch: Batch, change: Partial<TransferSnapshot>): void => {
    batch.snapshot = { ...batch.snapshot, ...change };
  };

  // Partial: a command added to the contract is answered as unsupported until the fake learns it.
  const handlers: { [C in CommandName]?: (input: CommandInput<C>) => Wire<CommandOutput<C>> } = {
    'app.info': () => ok({ version: '0.0.0-memory', host: 'web', dataFolder: '/memory' }),
    'connections.list': () => ok({ connections: [...summaries.values()] }),
    'connections.add': (input) => {
      const kind = input.url.startsWith('sftp:') ? 'sftp' : input.url.startsWith('file:') ? 'local' : 'ftp';
      const connection: ConnectionSummary = { name: input.name, kind, location: input.url, sdrive: false };
      summaries.set(input.name, connection);
      return ok(input.test ? { connection, report: REPORT } : { connection });
    },
    'connections.test': (input) => (summaries.has(input.name) ? ok({ outcome: 'connected' as const, report: REPORT }) : missing(input.name, '')),
    'connections.remove': (input) => {
      summaries.delete(input.name);
      return ok({});
    },
    'files.list': (input) => {
      const entries = folder(input.connection, input.path);
      if (entries === undefined) return missing(input.connection, input.path);
      const rows = [...entries.values()].filter((e) => passesFilter(e, input.filter ?? '')).sort(listingComparator(input.sort));
      return ok({ path: input.path, total: rows.length, offset: input.offset, entries: rows.slice(input.offset, input.offset + input.limit), refused: [] });
    },
    'files.locate': (input) => {
      const entries = folder(input.connection, input.path);
      if (entries === undefined) return missing(input.connection, input.path);
      const rows = [...entries.values()].filter((e) => passesFilter(e, input.filter ?? '')).sort(listingComparator(input.sort));
      const index = rows.findIndex((e) => startsWithTyped(e, input.prefix));
      return ok({ index: index < 0 ? null : index });
    },
    // A record is a folder under its object's; its id is what `details.id` says (else its folder name),
    // its name what `details.name` says (else its folder name), its number `details.number`.
    'records.search': (input) => {
      const text = input.text.trim().toLowerCase();
      const offset = input.offset ?? 0;
      const matching = [...(folder(input.connection, input.object)?.values() ?? [])].filter(
        (r) => r.kind === 'dir' && (r.name.toLowerCase().includes(text) || (r.details?.['number'] ?? '').toLowerCase().includes(text)),
      );
      const records = matching
        .slice(offset, offset + input.limit)
        .map((r) => {
          const number = r.details?.['number'];
          const fields: Record<string, string> = number === undefined ? {} : { AccountNumber: number };
          return { id: r.details?.['id'] ?? r.name, name: r.name, path: r.path, fields };
        });
      return ok({ records, more: matching.length > offset + input.limit });
    },
    'records.names': (input) => {
      const records = [...(folder(input.connection, input.object)?.values() ?? [])];
      return ok({ names: Object.fromEntries(input.ids.flatMap((id) => records.filter((r) => r.details?.['id'] === id).map((r) => [id, r.details?.['name'] ?? r.name]))) });
    },
    'files.mkdir': (input) => {
      if (entryAt(input.connection, input.path) !== undefined) return fail({ kind: 'exists', message: `${nameOf(input.path)} already exists`, retryable: false });
      put(input.connection, { name: nameOf(input.path), path: input.path, kind: 'dir', size: -1, modifiedAt: Date.now() });
      return ok({});
    },
    'files.rename': (input) => {
      const entry = entryAt(input.connection, input.from);
      if (entry === undefined) return missing(input.connection, input.from);
      remove(input.connection, input.from);
      put(input.connection, { ...entry, name: nameOf(input.to), path: input.to });
      return ok({});
    },
    'files.delete': (input) => {
      const deleted: string[] = [];
      const failed: Array<{ path: string; message: string }> = [];
      for (const path of input.paths) {
        if (entryAt(input.connection, path) === undefined) failed.push({ path, message: 'it was already gone' });
        else {
          remove(input.connection, path);
          deleted.push(path);
        }
      }
      return ok({ deleted, failed });
    },
    'transfers.preview': (input) => ok({ items: preview(input) }),
    'transfers.start': (input) => {
      const id = `t${nextBatch++}`;
      const files: TransferFile[] = input.source.paths.map((source) => {
        const size = Math.max(0, entryAt(input.source.connection, source)?.size ?? 0);
        return { source, target: join(input.target.path, nameOf(source)), state: 'queued', size, bytes: 0 };
      });
      const total = files.reduce((sum, f) => sum + f.size, 0);
      const where = `${input.target.connection}:${input.target.path === '' ? '/' : input.target.path}`;
      const snapshot: TransferSnapshot = {
        id,
        label: uniqueLabel(`${files.length} ${files.length === 1 ? 'file' : 'files'} from ${input.source.connection} to ${where}`),
        move: input.move,
        source: input.source,
        target: input.target,
        state: 'queued',
        filesTotal: files.length,
        filesDone: 0,
        filesSkipped: 0,
        filesFailed: 0,
        filesCancelled: 0,
        bytesTotal: total,
        bytesDone: 0,
        rateBps: 0,
        etaSeconds: null,
        startedAt: Date.now(),
        current: [],
      };
      const batch: Batch = { snapshot, files, request: input };
      batches.set(id, batch);
      emit('transfer.state', { id, state: 'queued', snapshot });
      return ok({ id });
    },
    // This host asks nothing itself: a test raises its questions with `emit`.
    'prompts.list': () => ok({ prompts: [] }),
    'prompts.answer': (input) => {
      emit('prompt.settled', { id: input.id });
      return ok({});
    },
    'transfers.list': () => ok({ transfers: [...batches.values()].map(snapshotOf), paused }),
    'transfers.pause': (input) => {
      paused = input.paused;
      emit('transfers.paused', { paused });
      return ok({});
    },
    'transfers.cancelFile': (input) => {
      const batch = batches.get(input.id);
      const index = batch?.files.findIndex((f) => f.source === input.source) ?? -1;
      const file = batch?.files[index];
      if (batch === undefined || file === undefined) return fail({ kind: 'notFound', message: `No file ${input.source} in ${input.id}`, retryable: false });
      batch.files[index] = { ...file, state: 'cancelled', reason: 'Cancelled by the user' };
      update(batch, { filesCancelled: batch.snapshot.filesCancelled + 1, current: batch.snapshot.current.filter((c) => c.path !== file.source) });
      emit('transfer.file', { id: input.id, index, file: batch.files[index] });
      emit('transfer.progress', batch.snapshot);
      return ok({});
    },
    // Failed files go back to waiting; `complete` then lands them, as a second attempt would.
    'transfers.retry': (input) => {
      const batch = batches.get(input.id);
      if (batch === undefined) return fail({ kind: 'notFound', message: `No transfer ${input.id}`, retryable: false });
      batch.files.forEach((file, index) => {
        if (file.state !== 'failed' || (input.source !== undefined && file.source !== input.source)) return;
        batch.files[index] = { source: file.source, ...(file.target === undefined ? {} : { target: file.target }), state: 'queued', size: file.size, bytes: 0 };
        update(batch, { filesFailed: batch.snapshot.filesFailed - 1 });
        emit('transfer.file', { id: input.id, index, file: batch.files[index] });
      });
      const { finishedAt: _finished, ...unfinished } = batch.snapshot;
      batch.snapshot = { ...unfinished, state: 'queued' };
      emit('transfer.state', { id: input.id, state: 'queued', snapshot: batch.snapshot });
      return ok({});
    },
    'transfers.clearFinished': () => {
      const ids = [...batches.values()].filter((b) => ['done', 'failed', 'cancelled'].includes(b.snapshot.state)).map((b) => b.snapshot.id);
      for (const id of ids) batches.delete(id);
      if (ids.length > 0) emit('transfers.removed', { ids });
      return ok({ ids });
    },
    'transfers.files': (input) => {
      const batch = batches.get(input.id);
      if (batch === undefined) return fail({ kind: 'notFound', message: `No transfer ${input.id}`, retryable: false });
      return ok({ total: batch.files.length, files: batch.files.slice(input.offset, input.offset + input.limit) });
    },
    'transfers.cancel': (input) => {
      const batch = batches.get(input.id);
      if (batch === undefined) return fail({ kind: 'notFound', message: `No transfer ${input.id}`, retryable: false });
      batch.files.forEach((file, index) => {
        if (file.state === 'queued' || file.state === 'running') {
          batch.files[index] = { ...file, state: 'cancelled', reason: 'cancelled' };
          emit('transfer.file', { id: input.id, index, file: batch.files[index] });
        }
      });
      update(batch, { state: 'cancelled', finishedAt: Date.now(), current: [], etaSeconds: null, rateBps: 0 });
      emit('transfer.state', { id: input.id, state: 'cancelled', snapshot: batch.snapshot });
      return ok({});
    },
  };

  const host: MemoryHost = {
    calls,
    async invoke(command, input) {
      calls.push({ command, input });
      const handler = handlers[command];
      if (handler === undefined) return fail({ kind: 'unsupported', message: `The in-memory host does not answer ${command}`, retryable: false });
      // Answers are copies, as any transport's would be.
      return structuredClone(handler(input));
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
    localPathOf: () => undefined,
    onReconnect(listener) {
      reconnected.add(listener);
      return () => reconnected.delete(listener);
    },
    reconnect() {
      for (const listener of reconnected) listener();
    },
    async upload(file, target) {
      const path = join(target.path, file.name);
      put(target.connection, { name: file.name, path, kind: 'file', size: file.size, modifiedAt: Date.now() });
      emit('files.changed', { connection: target.connection, path: target.path });
      return ok({ path });
    },
    addConnection(connection) {
      summaries.set(connection.name, connection);
      tree(connection.name);
    },
    addFolder(connection, path) {
      put(connection, { name: nameOf(path), path, kind: 'dir', size: -1 });
    },
    addFile(connection, path, size, extra = {}) {
      put(connection, { name: nameOf(path), path, kind: 'file', size, ...extra });
    },
    addEntries(connection, path, entries) {
      if (path !== '' && folder(connection, path) === undefined) host.addFolder(connection, path);
      const target = folder(connection, path);
      for (const entry of entries) target?.set(entry.name, entry);
    },
    advance(id, fraction) {
      const batch = batches.get(id);
      if (batch === undefined) return;
      const bytesDone = Math.round(batch.snapshot.bytesTotal * fraction);
      const running = batch.files.findIndex((f) => f.state === 'queued' || f.state === 'running');
      const file = batch.files[running];
      if (file !== undefined) batch.files[running] = { ...file, state: 'running', bytes: Math.min(file.size, bytesDone) };
      const wasQueued = batch.snapshot.state === 'queued';
      update(batch, {
        state: 'running',
        bytesDone,
        rateBps: 1_000_000,
        etaSeconds: Math.ceil((batch.snapshot.bytesTotal - bytesDone) / 1_000_000),
        current: file === undefined ? [] : [{ path: file.source, bytes: Math.min(file.size, bytesDone), size: file.size }],
      });
      if (wasQueued) emit('transfer.state', { id, state: 'running', snapshot: batch.snapshot });
      emit('transfer.progress', batch.snapshot);
    },
    complete(id) {
      const batch = batches.get(id);
      if (batch === undefined) return;
      const { request } = batch;
      batch.files.forEach((file, index) => {
        if (file.state === 'failed' || file.state === 'cancelled' || file.state === 'done') return;
        const source = entryAt(request.source.connection, file.source);
        if (source !== undefined) {
          put(request.target.connection, { ...source, path: join(request.target.path, source.name), modifiedAt: Date.now() });
          if (request.move) remove(request.source.connection, file.source);
        }
        batch.files[index] = { ...file, state: 'done', bytes: file.size, reason: 'new file' };
        emit('transfer.file', { id, index, file: batch.files[index] });
      });
      const failed = batch.files.filter((f) => f.state === 'failed').length;
      update(batch, {
        state: failed > 0 ? 'failed' : 'done',
        filesDone: batch.files.filter((f) => f.state === 'done').length,
        filesFailed: failed,
        bytesDone: batch.snapshot.bytesTotal,
        etaSeconds: 0,
        rateBps: 0,
        current: [],
        finishedAt: Date.now(),
      });
      emit('transfer.state', { id, state: batch.snapshot.state, snapshot: batch.snapshot });
      emit('files.changed', { connection: request.target.connection, path: request.target.path });
      if (request.move) emit('files.changed', { connection: request.source.connection, path: parentOf(request.source.paths[0] ?? '') });
    },
    failFile(id, index, reason) {
      const batch = batches.get(id);
      const file = batch?.files[index];
      if (batch === undefined || file === undefined) return;
      batch.files[index] = { ...file, state: 'failed', reason, errorKind: 'permission' };
      update(batch, { filesFailed: batch.snapshot.filesFailed + 1 });
      emit('transfer.file', { id, index, file: batch.files[index] });
    },
    emit,
  };

  host.addConnection({ name: THIS_COMPUTER, kind: 'local', location: 'file:///', sdrive: false });
  for (const connection of connections) host.addConnection(connection);
  return host;
}
