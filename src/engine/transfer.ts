import { setMaxListeners } from 'node:events';
import { TransferError } from '../connectors/errors.js';
import { baseName, joinRelative, locationOf, normalizeRelative, parentOf } from '../connectors/paths.js';
import type { RemoteEntry, RemoteFs } from '../connectors/types.js';
import { FATAL_KINDS, type TransferErrorKind } from '../shared/model/errorKinds.js';
import { mapWithConcurrency } from './concurrency.js';
import { decide, decideAsking, firstFreeName, type ConflictInput, type ConflictRule, type CopyDecision } from './conflict.js';
import { copyFile, isPartialName, partialPathFor, type Verification } from './copyFile.js';
import type { Pace } from './bandwidth/BandwidthLimits.js';
import type { ResumeJournal } from './ResumeJournal.js';
import { DEFAULT_RETRY, toTransferError, withRetries, type RetryPolicy } from './retry.js';
import { TransferStats } from './TransferStats.js';
import { memoryKey } from './sameFile.js';
import type { WrittenFiles } from './WrittenFiles.js';

export interface TransferRequest {
  readonly source: RemoteFs;
  /** A file or, with `recursive`, a folder whose contents are copied into `targetPath`. */
  readonly sourcePath: string;
  readonly target: RemoteFs;
  /**
   * For a folder: the folder that receives its contents. For a file: the new file's path, or an
   * existing folder (or one written with a trailing slash) to put it in under its own name.
   */
  readonly targetPath: string;
  readonly recursive: boolean;
  /** A policy for every file, or a person asked about each file whose target exists. */
  readonly policy: ConflictRule;
  /** Remove each source file once its copy is verified. */
  readonly move: boolean;
  /** Decide everything, change nothing. */
  readonly dryRun: boolean;
  readonly journal: ResumeJournal;
  /** What Ferry wrote where: lets the 'changed' policy recognise its own earlier copies on servers that keep no times. */
  readonly written?: WrittenFiles;
  /** Judge "unchanged" by size alone, as the user asked (`--size-only`). */
  readonly sizeOnly?: boolean;
  /** Judge "unchanged" by a hash both sides know before times (`--checksum`). */
  readonly checksum?: boolean;
  /**
   * For a folder: whether a path below it (`a/b.csv`, or a folder `a`) is taken at all. Names left out
   * are neither listed further nor reported: a sync's excluded files.
   */
  readonly select?: (relativePath: string, kind: RemoteEntry['kind']) => boolean;
  readonly concurrency?: number;
  readonly retry?: RetryPolicy;
  readonly preserveModifiedTime?: boolean;
  readonly stats?: TransferStats;
  readonly signal?: AbortSignal;
  readonly onRetry?: (path: string, error: TransferError, attempt: number, delayMs: number) => void;
  /**
   * Decides each file's target path in one batch once the source is listed, e.g. the Salesforce
   * record a file belongs to by its name: a string is the new target path, an error fails just that file.
   */
  readonly resolveTargets?: (files: ReadonlyArray<PlannedTarget>, signal: AbortSignal) => Promise<ReadonlyArray<string | TransferError>>;
  /**
   * Awaited just before a file is sent, with what the target listing showed: a journal writes its
   * intent here, and a resumed run answers `skip` for a file that an earlier attempt already delivered.
   */
  readonly beforeCopy?: (file: PendingCopy, signal: AbortSignal) => Promise<{ readonly skip?: string }>;
  /** Called for each file the engine attempted, as soon as its outcome is known; the summary lists every file. */
  readonly onItemDone?: (result: ItemResult) => void;
  /** The bandwidth limits every file's bytes go through, shared by the files in flight. */
  readonly pace?: Pace;
  /** Called once the files to send are known, before any is sent: a queue lists them as waiting. */
  readonly onPlanned?: (files: ReadonlyArray<PlannedFileView>) => void;
  /**
   * A signal of one file's own, for a person who cancels that file alone: it fails as cancelled and,
   * unlike a cancelled transfer, the other files go on.
   */
  readonly fileSignal?: (sourcePath: string) => AbortSignal | undefined;
}

/** A file the engine means to send, as `onPlanned` reports it. */
export interface PlannedFileView {
  readonly source: string;
  readonly target: string;
  /** -1 when the server does not say. */
  readonly size: number;
}

