import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { TransferError } from '../connectors/errors.js';
import { baseName, parentOf, joinRelative } from '../connectors/paths.js';
import type { HashKind, RemoteEntry, RemoteFs } from '../connectors/types.js';
import type { CopyDecision } from './conflict.js';
import type { Pace } from './bandwidth/BandwidthLimits.js';
import type { ResumeJournal } from './ResumeJournal.js';
import { withRetries, toTransferError, type RetryPolicy } from './retry.js';
import type { ItemMeter } from './TransferStats.js';

export interface CopyFileRequest {
  readonly source: RemoteFs;
  readonly entry: RemoteEntry;
  readonly target: RemoteFs;
  readonly decision: Exclude<CopyDecision, { kind: 'skip' }>;
  readonly meter: ItemMeter;
  readonly journal: ResumeJournal;
  readonly retry: RetryPolicy;
  readonly preserveModifiedTime: boolean;
  /** The caller listed the target folder and saw no partial file: one round trip saved per file. */
  readonly noPartialOnTarget?: boolean;
  /** Bandwidth limits the bytes go through; none when absent. */
  readonly pace?: Pace;
  readonly signal?: AbortSignal;
  readonly onRetry?: (error: TransferError, attempt: number, delayMs: number) => void;
}

/**
 * How a copy was checked: `size`; a hash kind where both sides can compute one; `boundary` for a resumed
 * file whose bytes on both sides of the resume point were read back and compared where no hash exists.
 */
export type Verification = 'size' | HashKind | 'boundary';

export interface CopyFileResult {
  readonly targetPath: string;
  readonly bytes: number;
  readonly verifiedBy: ReadonlyArray<Verification>;
  /** Bytes that were already on the target and not sent again. */
  readonly resumedFrom: number;
  /**
   * The digest the target reported for what it stored, `md5:…` (Salesforce's MD5, which its connector
   * has compared with the bytes sent); absent where the target reports none.
   */
  readonly checksum?: string;
  /**
   * The target's size and time as its server reports them after the write, when it could not take the
   * source's time: what Ferry remembers to recognise its own copy later.
   */
  readonly written?: { readonly size: number; readonly modifiedAt: number };
}

const PARTIAL_SUFFIX = '.ferrypart';
/** Files from this size on are journaled so that a later run can resume them after a crash. */
export const RESUME_JOURNAL_MIN_BYTES = 1024 * 1024;
/** Bytes compared on each side of a resume point, and at the start of the kept bytes. */
const BOUNDARY_BYTES = 64 * 1024;
/** Most servers and local file systems cap one name at 255 bytes. */
const MAX_NAME_BYTES = 255;

/**
 * The name a file is uploaded under before it is published. Deterministic per target, so that a later
 * run finds the bytes an interrupted one left; shortened with a hash when the name is near the limit.
 */
export function partialPathFor(targetPath: string): string {
  const name = baseName(targetPath);
  let partial = `${name}${PARTIAL_SUFFIX}`;
  if (Buffer.byteLength(partial) > MAX_NAME_BYTES) {
    const tag = createHash('sha256').update(name).digest('hex').slice(0, 12);
    const room = MAX_NAME_BYTES - Buffer.byteLength(`.${tag}${PARTIAL_SUFFIX}`);
    partial = `${truncateUtf8(name, room)}.${tag}${PARTIAL_SUFFIX}`;
  }
  return joinRelative(parentOf(targetPath), partial);
}

export function isPartialName(name: string): boolean {
  return name.endsWith(PARTIAL_SUFFIX);
}

function truncateUtf8(s: string, maxBytes: number): string {
  let out = '';
  for (const ch of s) {
    if (Buffer.byteLength(out + ch) > maxBytes) break;
    out += ch;
  }
  return out;
}

