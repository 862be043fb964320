import { TransferError, isTransferError } from '../connectors/errors.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Delay before attempt `attempt + 1`: exponential with full jitter, never below what the server asked. */
export function backoffDelay(policy: RetryPolicy, attempt: number, error: TransferError, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  return Math.max(jittered, error.retryAfterMs ?? 0);
}

export interface RetryHooks {
  readonly signal?: AbortSignal;
  /** Called before each wait; `attempt` is the attempt that just failed (1-based). */
  readonly onRetry?: (error: TransferError, attempt: number, delayMs: number) => void;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Runs `op` until it succeeds, a non-retryable error occurs, or the attempts are spent. Only errors the
 * connector marked retryable are tried again: a wrong password or a missing file fails at once.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  op: (attempt: number) => Promise<T>,
  hooks: RetryHooks = {},
): Promise<T> {
  const sleep = hooks.sleep ?? abortableSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await op(attempt);
    } catch (e) {
      const error = toTransferError(e);
      if (hooks.signal?.aborted === true) throw cancelledFrom(hooks.signal);
      if (!error.retryable || attempt >= policy.attempts) throw error;
      const delay = backoffDelay(policy, attempt, error);
      hooks.onRetry?.(error, attempt, delay);
      await sleep(delay, hooks.signal);
    }
  }
}

export function toTransferError(e: unknown): TransferError {
  if (isTransferError(e)) return e;
  if (e instanceof Error && e.name === 'AbortError') return new TransferError('cancelled', 'Cancelled', { cause: e });
  const message = e instanceof Error ? e.message : String(e);
  return new TransferError('protocol', message, { cause: e });
}

export function cancelledFrom(signal: AbortSignal): TransferError {
  return isTransferError(signal.reason) ? signal.reason : new TransferError('cancelled', 'Cancelled');
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(cancelledFrom(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledFrom(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