/** A file the engine is about to send. */
export interface PendingCopy {
  readonly source: RemoteEntry;
  readonly targetPath: string;
  /** The target file as listed before the transfer, if there was one. */
  readonly existing: RemoteEntry | undefined;
}

/** A file about to be copied, as `resolveTargets` sees it. */
export interface PlannedTarget {
  readonly source: RemoteEntry;
  /** The path below the copied folder (the file name for a single file). */
  readonly relativePath: string;
  readonly targetPath: string;
}

export type ItemStatus = 'copied' | 'moved' | 'skipped' | 'failed' | 'planned';

export interface ItemResult {
  /** Source path relative to the source connector root. */
  readonly source: string;
  readonly target?: string;
  readonly status: ItemStatus;
  readonly bytes: number;
  /** Why the file was sent, skipped or refused, in words. */
  readonly reason?: string;
  /** The file goes (or went) over an existing one: a new version on Salesforce. */
  readonly replaces?: boolean;
  /** A dry run under a person's rule: the target exists, and the person will be asked about it. */
  readonly asks?: true;
  readonly errorKind?: TransferErrorKind;
  readonly verifiedBy?: ReadonlyArray<Verification>;
  /** What the target reported for what it stored, `md5:…`. */
  readonly checksum?: string;
  /** From the copy's first attempt to its check, retries included. */
  readonly durationMs?: number;
  readonly resumedFrom?: number;
}

export interface TransferSummary {
  readonly dryRun: boolean;
  readonly files: number;
  readonly bytes: number;
  readonly skipped: number;
  readonly failed: ReadonlyArray<{ readonly path: string; readonly kind: TransferErrorKind; readonly reason: string }>;
  readonly items: ReadonlyArray<ItemResult>;
  readonly durationMs: number;
}

const DEFAULT_CONCURRENCY = 8;

interface PlannedFile {
  readonly entry: RemoteEntry;
  readonly targetPath: string;
}

/**
 * Copies or moves one file or a tree between any two connectors. Items fail one by one — a hostile
 * name, a permission problem or a file that keeps failing is reported and the rest of the batch goes
 * on — except for fatal errors (authentication, an untrusted server), which stop the whole transfer.
 */
