export interface TimerHandle {
  cancel(): void;
}

/** Wall-clock time and timers at wall-clock instants, so schedules can be tested without waiting. */
export interface Clock {
  now(): number;
  /** Calls `fn` once, at or after the wall-clock instant `atMs` (at once, asynchronously, if it has passed). */
  setTimer(atMs: number, fn: () => void): TimerHandle;
}

/**
 * Node timers run on a monotonic clock that stands still while the machine sleeps, and setTimeout cannot wait
 * longer than 2^31-1 ms. Waiting in short steps and reading the wall clock after each one handles both: after
 * a sleep the timer fires within one step of waking.
 */
const MAX_STEP_MS = 60_000;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(atMs, fn) {
    let handle: NodeJS.Timeout | undefined;
    let cancelled = false;
    const check = (): void => {
      if (cancelled) return;
      const wait = atMs - Date.now();
      if (wait <= 0) {
        cancelled = true;
        fn();
        return;
      }
      handle = setTimeout(check, Math.min(wait, MAX_STEP_MS));
    };
    handle = setTimeout(check, 0);
    return {
      cancel() {
        cancelled = true;
        if (handle !== undefined) clearTimeout(handle);
      },
    };
  },
};

interface ManualTimer {
  readonly atMs: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** Lets every promise continuation queued so far run, however long its chain. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock that moves only when told. `advance` lets time pass, so each timer fires with `now()` at its own
 * instant; `set` jumps the wall clock as a sleeping machine would see it on waking, so every timer that fell
 * due fires with `now()` already at the new time. Between firings, promise continuations run, so async work
 * started by one timer progresses before the next fires. Await each call before the next.
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Set<ManualTimer>();

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimer(atMs: number, fn: () => void): TimerHandle {
    const timer: ManualTimer = { atMs, seq: this.#seq++, fn };
    this.#timers.add(timer);
    return { cancel: () => void this.#timers.delete(timer) };
  }

  /** Timers waiting to fire. */
  pending(): number {
    return this.#timers.size;
  }

  /** Lets time pass by `ms`; timers fire in time order, each at its own instant. */
  async advance(ms: number): Promise<void> {
    await this.#run(this.#now + ms, false);
  }

  /** Jumps the wall clock to `ms` (back or forward); timers now due fire in time order, all at `ms`. */
  async set(ms: number): Promise<void> {
    this.#now = ms;
    await this.#run(ms, true);
  }

  async #run(target: number, jumped: boolean): Promise<void> {
    await settle();
    for (let timer = this.#due(target); timer !== undefined; timer = this.#due(target)) {
      this.#timers.delete(timer);
      if (!jumped) this.#now = Math.max(this.#now, timer.atMs);
      timer.fn();
      await settle();
    }
    this.#now = target;
  }

  #due(target: number): ManualTimer | undefined {
    let first: ManualTimer | undefined;
    for (const t of this.#timers) {
      if (t.atMs > target) continue;
      if (first === undefined || t.atMs < first.atMs || (t.atMs === first.atMs && t.seq < first.seq)) first = t;
    }
    return first;
  }
}