/**
 * Copies one file following rclone's order: write to a partial name, retry only retryable errors
 * (resuming from the bytes already written where both sides can), verify size and hash, then rename to
 * the final name. A cancelled or finally failed copy removes its partial file; a retryable failure that
 * outlives its attempts keeps it, with a journal entry, so the next run resumes.
 */
export async function copyFile(req: CopyFileRequest): Promise<CopyFileResult> {
  const { source, entry, target, decision, meter, journal, signal } = req;
  // Resuming never writes into the user's file: the interrupted copy is first moved to the partial name.
  const usePartial = target.capabilities.rename && target.rename !== undefined;
  const writePath = usePartial ? partialPathFor(decision.targetPath) : decision.targetPath;
  const canResume = source.capabilities.resume && target.capabilities.resume;
  const journalKey = `${target.description}\0${writePath}`;
  const identity = `${source.description}\0${entry.path}\0${entry.size}\0${entry.modifiedAt ?? ''}`;

  const hooks = { ...(signal ? { signal } : {}), ...(req.onRetry ? { onRetry: req.onRetry } : {}) };
  // Every step that talks to a server is retried, not only the bytes: a link that drops while
  // publishing must not fail a file that was completely sent and verified.
  const again = <T>(op: (attempt: number) => Promise<T>): Promise<T> => withRetries(req.retry, op, hooks);

  let offset = 0;
  if (decision.kind === 'append') {
    const mismatch = await again(() => checkPrefix(req, decision.targetPath, decision.offset));
    if (mismatch !== undefined) {
      throw new TransferError(
        'exists',
        `${decision.targetPath} is not the beginning of ${entry.path} (${mismatch}): it was left as it is; use overwrite or rename to replace it or keep both`,
        { path: entry.path },
      );
    }
    if (usePartial) await again(() => adopt(target, decision.targetPath, writePath));
    offset = decision.offset;
  } else if (usePartial && req.noPartialOnTarget !== true) {
    offset = await again(() => reusablePartialBytes(req, writePath, journalKey, identity, canResume));
  }
  // The user's interrupted copy, once moved to the partial name, is kept whatever happens next.
  const adopted = decision.kind === 'append' && usePartial;
  // Small files restart faster than a journal entry costs; only files worth resuming are recorded.
  const journaled = usePartial && canResume && (adopted || entry.size < 0 || entry.size >= RESUME_JOURNAL_MIN_BYTES);
  if (journaled) await journal.put(journalKey, identity);
  const startedAt = offset;
  let restartFromZero = false;
  let streamedHash: { kind: HashKind; hex: string } | undefined;
  let resumeCheck: Verification | undefined;
  let written: RemoteEntry | undefined;

  try {
    await withRetries(
      req.retry,
      async (attempt) => {
        if (attempt > 1) {
          offset = restartFromZero || !canResume ? 0 : await bytesOnTarget(target, writePath, entry.size);
          restartFromZero = false;
        }
        meter.reset(offset);
        const hashKind = offset === 0 ? commonHash(source, target) : undefined;
        const counter = new CountingStream(meter, hashKind, req.pace, signal);
        const input = await source.read(entry.path, { offset, ...(signal ? { signal } : {}) });
        input.once('error', (e) => counter.destroy(e));
        try {
          await target.write(writePath, input.pipe(counter), {
            append: offset > 0,
            ...(entry.size >= 0 ? { size: entry.size - offset } : {}),
            ...(signal ? { signal } : {}),
          });
        } finally {
          // A failed write must hand the source's connection back instead of leaving the read hanging.
          if (!input.readableEnded) input.destroy();
        }
        streamedHash = counter.digest();
        written = await target.stat(writePath, signal);
        if (written === undefined) {
          throw new TransferError('integrity', `The upload of ${entry.path} vanished from the target`, {
            path: entry.path,
            retryable: true,
          });
        }
        if (entry.size >= 0 && written.size !== entry.size) {
          restartFromZero = true;
          throw new TransferError(
            'integrity',
            `Size check failed for ${entry.path}: the source has ${entry.size} bytes, the target ${written.size}`,
            { path: entry.path, retryable: true },
          );
        }
        resumeCheck = offset > 0 ? await verifyResumed(req, writePath, offset, () => (restartFromZero = true)) : undefined;
      },
      hooks,
    );
    const verifiedBy: ReadonlyArray<Verification> = resumeCheck !== undefined ? ['size', resumeCheck] : await again(() => verifyHash(req, writePath, streamedHash));
    if (usePartial) await again((attempt) => publish(target, writePath, decision.targetPath, entry.size, attempt));
    if (journaled) await journal.delete(journalKey);
    const setTime = target.setModifiedTime?.bind(target);
    const keepsTime = req.preserveModifiedTime && entry.modifiedAt !== undefined && setTime !== undefined;
    if (keepsTime) {
      const at = entry.modifiedAt;
      await again(() => setTime(decision.targetPath, at));
    }
    const shown: RemoteEntry | undefined = written;
    return {
      targetPath: decision.targetPath,
      bytes: entry.size,
      verifiedBy,
      resumedFrom: startedAt,
      ...checksumOf(written),
      ...(!keepsTime && shown?.modifiedAt !== undefined ? { written: { size: shown.size, modifiedAt: shown.modifiedAt } } : {}),
    };
  } catch (e) {
    const error = toTransferError(e);
    const keepForResume = adopted || (error.retryable && canResume && usePartial && error.kind !== 'integrity');
    if (!keepForResume) {
      if (usePartial) await removeQuietly(target, writePath);
      if (journaled) await journal.delete(journalKey);
    }
    throw error;
  }
}

