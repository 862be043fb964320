import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type Stats } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, stat, utimes } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TransferError, mapNodeError } from '../errors.js';
import { baseName, joinRelative, normalizeRelative, resolveUnderRoot, unsafeNameReason } from '../paths.js';
import type { Capabilities, HashKind, ListOptions, ReadOptions, RemoteEntry, RemoteFs, WriteOptions } from '../types.js';
import { mapWithConcurrency } from '../../engine/concurrency.js';

const CAPABILITIES: Capabilities = {
  rename: true,
  resume: true,
  hashes: ['md5', 'sha1', 'sha256'],
  mtimePrecisionMs: 1,
  caseInsensitive: process.platform === 'win32' || process.platform === 'darwin',
  maxConcurrency: 16,
};

/** Local or network-mounted folders. */
export class LocalFs implements RemoteFs {
  readonly kind = 'local';
  readonly capabilities = CAPABILITIES;
  readonly description: string;
  readonly storageKey = 'local';
  readonly #root: string;

  constructor(root: string) {
    this.#root = resolve(root);
    this.description = `file://${this.#root}`;
  }

  async list(dir: string, opts: ListOptions = {}): Promise<ReadonlyArray<RemoteEntry>> {
    const abs = this.#abs(dir);
    const names = await this.#try(dir, () => readdir(abs));
    const rel = normalizeRelative(dir);
    const entries = await mapWithConcurrency(names, 32, async (name) => {
      const unsafe = unsafeNameReason(name);
      if (unsafe !== undefined) {
        opts.onUnsafeName?.(name, unsafe);
        return undefined;
      }
      const path = joinRelative(rel, name);
      try {
        return toEntry(name, path, await stat(this.#abs(path)));
      } catch {
        // A dangling symlink or a file removed while listing: not an entry any more.
        return undefined;
      }
    });
    return entries.filter((e): e is RemoteEntry => e !== undefined);
  }

  async stat(path: string): Promise<RemoteEntry | undefined> {
    const rel = normalizeRelative(path);
    const abs = this.#abs(rel);
    try {
      return toEntry(baseName(rel), rel, await stat(abs));
    } catch (e) {
      const mapped = mapNodeError(e, rel, [abs]);
      if (mapped?.kind === 'notFound') return undefined;
      throw mapped ?? e;
    }
  }

  async fileKey(path: string): Promise<string | undefined> {
    const rel = normalizeRelative(path);
    const abs = this.#abs(rel);
    try {
      // Device and inode name the file itself, whatever symlinks, `..` or letter case led to it.
      const s = await stat(abs, { bigint: true });
      return `${s.dev}:${s.ino}`;
    } catch (e) {
      const mapped = mapNodeError(e, rel, [abs]);
      if (mapped?.kind === 'notFound') return undefined;
      throw mapped ?? e;
    }
  }

  async read(path: string, opts: ReadOptions = {}): Promise<Readable> {
    const abs = this.#abs(path);
    const info = await this.#try(path, () => stat(abs));
    if (!info.isFile()) throw new TransferError('notFound', `Not a file: ${abs}`, { path });
    const start = opts.offset ?? 0;
    const stream = createReadStream(abs, {
      start,
      // Each read allocates a buffer of this size: small files need small buffers, or GC dominates.
      highWaterMark: Math.min(256 * 1024, Math.max(16 * 1024, info.size - start)),
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    });
    return stream;
  }

  async write(path: string, data: Readable, opts: WriteOptions = {}): Promise<void> {
    const abs = this.#abs(path);
    const out = createWriteStream(abs, { flags: opts.append === true ? 'a' : 'w', highWaterMark: 256 * 1024 });
    await this.#try(path, () =>
      opts.signal === undefined ? pipeline(data, out) : pipeline(data, out, { signal: opts.signal }),
    );
  }

  async mkdir(path: string): Promise<void> {
    await this.#try(path, () => mkdir(this.#abs(path), { recursive: true }));
  }

  async remove(path: string): Promise<void> {
    const abs = this.#abs(path);
    const info = await this.#try(path, () => stat(abs));
    if (info.isDirectory()) throw new TransferError('exists', `Is a folder, not a file: ${abs}`, { path });
    await this.#try(path, () => rm(abs));
  }

  async rmdir(path: string): Promise<void> {
    await this.#try(path, () => rmdir(this.#abs(path)));
  }

  async rename(from: string, to: string): Promise<void> {
    const source = this.#abs(from);
    const target = this.#abs(to);
    // Either side can be what failed (a missing source, a target name too long): the message names both.
    await this.#try(from, () => rename(source, target), [source, target]);
  }

  async hash(path: string, kind: HashKind, signal?: AbortSignal): Promise<string> {
    const h = createHash(kind);
    const input = await this.read(path, signal === undefined ? {} : { signal });
    await this.#try(path, () => pipeline(input, h));
    return h.digest('hex');
  }

  async setModifiedTime(path: string, modifiedAt: number): Promise<void> {
    const when = new Date(modifiedAt);
    await this.#try(path, () => utimes(this.#abs(path), when, when));
  }

  async close(): Promise<void> {
    // Nothing to release: every operation opens and closes its own handle.
  }

  #abs(path: string): string {
    return resolveUnderRoot(this.#root, path);
  }

  /**
   * Runs one file system call and maps its failure. Messages show the absolute paths the call used
   * (`shown`), which is where the user finds the file; `path` stays relative to the root, as errors carry it.
   */
  async #try<T>(path: string, op: () => Promise<T>, shown: ReadonlyArray<string> = [this.#abs(path)]): Promise<T> {
    try {
      return await op();
    } catch (e) {
      if (e instanceof TransferError) throw e;
      const where = shown.join(' → ');
      if (e instanceof Error && e.name === 'AbortError') {
        throw new TransferError('cancelled', `Cancelled: ${where}`, { path, cause: e });
      }
      throw mapNodeError(e, path, shown) ?? new TransferError('protocol', `${describe(e)} (${where})`, { path, cause: e });
    }
  }
}

function toEntry(name: string, path: string, s: Stats): RemoteEntry {
  const kind = s.isDirectory() ? 'dir' : 'file';
  return { name, path, kind, size: kind === 'dir' ? 0 : s.size, modifiedAt: Math.floor(s.mtimeMs) };
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
