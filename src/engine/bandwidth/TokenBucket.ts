import type { Clock, TimerHandle } from '../../schedule/Clock.js';

/** A bucket's rate at an instant, and until when it holds. */
export interface RateAt {
  /** Whole bytes per second; null is no limit. */
  readonly bytesPerSecond: number | null;
  /** Epoch ms of the next change (a timetable's next slot); null: it holds until the schedule is replaced. */
  readonly until: number | null;
}

/** What a bucket's rate is at any instant. */
export type RateSchedule = (atMs: number) => RateAt;

interface Waiter {
  readonly bytes: number;
  readonly admit: () => void;
}

/**
 * A token bucket shared by every stream that goes through it: bytes are admitted at the schedule's rate
 * with at most one second's worth at once, first come first served. A piece larger than the bucket goes
 * as soon as the bucket is full, leaving a debt the next pieces wait out, so the average stays exact and
 * nothing waits forever. Tokens are kept in byte-milliseconds, whole numbers, so the arithmetic is exact.
 */
export class TokenBucket {
  readonly #clock: Clock;
  #schedule: RateSchedule;
  #rate: number | null = null;
  #until: number | null = null;
  /** Tokens × 1000: a whole number while the clock gives whole milliseconds. */
  #milliTokens = 0;
  #at: number;
  readonly #queue: Waiter[] = [];
  #timer: TimerHandle | undefined;

  constructor(clock: Clock, schedule: RateSchedule) {
    this.#clock = clock;
    this.#schedule = schedule;
    this.#at = clock.now();
    this.#follow(this.#at);
  }

  /** Bytes per second in force now; null is no limit. */
  rate(): number | null {
    this.#refill(this.#clock.now());
    return this.#rate;
  }

  /** The most bytes that may pass at once now (one second's worth), Infinity without a limit. */
  depth(): number {
    const rate = this.rate();
    return rate === null ? Infinity : rate;
  }

  /** Tokens in the bucket now, in bytes (negative while a large piece's debt is paid off). */
  tokens(): number {
    this.#refill(this.#clock.now());
    return this.#milliTokens / 1000;
  }

  /**
   * Takes `bytes` from the bucket: undefined when they may pass at once, otherwise a promise that settles
   * when they may (or rejects with the signal's reason when it aborts first).
   */
  admit(bytes: number, signal?: AbortSignal): Promise<void> | undefined {
    this.#refill(this.#clock.now());
    if (this.#queue.length === 0 && this.#fits(bytes)) {
      this.#spend(bytes);
      return undefined;
    }
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.#queue.indexOf(waiter);
        if (at < 0) return;
        this.#queue.splice(at, 1);
        reject(signal?.reason as Error);
        this.#drain();
      };
      const waiter: Waiter = {
        bytes,
        admit: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
      if (this.#queue.length === 1) this.#arm();
    });
  }

  /** Replaces the schedule (a limit was changed): bytes already waiting go by the new rate from now on. */
  reschedule(schedule: RateSchedule): void {
    const now = this.#clock.now();
    this.#refill(now);
    this.#schedule = schedule;
    this.#follow(now);
    this.#drain();
  }

  #fits(bytes: number): boolean {
    return this.#rate === null || this.#milliTokens >= Math.min(bytes, this.#rate) * 1000;
  }

  #spend(bytes: number): void {
    if (this.#rate !== null) this.#milliTokens -= bytes * 1000;
  }

  /** Adds the tokens earned since the last look, slot by slot where the schedule changed meanwhile. */
  #refill(now: number): void {
    if (now < this.#at) {
      // The wall clock went back: earn nothing for the lost time rather than a burst later.
      this.#at = now;
      return;
    }
    while (this.#at < now) {
      const end = this.#until === null ? now : Math.min(now, this.#until);
      const elapsed = Math.floor(end - this.#at);
      if (elapsed <= 0) break;
      if (this.#rate !== null) {
        const earned = this.#milliTokens + this.#rate * elapsed;
        // While bytes wait every token is theirs: a wait rounded up to a whole millisecond loses nothing.
        this.#milliTokens = this.#queue.length > 0 ? earned : Math.min(this.#rate * 1000, earned);
      }
      this.#at += elapsed;
      if (this.#until !== null && this.#at >= this.#until) this.#follow(this.#at);
    }
  }

  /** Takes the schedule's rate at `at`: a limit that starts anew starts with a full second's worth. */
  #follow(at: number): void {
    const next = this.#schedule(at);
    const was = this.#rate;
    this.#rate = next.bytesPerSecond;
    this.#until = next.until !== null && next.until > at ? next.until : null;
    if (this.#rate === null) this.#milliTokens = 0;
    else if (was === null) this.#milliTokens = this.#rate * 1000;
    else this.#milliTokens = Math.min(this.#milliTokens, this.#rate * 1000);
  }

  /** Admits waiting pieces in order while they fit, then waits for the next. */
  #drain(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#refill(this.#clock.now());
    for (let head = this.#queue[0]; head !== undefined && this.#fits(head.bytes); head = this.#queue[0]) {
      this.#queue.shift();
      this.#spend(head.bytes);
      head.admit();
    }
    // A clock that jumped (a machine that slept) must not leave more than a second's worth for later.
    if (this.#rate !== null) this.#milliTokens = Math.min(this.#milliTokens, this.#rate * 1000);
    if (this.#queue.length > 0) this.#arm();
  }

  /** Sets the one timer: when the first waiter fits, or when the schedule changes, whichever is first. */
  #arm(): void {
    const head = this.#queue[0];
    if (head === undefined || this.#timer !== undefined) return;
    const rate = this.#rate;
    const now = this.#clock.now();
    const fitsAt = rate === null ? Infinity : this.#at + Math.ceil((Math.min(head.bytes, rate) * 1000 - this.#milliTokens) / rate);
    const at = Math.min(fitsAt, this.#until ?? Infinity);
    // Without a limit nothing waits, so a waiter always has a rate or a coming change to wait for.
    if (at === Infinity) return;
    this.#timer = this.#clock.setTimer(Math.max(at, now), () => {
      this.#timer = undefined;
      this.#drain();
    });
  }
}