/**
 * Compares the bytes the target already holds with the source's at the start and just before
 * `offset`; a description of the first difference, or undefined when both windows match.
 */
function checkPrefix(req: CopyFileRequest, targetPath: string, offset: number): Promise<string | undefined> {
  return compareWindows(req, targetPath, [
    { at: 0, end: Math.min(BOUNDARY_BYTES, offset) },
    { at: Math.max(0, offset - BOUNDARY_BYTES), end: offset },
  ]);
}

/**
 * Checks a resumed file as far as the target allows: by a hash both sides compute, else by reading back
 * its first bytes and those on both sides of the resume point (where an append that landed in the wrong
 * place, or a tampered partial, shows). A mismatch restarts the copy from the first byte.
 */
async function verifyResumed(req: CopyFileRequest, writePath: string, offset: number, restart: () => void): Promise<Verification> {
  const kind = commonHash(req.source, req.target);
  let mismatch: string | undefined;
  let by: Verification;
  if (kind !== undefined && req.source.hash !== undefined && req.target.hash !== undefined) {
    const [ours, theirs] = await Promise.all([req.source.hash(req.entry.path, kind, req.signal), req.target.hash(writePath, kind, req.signal)]);
    if (ours.toLowerCase() !== theirs.toLowerCase()) mismatch = `${kind.toUpperCase()} differs after resuming`;
    by = kind;
  } else {
    const size = req.entry.size < 0 ? offset + BOUNDARY_BYTES : req.entry.size;
    mismatch = await compareWindows(req, writePath, [
      { at: 0, end: Math.min(BOUNDARY_BYTES, size) },
      { at: Math.max(0, offset - BOUNDARY_BYTES), end: Math.min(size, offset + BOUNDARY_BYTES) },
    ]);
    by = 'boundary';
  }
  if (mismatch !== undefined) {
    restart();
    throw new TransferError('integrity', `Resumed copy of ${req.entry.path} failed its check (${mismatch}): sending it again from the start`, {
      path: req.entry.path,
      retryable: true,
    });
  }
  return by;
}

