import type { Readable } from 'node:stream';
import { TransferError } from '../errors.js';
import type { SftpSession } from './SftpSession.js';

/** Bytes and requests in flight per upload: enough to keep a long link busy, small enough to stay lean. */
const MAX_BYTES_IN_FLIGHT = 2 * 1024 * 1024;
const MAX_REQUESTS_IN_FLIGHT = 32;

/** Wraps a failure of the data being uploaded, so it is not blamed on the server. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(readonly original: unknown) {
    super('The data to upload failed', { cause: original });
  }
}

/**
 * Writes `data` to an open handle from `start` on, with several WRITE requests in flight, and resolves
 * once the server has acknowledged every one (the caller then closes the handle). Server failures are
 * thrown as they come; failures of `data` come wrapped in `SourceError`. `data` is destroyed on failure.
 *
 * Source chunks are regrouped into requests of the server's largest WRITE size: small chunks would cost
 * one request each, and chunks beyond that size would be split by ssh2 into requests sent one after
 * the other.
 */
export async function writeFromStream(
  session: SftpSession,
  handle: Buffer,
  start: number,
  data: Readable,
  signal?: AbortSignal,
): Promise<number> {
  const chunk = session.writeChunk;
  let position = start;
  let bytesInFlight = 0;
  let failure: Error | undefined;
  const inFlight = new Set<Promise<void>>();
  const held: Buffer[] = [];

  const waitFor = async (condition: () => boolean): Promise<void> => {
    while (failure === undefined && condition()) {
      await unlessAborted(Promise.race(inFlight), signal);
    }
    if (failure !== undefined) throw failure;
  };

  const send = async (buf: Buffer): Promise<void> => {
    const len = buf.length;
    const request: Promise<void> = session.write(handle, buf, position).then(
      () => {
        inFlight.delete(request);
        bytesInFlight -= len;
      },
      (e: unknown) => {
        inFlight.delete(request);
        bytesInFlight -= len;
        failure ??= asError(e);
      },
    );
    inFlight.add(request);
    position += len;
    bytesInFlight += len;
    await waitFor(() => bytesInFlight >= MAX_BYTES_IN_FLIGHT || inFlight.size >= MAX_REQUESTS_IN_FLIGHT);
  };

  /**
   * Sends what is held: a large chunk as it is (split into request-sized views, never copied), and
   * small chunks gathered into one request. Small chunks are held back until a request is full or,
   * with `all`, the data has ended.
   */
  const drain = async (all: boolean): Promise<void> => {
    for (;;) {
      const size = nextRequestSize(held, chunk, all);
      if (size === 0) return;
      await send(takeFront(held, size));
    }
  };

  try {
    const chunks = data[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<unknown>;
      const pending = chunks.next();
      // When cancellation wins the race, destroying `data` settles this read with nobody listening.
      pending.catch(() => undefined);
      try {
        next = await unlessAborted(pending, signal);
      } catch (e) {
        throw e instanceof TransferError && e.kind === 'cancelled' ? e : new SourceError(e);
      }
      if (signal?.aborted === true) throw cancelled(signal);
      if (next.done === true) break;
      const buf = toBuffer(next.value);
      if (buf.length === 0) continue;
      held.push(buf);
      await drain(false);
    }
    await drain(true);
    await waitFor(() => inFlight.size > 0);
    return position - start;
  } catch (e) {
    data.destroy();
    throw e;
  }
}

/** A source chunk this large goes out as its own request: copying it into a merged request costs more. */
const OWN_REQUEST_BYTES = 16 * 1024;

/** How many held bytes the next request takes, or 0 to wait for more data. */
function nextRequestSize(held: ReadonlyArray<Buffer>, chunk: number, all: boolean): number {
  const first = held[0];
  if (first === undefined) return 0;
  if (first.length >= OWN_REQUEST_BYTES) return Math.min(first.length, chunk);
  let small = 0;
  for (const part of held) {
    if (part.length >= OWN_REQUEST_BYTES) return small;
    if (small + part.length >= chunk) return chunk;
    small += part.length;
  }
  return all ? small : 0;
}

/** Removes the first `n` bytes from `parts` (which hold at least `n`), copying only when they span parts. */
function takeFront(parts: Buffer[], n: number): Buffer {
  const first = parts[0];
  if (first !== undefined && first.length >= n) {
    if (first.length === n) parts.shift();
    else parts[0] = first.subarray(n);
    return first.subarray(0, n);
  }
  const out = Buffer.allocUnsafe(n);
  let filled = 0;
  while (filled < n) {
    const part = parts[0];
    if (part === undefined) break;
    const take = Math.min(part.length, n - filled);
    part.copy(out, filled, 0, take);
    filled += take;
    if (take === part.length) parts.shift();
    else parts[0] = part.subarray(take);
  }
  return out;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new TransferError('validation', 'The data to upload is not a byte stream');
}

function cancelled(signal: AbortSignal): TransferError {
  return signal.reason instanceof TransferError && signal.reason.kind === 'cancelled'
    ? signal.reason
    : new TransferError('cancelled', 'The upload was cancelled');
}

/**
 * `promise`, or a cancellation as soon as the signal fires. The listener lives only as long as the wait:
 * racing every chunk against one long-lived abort promise would keep each settled race, and with it each
 * chunk, reachable until the upload ends (a whole file held in memory).
 */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(cancelled(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(asError(e));
      },
    );
  });
}
