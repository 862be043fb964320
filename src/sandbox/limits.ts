import type { SandboxSettings } from './context.js';
import { apiError } from './http/respond.js';

/**
 * The daily API allocation and the concurrent long-running request limit, as an org enforces them:
 * every counted call spends one, and when too many requests have been open longer than the threshold,
 * new ones are refused with REQUEST_LIMIT_EXCEEDED.
 */
export class ApiLimits {
  readonly #settings: SandboxSettings;
  readonly #open = new Set<{ readonly startedAt: number }>();

  constructor(settings: SandboxSettings) {
    this.#settings = settings;
  }

  count(): void {
    if (this.#settings.apiUsed >= this.#settings.dailyApiLimit) {
      throw apiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    this.#settings.apiUsed++;
  }

  header(): string {
    return `api-usage=${this.#settings.apiUsed}/${this.#settings.dailyApiLimit}`;
  }

  /** Registers an open request; the returned function ends it. Throws when the long-running limit is full. */
  open(now = Date.now()): () => void {
    let longRunning = 0;
    for (const r of this.#open) if (now - r.startedAt >= this.#settings.longRunningAfterMs) longRunning++;
    if (longRunning >= this.#settings.longRunningLimit) {
      throw apiError(403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentRequests (Concurrent API Requests) Limit exceeded.');
    }
    const entry = { startedAt: now };
    this.#open.add(entry);
    return () => this.#open.delete(entry);
  }
}
