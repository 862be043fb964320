interface Waiter {
  readonly grant: () => void;
}

interface Slots {
  readonly limit: number;
  inUse: number;
  readonly queue: Waiter[];
}

/**
 * How many jobs may use each server at once, shared by every job. A job takes one slot on each connection
 * it names, in sorted order, so two jobs naming the same servers in different orders cannot deadlock; it
 * holds what it has while it waits for the rest. Each connection serves its waiters first come, first served.
 */
export class ConnectionBudget {
  readonly #limits: ReadonlyMap<string, number>;
  readonly #defaultLimit: number;
  readonly #slots = new Map<string, Slots>();

  /** `defaultLimit` applies to connections `limits` does not name; without it they are unlimited. */
  constructor(limits: ReadonlyMap<string, number>, defaultLimit = Number.POSITIVE_INFINITY) {
    for (const [name, limit] of limits) ConnectionBudget.#checkLimit(limit, `The limit for ${JSON.stringify(name)}`);
    ConnectionBudget.#checkLimit(defaultLimit, 'The default limit');
    this.#limits = limits;
    this.#defaultLimit = defaultLimit;
  }

  static #checkLimit(limit: number, what: string): void {
    if (!(Number.isInteger(limit) || limit === Number.POSITIVE_INFINITY) || limit < 1) {
      throw new RangeError(`${what} must be a whole number of at least 1, not ${limit}.`);
    }
  }

  /** Slots taken on a connection right now. */
  inUse(connection: string): number {
    return this.#slots.get(connection)?.inUse ?? 0;
  }

  /**
   * Resolves, once a slot on every named connection is held, with the function that gives them back (calling
   * it again does nothing). If `signal` aborts first, rejects with its reason and gives back what it held.
   */
  async acquire(connections: ReadonlyArray<string>, signal?: AbortSignal): Promise<() => void> {
    const names = [...new Set(connections)].sort();
    const held: string[] = [];
    try {
      for (const name of names) {
        await this.#take(name, signal);
        held.push(name);
      }
    } catch (e) {
      for (const name of [...held].reverse()) this.#give(name);
      throw e;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const name of [...held].reverse()) this.#give(name);
    };
  }

  #slotsFor(name: string): Slots {
    let slots = this.#slots.get(name);
    if (slots === undefined) {
      slots = { limit: this.#limits.get(name) ?? this.#defaultLimit, inUse: 0, queue: [] };
      this.#slots.set(name, slots);
    }
    return slots;
  }

  async #take(name: string, signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    const slots = this.#slotsFor(name);
    if (slots.inUse < slots.limit && slots.queue.length === 0) {
      slots.inUse++;
      return;
    }
    const granted = await new Promise<boolean>((resolve) => {
      const onAbort = (): void => {
        const index = slots.queue.indexOf(waiter);
        if (index >= 0) slots.queue.splice(index, 1);
        resolve(false);
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(true);
        },
      };
      slots.queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    // Only an abort ends the wait without a slot; this rejects with the signal's reason.
    if (!granted) signal?.throwIfAborted();
  }

  /** A freed slot passes straight to the first waiter, so a newcomer cannot take it first. */
  #give(name: string): void {
    const slots = this.#slots.get(name);
    if (slots === undefined) return;
    const next = slots.queue.shift();
    if (next !== undefined) {
      next.grant();
      return;
    }
    slots.inUse--;
    if (slots.inUse === 0) this.#slots.delete(name);
  }
}
