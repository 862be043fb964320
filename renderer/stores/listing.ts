import type { Wire } from '../../src/shared/contract/wire.js';

/** A host answer's value, or its error message as a thrown Error. */
export function unwrap<T>(answer: Wire<T>): T {
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value;
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The focus moved to `index`, kept on a row of a list of `count`; undefined when the list is empty. */
export function clampedFocus(index: number, count: number): number | undefined {
  return count > 0 ? Math.max(0, Math.min(index, count - 1)) : undefined;
}

/**
 * Fetches for a listing the user may replace at any moment. Each fetch is for a new listing or the current
 * one, and its answer or failure is handed over only while that listing still stands: a page that arrives
 * after the user asked for another listing is dropped rather than mixed into it.
 */
export function latestListing(): <T>(which: 'new' | 'current', fetch: () => Promise<T>, onAnswer: (value: T) => void, onFailure: (message: string) => void) => Promise<void> {
  let generation = 0;
  return async (which, fetch, onAnswer, onFailure) => {
    const mine = which === 'new' ? ++generation : generation;
    try {
      const value = await fetch();
      if (mine === generation) onAnswer(value);
    } catch (e) {
      if (mine === generation) onFailure(messageOf(e));
    }
  };
}
