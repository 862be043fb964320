import { cancelledFrom } from '../engine/retry.js';

/**
 * The queue's "pause new starts": while closed, every file (and batch) about to start waits here;
 * whatever is already on its way finishes. Opening lets them all go; a stopped file stops waiting.
 */
export class StartGate {
  #closed = false;
  readonly #waiting = new Set<() => void>();

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    this.#closed = true;
  }

  open(): void {
    this.#closed = false;
    for (const release of [...this.#waiting]) release();
  }

  /** Resolves when starting is allowed; rejects as the signal's reason once it is aborted. */
  async pass(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (!this.#closed) return;
    await new Promise<void>((resolve, reject) => {
      const release = (): void => {
        this.#waiting.delete(release);
        signal.removeEventListener('abort', stop);
        resolve();
      };
      const stop = (): void => {
        this.#waiting.delete(release);
        reject(cancelledFrom(signal));
      };
      this.#waiting.add(release);
      signal.addEventListener('abort', stop, { once: true });
    });
  }
}