export async function transfer(req: TransferRequest): Promise<TransferSummary> {
  const started = Date.now();
  const stats = req.stats ?? new TransferStats();
  const abort = new AbortController();
  // Every file in flight, and every wait, listens on this one signal: many listeners are expected.
  setMaxListeners(0, abort.signal);
  const forwardAbort = (): void => abort.abort(req.signal?.reason);
  req.signal?.addEventListener('abort', forwardAbort, { once: true });
  // A signal aborted before this transfer began (a run's later part) fires no event.
  if (req.signal?.aborted === true) forwardAbort();
  const results: ItemResult[] = [];
  // Preparation is retried like the transfers: a refused or stalled first connection must not fail a
  // run that the next connection would serve.
  const retrying: Retrying = (op) =>
    withRetries(req.retry ?? DEFAULT_RETRY, op, {
      signal: abort.signal,
      ...(req.onRetry ? { onRetry: (e, attempt, delay) => req.onRetry?.(req.sourcePath, e, attempt, delay) } : {}),
    });
  try {
    const sourcePath = normalizeRelative(req.sourcePath);
    const root = await retrying(() => req.source.stat(sourcePath, abort.signal));
    if (root === undefined) {
      throw new TransferError('notFound', `Source not found: ${locationOf(req.source, sourcePath)}`, {
        path: sourcePath,
      });
    }
    let files: PlannedFile[];
    let sourceDirs: string[] = [];
    if (root.kind === 'dir') {
      if (!req.recursive) {
        throw new TransferError('validation', `${sourcePath || '/'} is a folder: add --recursive to copy it`);
      }
      const walked = await walk(req.source, sourcePath, normalizeRelative(req.targetPath), results, abort.signal, retrying, req.select);
      files = walked.files;
      sourceDirs = walked.dirs;
    } else {
      files = [{ entry: root, targetPath: await fileTargetPath(req, root, retrying) }];
    }
    if (req.resolveTargets !== undefined) files = await resolveTargets(req, files, sourcePath, root.kind, results, abort.signal);
    stats.plan(
      files.length,
      files.reduce((n, f) => n + Math.max(0, f.entry.size), 0),
    );
    for (let i = 0; i < results.length; i++) stats.settle('failed', 0);
    req.onPlanned?.(files.map((f) => ({ source: f.entry.path, target: f.targetPath, size: f.entry.size })));

    const existing = await listTargets(req.target, files, abort.signal, retrying);
    const dirFailures = req.dryRun
      ? new Map<string, TransferError>()
      : await makeTargetDirs(req.target, files, abort.signal, retrying);
    const limit = Math.max(
      1,
      Math.min(req.concurrency ?? DEFAULT_CONCURRENCY, req.source.capabilities.maxConcurrency, req.target.capabilities.maxConcurrency),
    );
    let fatal: TransferError | undefined;
    const sendAll = (batch: ReadonlyArray<PlannedFile>, width: number, settled: (result: ItemResult) => boolean): Promise<ItemResult[]> =>
      mapWithConcurrency(batch, width, async (file) => {
        if (fatal !== undefined) {
          stats.settle('failed', Math.max(0, file.entry.size));
          return failed(file, fatal, `not attempted: ${fatal.message}`);
        }
        const dirFailure = dirFailures.get(parentOf(file.targetPath));
        if (dirFailure !== undefined) {
          stats.settle('failed', Math.max(0, file.entry.size));
          return failed(file, dirFailure, `cannot create the target folder: ${dirFailure.message}`);
        }
        const result = await transferOne(req, file, existing, stats, abort.signal, retrying);
        if (settled(result)) req.onItemDone?.(result);
        // A file cancelled on its own (its signal, not the transfer's) stops nothing else.
        const stopsAll = result.errorKind === 'cancelled' ? abort.signal.aborted : result.errorKind !== undefined && FATAL_KINDS.has(result.errorKind);
        if (result.status === 'failed' && stopsAll && !fatal && result.errorKind !== undefined) {
          fatal = new TransferError(result.errorKind, result.reason ?? 'fatal error');
          abort.abort(fatal);
        }
        return result;
      });
    // Files sent side by side can fill a disk together that would hold them one after another: those
    // refused for want of space are sent again one at a time once the others are done (their partial
    // files are gone by then, and with them the space they took).
    const outOfSpace = (r: ItemResult): boolean => limit > 1 && r.status === 'failed' && r.errorKind === 'quota';
    const itemResults = await sendAll(files, limit, (r) => !outOfSpace(r));
    const again = files.flatMap((file, i) => {
      const r = itemResults[i];
      return r !== undefined && outOfSpace(r) ? [{ file, i }] : [];
    });
    if (again.length > 0) {
      for (const { file } of again) stats.requeue(file.entry.size);
      const second = await sendAll(again.map((a) => a.file), 1, () => true);
      again.forEach(({ i }, k) => {
        const r = second[k];
        if (r !== undefined) itemResults[i] = r;
      });
    }
    results.push(...itemResults);
    if (req.move && !req.dryRun && root.kind === 'dir') await removeEmptiedDirs(req.source, sourceDirs, sourcePath);
  } finally {
    req.signal?.removeEventListener('abort', forwardAbort);
  }
  return summarize(req.dryRun, results, Date.now() - started);
}

type Retrying = <T>(op: () => Promise<T>) => Promise<T>;

async function fileTargetPath(req: TransferRequest, entry: RemoteEntry, retrying: Retrying): Promise<string> {
  const target = normalizeRelative(req.targetPath);
  const intoFolder = req.targetPath.endsWith('/') || target === '';
  if (intoFolder) return joinRelative(target, entry.name);
  const existing = await retrying(() => req.target.stat(target, req.signal));
  return existing?.kind === 'dir' ? joinRelative(target, entry.name) : target;
}

