import { Transform, type Readable } from 'node:stream';
import { TransferError } from '../../src/connectors/errors.js';
import type { HashKind, ListOptions, ReadOptions, RemoteEntry, RemoteFs, WriteOptions } from '../../src/connectors/types.js';

export interface Faults {
  /** Cut each read after this many bytes with a retryable network error, for the next `times` reads. */
  cutReadsAfter?: { bytes: number; times: number };
  /** A disk of `capacity` bytes shared by every write: writes past it fail with 'quota'. */
  disk?: SmallDisk;
  /** Names the listing of a folder "contains" that are unsafe, reported through onUnsafeName. */
  hostileNames?: ReadonlyArray<string>;
  /** Drop the last byte of every write, so the size check must catch it. */
  truncateWrites?: boolean;
  /** Fail every write with this error. */
  failWrites?: TransferError;
}

/** Wraps a real connector and misbehaves on purpose, the way a flaky server or a hostile partner does. */
export class FaultyFs implements RemoteFs {
  readonly kind: RemoteFs['kind'];
  readonly capabilities: RemoteFs['capabilities'];
  readonly description: string;
  readonly storageKey: string;
  readonly readOffsets: number[] = [];
  removed: string[] = [];
  readonly #inner: RemoteFs;
  readonly faults: Faults;

  constructor(inner: RemoteFs, faults: Faults) {
    this.#inner = inner;
    this.faults = faults;
    this.kind = inner.kind;
    this.capabilities = inner.capabilities;
    // It stands for the same server, so it must describe itself the same way (the resume journal keys on it).
    this.description = inner.description;
    this.storageKey = inner.storageKey;
  }

  fileKey(path: string): Promise<string | undefined> {
    return this.#inner.fileKey(path);
  }

  async list(dir: string, opts?: ListOptions): Promise<ReadonlyArray<RemoteEntry>> {
    for (const name of this.faults.hostileNames ?? []) opts?.onUnsafeName?.(name, 'hostile test name');
    return this.#inner.list(dir, opts);
  }
  stat(path: string): Promise<RemoteEntry | undefined> {
    return this.#inner.stat(path);
  }
  async read(path: string, opts?: ReadOptions): Promise<Readable> {
    this.readOffsets.push(opts?.offset ?? 0);
    const stream = await this.#inner.read(path, opts);
    const cut = this.faults.cutReadsAfter;
    if (cut === undefined || cut.times <= 0) return stream;
    cut.times--;
    let seen = 0;
    const limiter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        const room = cut.bytes - seen;
        seen += chunk.length;
        if (seen <= cut.bytes) return done(null, chunk);
        this.push(chunk.subarray(0, Math.max(0, room)));
        stream.destroy();
        done(new TransferError('network', 'Connection lost: ECONNRESET (test cut)'));
      },
    });
    return stream.pipe(limiter);
  }
  async write(path: string, data: Readable, opts?: WriteOptions): Promise<void> {
    if (this.faults.failWrites !== undefined) {
      data.destroy();
      throw this.faults.failWrites;
    }
    const disk = this.faults.disk;
    if (disk !== undefined) {
      if (opts?.append !== true) disk.files.delete(path);
      return this.#inner.write(path, data.pipe(fillingDisk(disk, path)), opts);
    }
    if (this.faults.truncateWrites !== true) return this.#inner.write(path, data, opts);
    let held: Buffer | undefined;
    const dropLast = new Transform({
      transform(chunk: Buffer, _enc, done) {
        const out = held;
        held = chunk;
        done(null, out);
      },
      flush(done) {
        done(null, held?.subarray(0, held.length - 1));
      },
    });
    return this.#inner.write(path, data.pipe(dropLast), opts);
  }
  mkdir(path: string): Promise<void> {
    return this.#inner.mkdir(path);
  }
  async remove(path: string): Promise<void> {
    this.removed.push(path);
    await this.#inner.remove(path);
    this.faults.disk?.files.delete(path);
  }
  rmdir(path: string): Promise<void> {
    return this.#inner.rmdir(path);
  }
  async rename(from: string, to: string): Promise<void> {
    if (this.#inner.rename === undefined) throw new TransferError('unsupported', 'no rename');
    await this.#inner.rename(from, to);
    const files = this.faults.disk?.files;
    if (files !== undefined) {
      files.set(to, files.get(from) ?? 0);
      files.delete(from);
    }
  }
  hash(path: string, kind: HashKind): Promise<string> {
    if (this.#inner.hash === undefined) throw new TransferError('unsupported', 'no hash');
    return this.#inner.hash(path, kind);
  }
  setModifiedTime(path: string, at: number): Promise<void> {
    if (this.#inner.setModifiedTime === undefined) throw new TransferError('unsupported', 'no mtime');
    return this.#inner.setModifiedTime(path, at);
  }
  close(): Promise<void> {
    return this.#inner.close();
  }
}

/** Bytes each file takes on a pretend disk, by path. */
export interface SmallDisk {
  readonly capacity: number;
  readonly files: Map<string, number>;
}

/**
 * Counts bytes against a small disk, a few KiB at a time with a turn of the event loop between, so that
 * files written side by side fill it together as they do on a real disk; past the capacity, the write
 * fails as a full disk does.
 */
function fillingDisk(disk: SmallDisk, path: string): Transform {
  const PIECE = 8 * 1024;
  const used = (): number => [...disk.files.values()].reduce((a, b) => a + b, 0);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const pieces: Buffer[] = [];
      for (let at = 0; at < chunk.length; at += PIECE) pieces.push(chunk.subarray(at, at + PIECE));
      const next = (): void => {
        const piece = pieces.shift();
        if (piece === undefined) return done();
        if (used() + piece.length > disk.capacity) return done(new TransferError('quota', 'No space left (test disk)'));
        disk.files.set(path, (disk.files.get(path) ?? 0) + piece.length);
        this.push(piece);
        setImmediate(next);
      };
      next();
    },
  });
}
