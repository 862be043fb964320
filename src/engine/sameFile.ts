import { HASH_KINDS, type HashKind, type RemoteEntry, type RemoteFs } from '../connectors/types.js';
import type { WrittenFile, WrittenFiles } from './WrittenFiles.js';

/** Whether two files hold the same content, and the evidence in words (shown by `--dry-run` and `--json`). */
export interface Sameness {
  readonly same: boolean;
  readonly reason: string;
}

/** One side of a comparison: the file as listed, and the connector that can tell more about it. */
export interface FileSide {
  readonly fs: RemoteFs;
  readonly entry: RemoteEntry;
}

export interface SameFileOptions {
  /** Coarsest time precision of the two sides, in ms. */
  readonly toleranceMs: number;
  /** What Ferry itself wrote to the target side; consulted when times and hashes cannot decide. */
  readonly written?: WrittenFiles;
  /** Judge by size alone, as the user asked (`--size-only`). */
  readonly sizeOnly?: boolean;
  /**
   * Judge by size and a hash both sides know before looking at times, as the user asked (`--checksum`):
   * a file touched but not changed is not sent again, one changed within the same second is.
   */
  readonly checksum?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * The one answer to "is the target already this source file?", shared by copy, move and jobs. It never
 * says "same" on the size alone, and never "different" when a trustworthy hash says equal:
 * 1. sizes that differ decide at once;
 * 2. exact modification times on both sides (asking the server per file — MDTM, SFTP attributes —
 *    where its listing has none) that agree within the tolerance mean the same file;
 * 3. otherwise a hash both sides know — from the listing (Salesforce's checksum) or computed where the
 *    connector can do it without a download (local files) — decides;
 * 4. otherwise Ferry's memory of what it wrote decides: the target is exactly as Ferry left it, and
 *    the source is exactly the file it was written from;
 * 5. otherwise the file is taken as changed, because only its size is known to match.
 * With `checksum`, step 3 comes before step 2 wherever both sides know a common hash.
 */
export async function sameFile(source: FileSide, target: FileSide, opts: SameFileOptions): Promise<Sameness> {
  const a = source.entry;
  const b = target.entry;
  if (a.size >= 0 && b.size >= 0 && a.size !== b.size) return { same: false, reason: `sizes differ (${a.size} and ${b.size} bytes)` };
  if (opts.sizeOnly === true) {
    return a.size >= 0 && a.size === b.size
      ? { same: true, reason: 'same size (compared by size only)' }
      : { same: false, reason: 'the size is unknown' };
  }
  if (opts.checksum === true) {
    const hashed = await compareHashes(source, target, opts.signal);
    if (hashed !== undefined) return hashed;
  }
  const sourceTime = await exactTime(source, opts.signal);
  const targetTime = await exactTime(target, opts.signal);
  const sizesMatch = a.size >= 0 && a.size === b.size;
  if (sizesMatch && sourceTime !== undefined && targetTime !== undefined && Math.abs(sourceTime - targetTime) <= opts.toleranceMs) {
    return { same: true, reason: 'same size and modification time' };
  }
  const hashed = await compareHashes(source, target, opts.signal);
  if (hashed !== undefined) return hashed;
  const remembered = opts.written === undefined ? undefined : await opts.written.get(memoryKey(target.fs, b.path));
  if (remembered !== undefined && sizesMatch && asWritten(remembered, source, sourceTime, b, targetTime)) {
    return { same: true, reason: 'Ferry wrote the target from this same source file, and neither has changed since' };
  }
  if (sourceTime !== undefined && targetTime !== undefined) return { same: false, reason: 'modification times differ' };
  return { same: false, reason: 'only the size is known to match, so the file is treated as changed' };
}

/** How the memory of what Ferry wrote names a file, the target it wrote and the source it read alike. */
export function memoryKey(fs: RemoteFs, path: string): string {
  return `${fs.description}\0${path}`;
}

function asWritten(rec: WrittenFile, source: FileSide, sourceTime: number | undefined, target: RemoteEntry, targetTime: number | undefined): boolean {
  return (
    rec.source === memoryKey(source.fs, source.entry.path) &&
    rec.sourceSize === source.entry.size &&
    sourceTime !== undefined &&
    rec.sourceModifiedAt === sourceTime &&
    rec.size === target.size &&
    targetTime !== undefined &&
    rec.modifiedAt === targetTime
  );
}

/** The listed time, or the server's exact time for this one file where the listing had none (FTP LIST). */
async function exactTime(side: FileSide, signal?: AbortSignal): Promise<number | undefined> {
  if (side.entry.modifiedAt !== undefined) return side.entry.modifiedAt;
  return (await side.fs.stat(side.entry.path, signal))?.modifiedAt;
}

async function compareHashes(source: FileSide, target: FileSide, signal?: AbortSignal): Promise<Sameness | undefined> {
  const kind = commonKnownHash(source, target);
  if (kind === undefined) return undefined;
  const [x, y] = await Promise.all([hashOf(source, kind, signal), hashOf(target, kind, signal)]);
  if (x === undefined || y === undefined) return undefined;
  const name = kind.toUpperCase();
  return x === y ? { same: true, reason: `same ${name} (${x})` } : { same: false, reason: `${name} differs` };
}

/** A hash kind both sides can give without a download, preferring one a listing already carried. */
function commonKnownHash(source: FileSide, target: FileSide): HashKind | undefined {
  const known = (side: FileSide): ReadonlyArray<HashKind> => [
    ...HASH_KINDS.filter((k) => side.entry.hashes?.[k] !== undefined),
    ...(side.fs.hash === undefined ? [] : side.fs.capabilities.hashes),
  ];
  const theirs = known(target);
  return known(source).find((k) => theirs.includes(k));
}

async function hashOf(side: FileSide, kind: HashKind, signal?: AbortSignal): Promise<string | undefined> {
  const listed = side.entry.hashes?.[kind];
  if (listed !== undefined) return listed.toLowerCase();
  const hash = side.fs.hash?.bind(side.fs);
  return hash === undefined ? undefined : (await hash(side.entry.path, kind, signal)).toLowerCase();
}