/** Lists the source tree breadth-first; refused names become failed items and the walk goes on. */
async function walk(
  fs: RemoteFs,
  root: string,
  targetRoot: string,
  results: ItemResult[],
  signal: AbortSignal,
  retrying: Retrying,
  select: TransferRequest['select'],
): Promise<{ files: PlannedFile[]; dirs: string[] }> {
  const files: PlannedFile[] = [];
  const dirs: string[] = [];
  let level = [root];
  const parallel = Math.max(1, Math.min(8, fs.capabilities.maxConcurrency));
  while (level.length > 0) {
    const listings = await mapWithConcurrency(level, parallel, async (dir) => {
      // Refusals are collected per attempt, so a listing retried after a dropped link reports each once.
      let refused: ItemResult[] = [];
      const entries = await retrying(() => {
        refused = [];
        return fs.list(dir, {
          signal,
          onUnsafeName: (name, reason) => {
            // The raw name: whoever shows it escapes it for their medium (a terminal, JSON, a grid cell).
            refused.push({ source: joinRelative(dir, name), status: 'failed', bytes: 0, errorKind: 'unsafeName', reason: `refused name: ${reason}` });
          },
        });
      });
      results.push(...refused);
      return entries;
    });
    const next: string[] = [];
    for (const entries of listings) {
      for (const e of entries) {
        const rel = root === '' ? e.path : e.path.slice(root.length + 1);
        if (select !== undefined && !select(rel, e.kind)) continue;
        if (e.kind === 'dir') {
          next.push(e.path);
          dirs.push(e.path);
        } else if (!isPartialName(e.name)) {
          files.push({ entry: e, targetPath: joinRelative(targetRoot, rel) });
        }
      }
    }
    level = next;
  }
  return { files, dirs };
}

async function resolveTargets(
  req: TransferRequest,
  files: ReadonlyArray<PlannedFile>,
  sourcePath: string,
  rootKind: RemoteEntry['kind'],
  results: ItemResult[],
  signal: AbortSignal,
): Promise<PlannedFile[]> {
  const planned = files.map((f) => ({
    source: f.entry,
    relativePath: rootKind === 'dir' && sourcePath !== '' ? f.entry.path.slice(sourcePath.length + 1) : rootKind === 'dir' ? f.entry.path : f.entry.name,
    targetPath: f.targetPath,
  }));
  const decided = await req.resolveTargets?.(planned, signal) ?? [];
  const kept: PlannedFile[] = [];
  files.forEach((file, i) => {
    const target = decided[i];
    if (typeof target === 'string') kept.push({ entry: file.entry, targetPath: target });
    else results.push(failed(file, target ?? new TransferError('config', `No target was decided for ${file.entry.path}`)));
  });
  return kept;
}

/** One listing per target folder instead of one stat per file: 10,000 files cost one LIST, not 10,000. */
async function listTargets(
  fs: RemoteFs,
  files: ReadonlyArray<PlannedFile>,
  signal: AbortSignal,
  retrying: Retrying,
): Promise<Map<string, RemoteEntry>> {
  const folders = [...new Set(files.map((f) => parentOf(f.targetPath)))];
  const found = new Map<string, RemoteEntry>();
  const listMany = fs.listMany?.bind(fs);
  if (listMany !== undefined && folders.length > 1) {
    // One request answers many folders where the server can do that (Salesforce: one query per batch of records).
    const listed = await retrying(() => listMany(folders, { signal }));
    for (const entries of listed.values()) for (const e of entries) found.set(e.path, e);
    return found;
  }
  await mapWithConcurrency(folders, Math.max(1, Math.min(8, fs.capabilities.maxConcurrency)), async (dir) => {
    try {
      for (const e of await retrying(() => fs.list(dir, { signal }))) found.set(e.path, e);
    } catch (e) {
      if (toTransferError(e).kind !== 'notFound') throw e;
    }
  });
  return found;
}

/**
 * Creates every target folder, parents first. A folder that cannot be made fails only the files meant
 * for it (and its subfolders); the returned map says which, and why.
 */
async function makeTargetDirs(
  fs: RemoteFs,
  files: ReadonlyArray<PlannedFile>,
  signal: AbortSignal,
  retrying: Retrying,
): Promise<Map<string, TransferError>> {
  const folders = [...new Set(files.map((f) => parentOf(f.targetPath)))].filter((d) => d !== '').sort();
  const failures = new Map<string, TransferError>();
  for (const dir of folders) {
    signal.throwIfAborted();
    const inherited = failures.get(parentOf(dir));
    if (inherited !== undefined) {
      failures.set(dir, inherited);
      continue;
    }
    try {
      await retrying(() => fs.mkdir(dir));
    } catch (e) {
      const error = toTransferError(e);
      if (error.fatal || error.kind === 'cancelled') throw error;
      failures.set(dir, error);
    }
  }
  return failures;
}

