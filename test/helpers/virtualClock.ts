import type { Clock, TimerHandle } from '../../src/schedule/Clock.js';

interface Timer {
  readonly atMs: number;
  readonly seq: number;
  readonly fn: () => void;
}

/**
 * A clock for real transfers under a bandwidth limit: whenever the event loop has nothing else to do
 * first, the earliest timer fires and time jumps to its instant. Bytes move as fast as the servers go,
 * and the limits are kept in virtual time, where a test can check them exactly without waiting.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Set<Timer>();
  #scheduled = false;

  constructor(startMs: number) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimer(atMs: number, fn: () => void): TimerHandle {
    const timer = { atMs, seq: this.#seq++, fn };
    this.#timers.add(timer);
    this.#schedule();
    return { cancel: () => void this.#timers.delete(timer) };
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      let first: Timer | undefined;
      for (const t of this.#timers) if (first === undefined || t.atMs < first.atMs || (t.atMs === first.atMs && t.seq < first.seq)) first = t;
      if (first === undefined) return;
      this.#timers.delete(first);
      this.#now = Math.max(this.#now, first.atMs);
      first.fn();
      if (this.#timers.size > 0) this.#schedule();
    });
  }
}
