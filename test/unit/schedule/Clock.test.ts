import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock, systemClock } from '../../../src/schedule/Clock.js';

describe('ManualClock', () => {
  it('advance() fires due timers in time order, each at its own instant', async () => {
    const clock = new ManualClock(1000);
    const fired: Array<[string, number]> = [];
    clock.setTimer(3000, () => fired.push(['c', clock.now()]));
    clock.setTimer(2000, () => fired.push(['a', clock.now()]));
    clock.setTimer(2000, () => fired.push(['b', clock.now()]));
    clock.setTimer(9000, () => fired.push(['late', clock.now()]));
    await clock.advance(1500);
    expect(fired).toEqual([
      ['a', 2000],
      ['b', 2000],
    ]);
    expect(clock.now()).toBe(2500);
    await clock.advance(1000);
    expect(fired).toEqual([
      ['a', 2000],
      ['b', 2000],
      ['c', 3000],
    ]);
    expect(clock.now()).toBe(3500);
    expect(clock.pending()).toBe(1);
  });

  it('set() jumps the clock: every timer that fell due fires at the new time', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    clock.setTimer(100, () => fired.push(clock.now()));
    clock.setTimer(200, () => fired.push(clock.now()));
    await clock.set(10_000);
    expect(fired).toEqual([10_000, 10_000]);
    await clock.set(5);
    expect(clock.now()).toBe(5);
  });

  it('lets async work started by one timer progress before the next fires', async () => {
    const clock = new ManualClock(0);
    const log: string[] = [];
    clock.setTimer(10, () => {
      void (async () => {
        await Promise.resolve();
        await Promise.resolve();
        log.push('first finished');
        clock.setTimer(15, () => log.push('armed by first'));
      })();
    });
    clock.setTimer(20, () => log.push('second'));
    await clock.advance(30);
    expect(log).toEqual(['first finished', 'armed by first', 'second']);
  });

  it('a cancelled timer does not fire', async () => {
    const clock = new ManualClock(0);
    const fn = vi.fn();
    clock.setTimer(10, fn).cancel();
    await clock.advance(20);
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('systemClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits longer than setTimeout can in one go', () => {
    const start = Date.parse('2024-05-06T08:00:00Z');
    vi.useFakeTimers({ now: start });
    const fn = vi.fn();
    systemClock.setTimer(start + 40 * 86_400_000, fn);
    vi.advanceTimersByTime(40 * 86_400_000 - 1);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledOnce();
  });

  it('notices soon after waking that the wall clock passed the time while asleep', () => {
    const start = Date.parse('2024-05-06T08:00:00Z');
    vi.useFakeTimers({ now: start });
    const fn = vi.fn();
    systemClock.setTimer(start + 3_600_000, fn);
    vi.advanceTimersByTime(1000);
    // Timers stand still while the machine sleeps; only the wall clock moves on.
    vi.setSystemTime(start + 5 * 3_600_000);
    vi.advanceTimersByTime(60_000);
    expect(fn).toHaveBeenCalledOnce();
  });

  it('cancel() stops a long wait', () => {
    vi.useFakeTimers({ now: 0 });
    const fn = vi.fn();
    systemClock.setTimer(3 * 60_000, fn).cancel();
    vi.advanceTimersByTime(10 * 60_000);
    expect(fn).not.toHaveBeenCalled();
  });
});