async function transferOne(
  req: TransferRequest,
  file: PlannedFile,
  existing: Map<string, RemoteEntry>,
  stats: TransferStats,
  batchSignal: AbortSignal,
  retrying: Retrying,
): Promise<ItemResult> {
  const { entry } = file;
  const own = req.fileSignal?.(entry.path);
  const signal = own === undefined ? batchSignal : AbortSignal.any([batchSignal, own]);
  let decision: CopyDecision;
  try {
    signal.throwIfAborted();
    const itself = await sameFileOnBothSides(req, entry.path, file.targetPath, signal, retrying);
    if (itself !== undefined) {
      stats.settle('failed', Math.max(0, entry.size));
      return failed(file, itself);
    }
    const target = existing.get(file.targetPath);
    if (req.dryRun && typeof req.policy !== 'string' && target?.kind === 'file') {
      stats.settle('skipped', Math.max(0, entry.size));
      return { source: entry.path, target: file.targetPath, status: 'planned', bytes: Math.max(0, entry.size), reason: 'the target exists: you will be asked what to do', replaces: true, asks: true };
    }
    const input: ConflictInput = {
      source: { fs: req.source, entry },
      target: req.target,
      targetPath: file.targetPath,
      existing: target,
      compare: {
        toleranceMs: Math.max(1000, req.source.capabilities.mtimePrecisionMs, req.target.capabilities.mtimePrecisionMs),
        ...(req.written === undefined ? {} : { written: req.written }),
        ...(req.sizeOnly === true ? { sizeOnly: true } : {}),
        ...(req.checksum === true ? { checksum: true } : {}),
        signal,
      },
      freeName: (p) => freeName(req.target, p, existing),
    };
    decision = typeof req.policy === 'string' ? await decide(req.policy, input) : await decideAsking(req.policy.choose, input, signal);
  } catch (e) {
    stats.settle('failed', Math.max(0, entry.size));
    return failed(file, toTransferError(e));
  }
  if (decision.kind === 'skip') {
    stats.settle('skipped', Math.max(0, entry.size));
    return { source: entry.path, target: file.targetPath, status: 'skipped', bytes: 0, reason: decision.reason };
  }
  if (!req.dryRun && req.beforeCopy !== undefined) {
    let verdict: { readonly skip?: string };
    try {
      verdict = await req.beforeCopy({ source: entry, targetPath: decision.targetPath, existing: existing.get(decision.targetPath) }, signal);
    } catch (e) {
      stats.settle('failed', Math.max(0, entry.size));
      return failed(file, toTransferError(e));
    }
    if (verdict.skip !== undefined) {
      stats.settle('skipped', Math.max(0, entry.size));
      return { source: entry.path, target: decision.targetPath, status: 'skipped', bytes: 0, reason: verdict.skip };
    }
  }
  if (req.dryRun) {
    stats.settle('skipped', Math.max(0, entry.size));
    return { source: entry.path, target: decision.targetPath, status: 'planned', bytes: Math.max(0, entry.size), reason: decision.reason, ...replacing(decision) };
  }
  const meter = stats.start(entry.path, entry.size);
  try {
    const began = Date.now();
    const copied = await copyFile({
      source: req.source,
      entry,
      target: req.target,
      decision,
      meter,
      journal: req.journal,
      retry: req.retry ?? DEFAULT_RETRY,
      preserveModifiedTime: req.preserveModifiedTime ?? true,
      ...(req.pace === undefined ? {} : { pace: req.pace }),
      noPartialOnTarget: !existing.has(partialPathFor(decision.targetPath)),
      signal,
      ...(req.onRetry ? { onRetry: (e, attempt, delay) => req.onRetry?.(entry.path, e, attempt, delay) } : {}),
    });
    await remember(req, entry, copied.targetPath, copied.written);
    if (req.move) await retrying(() => removeIfPresent(req.source, entry.path));
    meter.finish('done');
    return {
      source: entry.path,
      target: copied.targetPath,
      status: req.move ? 'moved' : 'copied',
      bytes: copied.bytes,
      reason: decision.reason,
      ...replacing(decision),
      verifiedBy: copied.verifiedBy,
      ...(copied.checksum === undefined ? {} : { checksum: copied.checksum }),
      durationMs: Date.now() - began,
      resumedFrom: copied.resumedFrom,
    };
  } catch (e) {
    meter.finish('failed');
    return failed(file, toTransferError(e));
  }
}

