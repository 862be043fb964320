import { Readable } from 'node:stream';
import type { TransferError } from '../errors.js';
import type { SftpSession } from './SftpSession.js';

/** Bytes in flight once the file proves large: enough to fill a long, fast link. */
const READ_AHEAD_BYTES = 2 * 1024 * 1024;

interface Slot {
  readonly pos: number;
  readonly len: number;
  done: boolean;
  data?: Buffer;
  error?: unknown;
}

export interface SftpReadStreamOptions {
  readonly session: SftpSession;
  readonly handle: Buffer;
  readonly start: number;
  readonly mapError: (e: unknown) => TransferError;
  /** Called once when the stream ends, fails or is destroyed; closes the handle and returns the connection. */
  readonly onClose: (error: Error | null) => void;
}

/**
 * Reads a remote file with several READ requests in flight, delivered in order.
 *
 * A single outstanding request (what ssh2's own stream does) pays one round trip per request, which caps a
 * 20 ms link with 64 KiB requests near 3 MB/s. The window starts at one request and doubles with every full answer, so a small
 * file costs no wasted requests. A short answer in mid-file is legal SFTP: the missing tail is asked for
 * again before anything later is delivered. An empty answer is the end of the file.
 */
export class SftpReadStream extends Readable {
  readonly #opts: SftpReadStreamOptions;
  readonly #slots: Slot[] = [];
  /** One request's size: the most the server answers in one READ. */
  readonly #chunk: number;
  readonly #maxDepth: number;
  #next: number;
  #depth = 1;
  #eof = false;
  #wanting = false;

  constructor(opts: SftpReadStreamOptions) {
    const chunk = opts.session.readChunk;
    super({ highWaterMark: chunk * 2 });
    this.#opts = opts;
    this.#chunk = chunk;
    this.#maxDepth = Math.max(2, Math.floor(READ_AHEAD_BYTES / chunk));
    this.#next = opts.start;
  }

  override _read(): void {
    this.#wanting = true;
    this.#pump();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#eof = true;
    this.#slots.length = 0;
    this.#opts.onClose(error);
    callback(error);
  }

  #issue(pos: number, len: number, first: boolean): void {
    const slot: Slot = { pos, len, done: false };
    if (first) this.#slots.unshift(slot);
    else this.#slots.push(slot);
    this.#opts.session.read(this.#opts.handle, len, pos).then(
      (data) => {
        slot.data = data;
        slot.done = true;
        this.#pump();
      },
      (e: unknown) => {
        slot.error = e;
        slot.done = true;
        this.#pump();
      },
    );
  }

  #pump(): void {
    if (this.destroyed || this.#eof) return;
    while (this.#wanting) {
      const head = this.#slots[0];
      if (head === undefined || !head.done) break;
      this.#slots.shift();
      if (head.error !== undefined) {
        this.destroy(this.#opts.mapError(head.error));
        return;
      }
      const data = head.data ?? Buffer.alloc(0);
      if (data.length === 0) {
        // Later requests can only be past the end too; their answers are dropped with their slots.
        this.#eof = true;
        this.#slots.length = 0;
        this.push(null);
        return;
      }
      if (data.length < head.len) {
        this.#issue(head.pos + data.length, head.len - data.length, true);
      } else if (this.#depth < this.#maxDepth) {
        this.#depth = Math.min(this.#depth * 2, this.#maxDepth);
      }
      // A consumer may destroy the stream from inside push(); nothing may be asked after that.
      this.#wanting = this.push(data);
      if (this.destroyed) return;
    }
    while (this.#slots.length < this.#depth) {
      this.#issue(this.#next, this.#chunk, false);
      this.#next += this.#chunk;
    }
  }
}