/** Reads the same byte ranges of the source and of `targetPath`; the first that differs, in words. */
async function compareWindows(req: CopyFileRequest, targetPath: string, windows: ReadonlyArray<{ at: number; end: number }>): Promise<string | undefined> {
  for (const w of windows) {
    const length = w.end - w.at;
    if (length <= 0) continue;
    const [ours, theirs] = await Promise.all([readRange(req.source, req.entry.path, w.at, length, req.signal), readRange(req.target, targetPath, w.at, length, req.signal)]);
    if (!ours.equals(theirs)) return `bytes ${w.at} to ${w.end} differ`;
  }
  return undefined;
}

/** Moves the user's interrupted copy to the partial name, replacing a stale partial of Ferry's own. */
async function adopt(target: RemoteFs, from: string, partial: string): Promise<void> {
  const rename = target.rename?.bind(target);
  if (rename === undefined) throw new TransferError('unsupported', `${target.description} cannot rename`);
  if ((await target.stat(from)) === undefined && (await target.stat(partial)) !== undefined) return; // moved by an attempt whose reply was lost
  await removeQuietly(target, partial);
  await rename(from, partial);
}

async function readRange(fs: RemoteFs, path: string, at: number, length: number, signal?: AbortSignal): Promise<Buffer> {
  const stream = await fs.read(path, { offset: at, ...(signal ? { signal } : {}) });
  const chunks: Buffer[] = [];
  let got = 0;
  try {
    for await (const chunk of stream) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      chunks.push(b);
      got += b.length;
      if (got >= length) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, length);
}

/** Bytes of a partial file left by an earlier run of the same copy that can be kept; 0 otherwise. */
async function reusablePartialBytes(
  req: CopyFileRequest,
  writePath: string,
  journalKey: string,
  identity: string,
  canResume: boolean,
): Promise<number> {
  const existing = await req.target.stat(writePath, req.signal);
  if (existing === undefined) return 0;
  const recorded = await req.journal.get(journalKey);
  const sameSource = recorded === identity;
  if (canResume && sameSource && existing.size >= 0 && (req.entry.size < 0 || existing.size <= req.entry.size)) {
    // The journal says whose bytes these are; reading them back says whether they are still intact.
    if ((await checkPrefix(req, writePath, existing.size)) === undefined) return existing.size;
  }
  await req.target.remove(writePath);
  return 0;
}

function checksumOf(stored: RemoteEntry | undefined): { checksum?: string } {
  const [kind, hex] = Object.entries(stored?.hashes ?? {}).find(([, value]) => value !== undefined) ?? [];
  return kind === undefined || hex === undefined ? {} : { checksum: `${kind}:${hex}` };
}

async function bytesOnTarget(target: RemoteFs, path: string, sourceSize: number): Promise<number> {
  const st = await target.stat(path);
  if (st === undefined || st.size < 0) return 0;
  if (sourceSize >= 0 && st.size > sourceSize) {
    await target.remove(path);
    return 0;
  }
  return st.size;
}

/**
 * A hash both sides can compute, or undefined. Only then is a hash check worth its cost: the bytes sent
 * are hashed on the way (standing in for the source's own hash) and compared with the target's.
 */
function commonHash(source: RemoteFs, target: RemoteFs): HashKind | undefined {
  if (source.hash === undefined || target.hash === undefined) return undefined;
  return target.capabilities.hashes.find((k) => source.capabilities.hashes.includes(k));
}

/**
 * Compares the target's own hash with the hash of the bytes that were sent, or, after a resume, with the
 * source's own hash when it can compute the same kind.
 */