/**
 * Refuses a copy whose source and target are one file, however the two paths are spelled (`./a` and
 * `a`, a symlink, `~`, another connection to the same server): replacing a file with itself and then
 * removing the source would lose it.
 */
async function sameFileOnBothSides(
  req: TransferRequest,
  sourcePath: string,
  targetPath: string,
  signal: AbortSignal,
  retrying: Retrying,
): Promise<TransferError | undefined> {
  if (req.source.storageKey !== req.target.storageKey) return undefined;
  const targetKey = await retrying(() => req.target.fileKey(targetPath, signal));
  if (targetKey === undefined) return undefined;
  const ownKey = await retrying(() => req.source.fileKey(sourcePath, signal));
  if (ownKey !== targetKey) return undefined;
  return new TransferError(
    'validation',
    `${locationOf(req.source, sourcePath)} and ${locationOf(req.target, targetPath)} are the same file: a file cannot be ${req.move ? 'moved' : 'copied'} onto itself`,
    { path: sourcePath },
  );
}

function replacing(decision: Exclude<CopyDecision, { kind: 'skip' }>): { replaces?: true } {
  return decision.kind === 'append' || decision.mode === 'replace' ? { replaces: true } : {};
}

/** Remembers what was written, for targets whose own times and hashes cannot show it later. */
async function remember(req: TransferRequest, source: RemoteEntry, targetPath: string, written: { size: number; modifiedAt: number } | undefined): Promise<void> {
  if (req.written === undefined || written === undefined || source.modifiedAt === undefined) return;
  await req.written.put(memoryKey(req.target, targetPath), {
    source: memoryKey(req.source, source.path),
    sourceSize: source.size,
    sourceModifiedAt: source.modifiedAt,
    ...written,
  });
}

/**
 * Removes a file that may already be gone: a retry, or a resumed run, that finds it gone means an
 * earlier attempt removed it and its reply was lost.
 */
export async function removeIfPresent(fs: RemoteFs, path: string): Promise<void> {
  try {
    await fs.remove(path);
  } catch (e) {
    if (toTransferError(e).kind !== 'notFound') throw e;
  }
}

async function freeName(fs: RemoteFs, path: string, known: Map<string, RemoteEntry>): Promise<string> {
  const candidate = await firstFreeName(path, async (name) => known.has(name) || (await fs.stat(name)) !== undefined);
  // Reserve it, so that two files renamed in the same batch do not pick the same name.
  known.set(candidate, { name: baseName(candidate), path: candidate, kind: 'file', size: 0 });
  return candidate;
}

async function removeEmptiedDirs(fs: RemoteFs, dirs: ReadonlyArray<string>, root: string): Promise<void> {
  const deepestFirst = [...dirs].sort((a, b) => b.split('/').length - a.split('/').length);
  for (const dir of [...deepestFirst, ...(root === '' ? [] : [root])]) {
    try {
      await fs.rmdir(dir);
    } catch {
      // Not empty (something failed or was added meanwhile): leave it, nothing is lost.
    }
  }
}

function failed(file: PlannedFile, error: TransferError, reason = error.message): ItemResult {
  return {
    source: file.entry.path,
    target: file.targetPath,
    status: 'failed',
    bytes: 0,
    errorKind: error.kind,
    reason,
  };
}

function summarize(dryRun: boolean, items: ReadonlyArray<ItemResult>, durationMs: number): TransferSummary {
  let files = 0;
  let bytes = 0;
  let skipped = 0;
  const failures: Array<{ path: string; kind: TransferErrorKind; reason: string }> = [];
  for (const item of items) {
    if (item.status === 'copied' || item.status === 'moved' || item.status === 'planned') {
      files++;
      bytes += item.bytes;
    } else if (item.status === 'skipped') skipped++;
    else failures.push({ path: item.source, kind: item.errorKind ?? 'protocol', reason: item.reason ?? 'failed' });
  }
  return { dryRun, files, bytes, skipped, failed: failures, items, durationMs };
}
