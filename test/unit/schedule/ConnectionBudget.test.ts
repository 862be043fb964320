import { describe, expect, it } from 'vitest';
import { ConnectionBudget } from '../../../src/schedule/ConnectionBudget.js';

/** Lets every pending promise continuation run; no time passes. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Tracks whether a promise has settled, for asserting that one is still waiting. */
function track<T>(promise: Promise<T>): { readonly done: boolean; readonly promise: Promise<T> } {
  const state = { done: false, promise };
  promise.then(
    () => void (state.done = true),
    () => void (state.done = true),
  );
  return state;
}

describe('ConnectionBudget', () => {
  it('makes the third job wait until one of two slots is given back', async () => {
    const budget = new ConnectionBudget(new Map([['partner-ftp', 2]]));
    const first = await budget.acquire(['partner-ftp']);
    await budget.acquire(['partner-ftp']);
    const third = track(budget.acquire(['partner-ftp']));
    await settle();
    expect(third.done).toBe(false);
    expect(budget.inUse('partner-ftp')).toBe(2);

    first();
    await third.promise;
    expect(budget.inUse('partner-ftp')).toBe(2);
  });

  it('serves waiters in the order they came, and a newcomer cannot jump the queue', async () => {
    const budget = new ConnectionBudget(new Map([['partner-ftp', 1]]));
    const order: string[] = [];
    const releases = new Map<string, () => void>();
    const holder = await budget.acquire(['partner-ftp']);
    const waiters = ['a', 'b', 'c'].map((name) =>
      budget.acquire(['partner-ftp']).then((release) => {
        order.push(name);
        releases.set(name, release);
      }),
    );
    await settle();
    holder();
    await settle();
    const late = track(
      budget.acquire(['partner-ftp']).then((release) => {
        order.push('late');
        release();
      }),
    );
    releases.get('a')?.();
    await settle();
    releases.get('b')?.();
    await settle();
    releases.get('c')?.();
    await Promise.all([...waiters, late.promise]);
    expect(order).toEqual(['a', 'b', 'c', 'late']);
  });

  it('takes every connection a job names, and gives all back', async () => {
    const budget = new ConnectionBudget(new Map([['partner-ftp', 1], ['archive-sftp', 1]]));
    const release = await budget.acquire(['partner-ftp', 'archive-sftp', 'partner-ftp']);
    expect(budget.inUse('partner-ftp')).toBe(1);
    expect(budget.inUse('archive-sftp')).toBe(1);
    release();
    expect(budget.inUse('partner-ftp')).toBe(0);
    expect(budget.inUse('archive-sftp')).toBe(0);
  });

  it('does not deadlock two jobs naming the same connections in opposite orders', async () => {
    const budget = new ConnectionBudget(new Map([['x', 1], ['y', 1]]));
    const runs = await Promise.all(
      [['x', 'y'], ['y', 'x'], ['x', 'y']].map(async (names) => {
        const release = await budget.acquire(names);
        await settle();
        release();
        return names.join();
      }),
    );
    expect(runs).toEqual(['x,y', 'y,x', 'x,y']);
    expect(budget.inUse('x') + budget.inUse('y')).toBe(0);
  });

  it('an abort rejects with the signal\'s reason and gives back what was held', async () => {
    const budget = new ConnectionBudget(new Map([['x', 1], ['y', 1]]));
    const holdsY = await budget.acquire(['y']);
    const controller = new AbortController();
    // Sorted order: x is taken, then the job waits for y.
    const waiting = budget.acquire(['y', 'x'], controller.signal);
    await settle();
    expect(budget.inUse('x')).toBe(1);

    const reason = new Error('job cancelled');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(budget.inUse('x')).toBe(0);
    expect(budget.inUse('y')).toBe(1);

    // The aborted job left the queue: the slot on y goes to the next one.
    const next = track(budget.acquire(['y']));
    holdsY();
    await next.promise;
    expect(budget.inUse('y')).toBe(1);
  });

  it('refuses at once with a signal already aborted, taking nothing', async () => {
    const budget = new ConnectionBudget(new Map([['x', 1]]));
    const controller = new AbortController();
    controller.abort();
    await expect(budget.acquire(['x'], controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(budget.inUse('x')).toBe(0);
  });

  it('release is idempotent: calling it twice frees one slot', async () => {
    const budget = new ConnectionBudget(new Map([['x', 1]]));
    const release = await budget.acquire(['x']);
    const second = track(budget.acquire(['x']));
    const third = track(budget.acquire(['x']));
    release();
    release();
    await second.promise;
    await settle();
    expect(third.done).toBe(false);
    expect(budget.inUse('x')).toBe(1);
  });

  it('applies the default limit to connections not named, unlimited without one', async () => {
    const unlimited = new ConnectionBudget(new Map());
    await Promise.all(Array.from({ length: 50 }, () => unlimited.acquire(['anything'])));
    expect(unlimited.inUse('anything')).toBe(50);

    const one = new ConnectionBudget(new Map([['big', 3]]), 1);
    await one.acquire(['other']);
    const waiting = track(one.acquire(['other']));
    await settle();
    expect(waiting.done).toBe(false);
  });

  it('refuses limits below one', () => {
    expect(() => new ConnectionBudget(new Map([['x', 0]]))).toThrow(RangeError);
    expect(() => new ConnectionBudget(new Map(), 1.5)).toThrow(RangeError);
  });
});
