import { TransferError } from './errors.js';

export interface ClientPoolOptions<C> {
  /** Most connections opened to the server at once: the server's budget. */
  readonly maxClients: number;
  /** How many leases one client serves at once (FTP: 1 command per connection; SFTP multiplexes). */
  readonly leasesPerClient: number;
  readonly create: (signal?: AbortSignal) => Promise<C>;
  readonly destroy: (client: C) => Promise<void>;
  /** Whether an error thrown while a client was in use means the client can no longer be trusted. */
  readonly isBroken: (error: unknown) => boolean;
  /**
   * Whether a failed connection attempt means the server is full ("421 Too many connections"). Then the
   * pool keeps to the connections it already has, for good, instead of failing the caller.
   */
  readonly isServerFull?: (error: unknown) => boolean;
}

/** A borrowed client. Exactly one of `release` or `discard` must be called. */
export interface Lease<C> {
  readonly client: C;
  release(): void;
  /** Closes the client instead of returning it: for connections left in an unknown state. */
  discard(): void;
}

interface Slot<C> {
  readonly client: C;
  leases: number;
}

interface Waiter {
  readonly wake: () => void;
  readonly fail: (e: Error) => void;
}

/**
 * A bounded pool of protocol clients. Connections are opened lazily, up to `maxClients`, and reused; a
 * caller waits when every client is at its lease limit and the budget is spent, so a server's connection
 * limit is never exceeded by Ferry itself.
 */
export class ClientPool<C> {
  readonly #opts: ClientPoolOptions<C>;
  readonly #slots: Slot<C>[] = [];
  readonly #waiters: Waiter[] = [];
  #opening = 0;
  #closed = false;
  /** The budget in force: `maxClients`, lowered when the server turns out to allow fewer. */
  #limit: number;

  constructor(opts: ClientPoolOptions<C>) {
    if (opts.maxClients < 1 || opts.leasesPerClient < 1) throw new RangeError('A pool needs at least one lease');
    this.#opts = opts;
    this.#limit = opts.maxClients;
  }

  /** The connection budget in force; lower than `maxClients` once the server refused more. */
  get limit(): number {
    return this.#limit;
  }

  /** Connections currently open (not counting ones being opened). */
  get size(): number {
    return this.#slots.length;
  }

  /** Runs `fn` with a leased client; a client that failed with a broken-connection error is discarded. */
  async use<T>(fn: (client: C) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const lease = await this.acquire(signal);
    try {
      const result = await fn(lease.client);
      lease.release();
      return result;
    } catch (e) {
      if (this.#opts.isBroken(e) || signal?.aborted === true) lease.discard();
      else lease.release();
      throw e;
    }
  }

  async acquire(signal?: AbortSignal): Promise<Lease<C>> {
    for (;;) {
      if (this.#closed) throw new TransferError('cancelled', 'The connection pool is closed');
      signal?.throwIfAborted();
      const free = this.#slots.find((s) => s.leases < this.#opts.leasesPerClient);
      if (free !== undefined) return this.#lease(free);
      if (this.#slots.length + this.#opening < this.#limit) {
        this.#opening++;
        let client: C;
        try {
          client = await this.#opts.create(signal);
        } catch (e) {
          this.#opening--;
          if (this.#slots.length > 0 && this.#opts.isServerFull?.(e) === true) {
            // The server allows only the connections we hold: share those rather than fail.
            this.#limit = Math.max(1, this.#slots.length);
            continue;
          }
          // The budget this attempt held is free again: a waiter may try its own connection.
          this.#wakeOne();
          throw e;
        }
        this.#opening--;
        if (this.#closed) {
          await this.#opts.destroy(client);
          throw new TransferError('cancelled', 'The connection pool is closed');
        }
        const slot: Slot<C> = { client, leases: 0 };
        this.#slots.push(slot);
        return this.#lease(slot);
      }
      await this.#wait(signal);
    }
  }

  /** Closes every idle and busy client and fails every waiter. */
  async close(): Promise<void> {
    this.#closed = true;
    const waiters = this.#waiters.splice(0);
    for (const w of waiters) w.fail(new TransferError('cancelled', 'The connection pool is closed'));
    const slots = this.#slots.splice(0);
    await Promise.allSettled(slots.map((s) => this.#opts.destroy(s.client)));
  }

  #lease(slot: Slot<C>): Lease<C> {
    slot.leases++;
    let done = false;
    const finish = (discard: boolean): void => {
      if (done) return;
      done = true;
      slot.leases--;
      if (discard) {
        const i = this.#slots.indexOf(slot);
        if (i >= 0) {
          this.#slots.splice(i, 1);
          // Closing a broken client must not hold up the caller; its failure is irrelevant.
          void this.#opts.destroy(slot.client).catch(() => undefined);
        }
      }
      this.#wakeOne();
    };
    return { client: slot.client, release: () => finish(false), discard: () => finish(true) };
  }

  #wakeOne(): void {
    this.#waiters.shift()?.wake();
  }

  #wait(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        const reason: unknown = signal?.reason;
        reject(reason instanceof Error ? reason : new TransferError('cancelled', 'Cancelled'));
      };
      const waiter: Waiter = {
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        fail: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      this.#waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
