import { describe, expect, it } from 'vitest';
import { TokenBucket, type RateSchedule } from '../../../../src/engine/bandwidth/TokenBucket.js';
import { ManualClock } from '../../../../src/schedule/Clock.js';

const steady = (bytesPerSecond: number | null): RateSchedule => () => ({ bytesPerSecond, until: null });

/** Admits `bytes` and records the virtual instant it was let through. */
function track(bucket: TokenBucket, clock: ManualClock, bytes: number, log: Array<[number, number]>, signal?: AbortSignal): Promise<void> {
  const wait = bucket.admit(bytes, signal);
  if (wait === undefined) {
    log.push([clock.now(), bytes]);
    return Promise.resolve();
  }
  return wait.then(() => void log.push([clock.now(), bytes]));
}

describe('the token bucket, on a clock that moves only when told', () => {
  it('starts full with one second of bytes, then earns the rate per millisecond exactly', async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket(clock, steady(1000));
    expect(bucket.admit(600)).toBeUndefined();
    expect(bucket.tokens()).toBe(400);
    await clock.advance(250);
    expect(bucket.tokens()).toBe(650);
    await clock.advance(10_000);
    expect(bucket.tokens()).toBe(1000);
  });

  it('lets waiting pieces through in order at the rate: 1,000 bytes a second, 250 at a time', async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket(clock, steady(1000));
    const log: Array<[number, number]> = [];
    const all = Promise.all(Array.from({ length: 12 }, () => track(bucket, clock, 250, log)));
    await clock.advance(2000);
    await all;
    // Four at once (the full bucket), then one each time 250 bytes are earned: every 250 ms.
    expect(log.map(([at]) => at)).toEqual([0, 0, 0, 0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000]);
    expect(bucket.tokens()).toBe(0);
  });

  it('a piece larger than the bucket goes once the bucket is full and leaves a debt the next piece waits out', async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket(clock, steady(100));
    const log: Array<[number, number]> = [];
    const big = track(bucket, clock, 450, log);
    expect(bucket.tokens()).toBe(-350);
    await big;
    const next = track(bucket, clock, 100, log);
    await clock.advance(5000);
    await next;
    // 350 bytes of debt and then 100 bytes to earn at 100 bytes a second: 4.5 s.
    expect(log).toEqual([
      [0, 450],
      [4500, 100],
    ]);
  });

  it('never admits more than one second of bytes plus the rate times the time passed, whatever the streams', async () => {
    const clock = new ManualClock(0);
    const rate = 64 * 1024;
    const bucket = new TokenBucket(clock, steady(rate));
    const log: Array<[number, number]> = [];
    const sizes = [1000, 32_768, 7, 65_536, 4096, 20_000];
    let done = false;
    const streams = Promise.all(
      sizes.map(async (size) => {
        for (let i = 0; i < 20; i++) await track(bucket, clock, size, log);
      }),
    ).then(() => (done = true));
    while (!done) await clock.advance(100);
    await streams;
    const total = sizes.reduce((n, s) => n + s * 20, 0);
    expect(log.reduce((n, [, b]) => n + b, 0)).toBe(total);
    let admitted = 0;
    for (const [at, bytes] of log) {
      admitted += bytes;
      // The first piece over the bucket may run one piece into debt; nothing more.
      expect(admitted).toBeLessThanOrEqual(rate + (rate * at) / 1000 + Math.max(...sizes));
    }
    const last = log[log.length - 1]?.[0] ?? 0;
    // Kept busy, the bucket lets through exactly what it earns: the last admission is when the total was earned.
    expect(last).toBe(Math.ceil(((total - rate) * 1000) / rate));
  });

  it('without a limit admits at once and keeps no tokens', () => {
    const bucket = new TokenBucket(new ManualClock(0), steady(null));
    expect(bucket.admit(10 ** 12)).toBeUndefined();
    expect(bucket.depth()).toBe(Infinity);
  });

  it('a new limit applies to bytes already waiting: "off" lets them all through at once', async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket(clock, steady(10));
    const log: Array<[number, number]> = [];
    const waiting = [track(bucket, clock, 10, log), track(bucket, clock, 10, log), track(bucket, clock, 10, log)];
    await clock.advance(500);
    expect(log).toEqual([[0, 10]]);
    bucket.reschedule(steady(null));
    await Promise.all(waiting);
    expect(log).toEqual([
      [0, 10],
      [500, 10],
      [500, 10],
    ]);
  });

  it('a lower limit slows bytes already waiting, from the moment it is set', async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket(clock, steady(1000));
    const log: Array<[number, number]> = [];
    expect(bucket.admit(1000)).toBeUndefined();
    const waiting = track(bucket, clock, 100, log);
    await clock.advance(50);
    bucket.reschedule(steady(100));
    // 50 tokens earned at the old rate; the other 50 at 100 a second take 500 ms.
    await clock.advance(499);
    expect(log).toEqual([]);
    await clock.advance(1);
    await waiting;
    expect(log).toEqual([[550, 100]]);
  });

  it('follows its schedule across a change of rate, earning each stretch at its own rate', async () => {
    const clock = new ManualClock(0);
    // 100 bytes a second until 1 s, then 1,000 a second.
    const schedule: RateSchedule = (at) => (at < 1000 ? { bytesPerSecond: 100, until: 1000 } : { bytesPerSecond: 1000, until: null });
    const bucket = new TokenBucket(clock, schedule);
    const log: Array<[number, number]> = [];
    expect(bucket.admit(100)).toBeUndefined();
    const waiting = track(bucket, clock, 500, log);
    await clock.advance(1399);
    expect(log).toEqual([]);
    await clock.advance(1);
    await waiting;
    // 100 tokens by 1 s at the slow rate, then 400 more at 1,000 a second: 400 ms later.
    expect(log).toEqual([[1400, 500]]);
  });

  it('a cancelled wait gives its place up and the next piece goes in its turn', async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket(clock, steady(100));
    expect(bucket.admit(100)).toBeUndefined();
    const abort = new AbortController();
    const log: Array<[number, number]> = [];
    const cancelled = track(bucket, clock, 100, log, abort.signal);
    const next = track(bucket, clock, 50, log);
    abort.abort(new Error('stopped'));
    await expect(cancelled).rejects.toThrow('stopped');
    await clock.advance(500);
    await next;
    expect(log).toEqual([[500, 50]]);
  });
});

describe('the token bucket after the machine slept', () => {
  it('lets the waiting piece through but keeps no more than a second of bytes for later', async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket(clock, () => ({ bytesPerSecond: 100, until: null }));
    expect(bucket.admit(100)).toBeUndefined();
    const waiting = bucket.admit(50);
    await clock.set(3_600_000);
    await waiting;
    expect(bucket.tokens()).toBe(100);
  });
});
