export class DeliveryTimeout extends Error {
  override readonly name = 'DeliveryTimeout';
}

/** The time one delivery may take, from reading its secret to the receiver's answer, retries included. */
export class Deadline {
  readonly ms: number;
  readonly signal: AbortSignal;
  readonly #started = Date.now();

  constructor(ms: number) {
    this.ms = ms;
    this.signal = AbortSignal.timeout(ms);
  }

  get message(): string {
    return `timed out after ${this.ms} ms`;
  }

  get remainingMs(): number {
    return this.ms - (Date.now() - this.#started);
  }

  /**
   * Settles with `work`, or rejects with DeliveryTimeout when the deadline passes first. For work that
   * cannot be cancelled (a secret store waiting on a keychain prompt, the desktop port) it stops the
   * waiting, not the work.
   */
  race<T>(work: Promise<T> | T): Promise<T> {
    const { signal } = this;
    if (signal.aborted) return Promise.reject(new DeliveryTimeout(this.message));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(new DeliveryTimeout(this.message));
      signal.addEventListener('abort', onAbort, { once: true });
      Promise.resolve(work).then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }
}