async function verifyHash(
  req: CopyFileRequest,
  writePath: string,
  streamed: { kind: HashKind; hex: string } | undefined,
): Promise<ReadonlyArray<Verification>> {
  const { source, target, entry, signal } = req;
  const kind = commonHash(source, target);
  const sourceHash = source.hash?.bind(source);
  const targetHash = target.hash?.bind(target);
  if (kind === undefined || sourceHash === undefined || targetHash === undefined) return ['size'];
  const expected = streamed ?? { kind, hex: await sourceHash(entry.path, kind, signal) };
  const actual = await targetHash(writePath, expected.kind, signal);
  if (actual.toLowerCase() !== expected.hex.toLowerCase()) {
    throw new TransferError(
      'integrity',
      `${expected.kind.toUpperCase()} check failed for ${entry.path}: sent ${expected.hex}, the target has ${actual}`,
      { path: entry.path },
    );
  }
  return ['size', expected.kind];
}

/**
 * Moves the verified partial file onto its final name, replacing an older file where allowed. On a
 * retry the earlier rename may have happened with only its reply lost: then the partial is gone and the
 * final file has the full size, and there is nothing left to do.
 */
async function publish(target: RemoteFs, from: string, to: string, size: number, attempt: number): Promise<void> {
  const rename = target.rename?.bind(target);
  if (rename === undefined) throw new TransferError('unsupported', `${target.description} cannot rename`);
  if (attempt > 1 && (await target.stat(from)) === undefined) {
    const published = await target.stat(to);
    if (published !== undefined && (size < 0 || published.size === size)) return;
  }
  try {
    await rename(from, to);
  } catch (e) {
    // Some FTP servers refuse RNTO onto an existing name: remove the old file, then rename.
    const existing = await target.stat(to);
    if (existing === undefined || existing.kind !== 'file') throw e;
    await target.remove(to);
    await rename(from, to);
  }
}

async function removeQuietly(fs: RemoteFs, path: string): Promise<void> {
  try {
    await fs.remove(path);
  } catch {
    // The partial file may never have been created, or the connection is gone; nothing else to undo.
  }
}

/** Below this, pieces of a chunk cost more in bookkeeping than they smooth the flow. */
const MIN_PIECE_BYTES = 1024;

/** Passes bytes through at the pace of the bandwidth limits, counting them into the meter and, from offset 0, hashing them. */
class CountingStream extends Transform {
  readonly #meter: ItemMeter;
  readonly #hash: Hash | undefined;
  readonly #kind: HashKind | undefined;
  readonly #pace: Pace | undefined;
  readonly #signal: AbortSignal | undefined;

  constructor(meter: ItemMeter, kind: HashKind | undefined, pace: Pace | undefined, signal: AbortSignal | undefined) {
    super({ highWaterMark: 256 * 1024 });
    this.#meter = meter;
    this.#kind = kind;
    this.#hash = kind === undefined ? undefined : createHash(kind);
    this.#pace = pace;
    this.#signal = signal;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const pace = this.#pace;
    if (pace === undefined) {
      this.#pass(chunk);
      done();
      return;
    }
    if (chunk.length > pace.pieceBytes()) {
      this.#paced(chunk, pace).then(() => done(), done);
      return;
    }
    // The usual case stays synchronous: a chunk the limits let through at once costs no promise.
    const wait = pace.admit(chunk.length, this.#signal);
    if (wait === undefined) {
      this.#pass(chunk);
      done();
      return;
    }
    wait.then(() => {
      this.#pass(chunk);
      done();
    }, done);
  }

  async #paced(chunk: Buffer, pace: Pace): Promise<void> {
    for (let at = 0; at < chunk.length; ) {
      const piece = chunk.subarray(at, at + Math.max(MIN_PIECE_BYTES, pace.pieceBytes()));
      const wait = pace.admit(piece.length, this.#signal);
      if (wait !== undefined) await wait;
      this.#pass(piece);
      at += piece.length;
    }
  }

  #pass(piece: Buffer): void {
    this.#meter.add(piece.length);
    this.#hash?.update(piece);
    this.push(piece);
  }

  digest(): { kind: HashKind; hex: string } | undefined {
    if (this.#hash === undefined || this.#kind === undefined) return undefined;
    return { kind: this.#kind, hex: this.#hash.digest('hex') };
  }
}
