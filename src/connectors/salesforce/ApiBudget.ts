import { setTimeout as sleep } from 'node:timers/promises';
import { TransferError } from '../errors.js';

export interface ApiBudgetOptions {
  /** Calls kept in reserve for people and other integrations: work pauses when only these remain. */
  readonly reserve: number;
  /** How often a paused run asks the org whether calls were freed (each check costs one call). */
  readonly recheckMs: number;
  /** Told once when work pauses, and once when it resumes. */
  readonly onPause?: (message: string) => void;
  readonly onResume?: () => void;
}

export const DEFAULT_BUDGET: ApiBudgetOptions = { reserve: 50, recheckMs: 5 * 60 * 1000 };

/**
 * Keeps Ferry inside the org's daily API allocation. Every response's `Sforce-Limit-Info` updates the
 * count; before a call, when the allocation is spent down to the reserve, work pauses with a message
 * that says why, and resumes by itself once the org reports calls free again (the allocation is a
 * rolling 24-hour window), or stops when the run is cancelled.
 */
export class ApiBudget {
  readonly #options: ApiBudgetOptions;
  #used = 0;
  #limit = Number.POSITIVE_INFINITY;
  #paused: Promise<void> | undefined;

  constructor(options: ApiBudgetOptions = DEFAULT_BUDGET) {
    this.#options = options;
  }

  get used(): number {
    return this.#used;
  }

  get limit(): number {
    return this.#limit;
  }

  /** Reads `api-usage=N/M` from a `Sforce-Limit-Info` header value. */
  observeHeader(value: string | null | undefined): void {
    const m = /api-usage=(\d+)\/(\d+)/.exec(value ?? '');
    if (m?.[1] !== undefined && m[2] !== undefined) this.observe(Number(m[1]), Number(m[2]));
  }

  observe(used: number, limit: number): void {
    this.#used = used;
    this.#limit = limit;
  }

  /** The org refused a call for the daily limit: what it said is the truth, whatever the count was. */
  observeExhausted(): void {
    if (Number.isFinite(this.#limit)) this.#used = this.#limit;
    else this.#used = this.#limit = 0;
  }

  #spent(): boolean {
    return this.#limit - this.#used <= this.#options.reserve;
  }

  /**
   * Resolves when a call may be made. `check` asks the org for its current usage (the `/limits`
   * resource); it is called at most once per recheck interval while paused.
   */
  async beforeCall(check: () => Promise<void>, signal?: AbortSignal): Promise<void> {
    if (!this.#spent()) return;
    this.#paused ??= this.#waitForCalls(check, signal).finally(() => {
      this.#paused = undefined;
    });
    await this.#paused;
  }

  async #waitForCalls(check: () => Promise<void>, signal?: AbortSignal): Promise<void> {
    const shown = Number.isFinite(this.#limit) ? ` (${this.#used.toLocaleString('en-US')} of ${this.#limit.toLocaleString('en-US')} calls used)` : '';
    this.#options.onPause?.(
      `Salesforce's daily API allocation is nearly spent${shown}: Ferry keeps ${this.#options.reserve} calls in reserve and pauses. ` +
        `Work resumes by itself when the org's rolling 24-hour window frees calls, or when an administrator raises the allocation.`,
    );
    while (this.#spent()) {
      try {
        await sleep(this.#options.recheckMs, undefined, signal ? { signal } : {});
      } catch {
        throw new TransferError('cancelled', 'Cancelled while waiting for Salesforce API calls to be freed');
      }
      try {
        await check();
      } catch (e) {
        if (e instanceof TransferError && e.kind !== 'rateLimited') throw e;
      }
    }
    this.#options.onResume?.();
  }
}
