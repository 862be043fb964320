import { describe, expect, it } from 'vitest';
import { BandwidthLimits } from '../../../../src/engine/bandwidth/BandwidthLimits.js';
import { limitAt } from '../../../../src/engine/bandwidth/timetable.js';
import { ManualClock } from '../../../../src/schedule/Clock.js';
import { readBandwidth, type BandwidthLimit } from '../../../../src/shared/model/bandwidthText.js';

const MiB = 1024 * 1024;

function limit(text: string): BandwidthLimit {
  const reading = readBandwidth(text);
  if (!reading.ok) throw new Error(reading.problem);
  return reading.limit;
}

/** Local wall-clock time on Monday 7 December 2026 (and the days after), as the timetable reads it. */
const at = (day: number, hours: number, minutes = 0): number => new Date(2026, 11, day, hours, minutes).getTime();

describe('a timetable read against the local wall clock', () => {
  const officeHours = limit('08:00,2M 18:00,off');

  it('holds the latest slot at or before now, and says when the next begins', () => {
    expect(limitAt(officeHours, at(7, 9, 30))).toEqual({ up: 2 * MiB, down: 2 * MiB, until: at(7, 18) });
    expect(limitAt(officeHours, at(7, 8))).toEqual({ up: 2 * MiB, down: 2 * MiB, until: at(7, 18) });
    expect(limitAt(officeHours, at(7, 18))).toEqual({ up: null, down: null, until: at(8, 8) });
  });

  it('before the first slot of a day, the day before goes on: full speed at night', () => {
    expect(limitAt(officeHours, at(8, 3))).toEqual({ up: null, down: null, until: at(8, 8) });
  });

  it('weekday slots wrap around the week: Saturday\'s slot holds through to Monday', () => {
    const weekend = limit('Mon-07:00,1M:4M Sat-00:00,off');
    expect(limitAt(weekend, at(9, 12))).toEqual({ up: MiB, down: 4 * MiB, until: at(12, 0) });
    expect(limitAt(weekend, at(13, 23))).toEqual({ up: null, down: null, until: at(14, 7) });
    expect(limitAt(weekend, at(7, 6, 59))).toEqual({ up: null, down: null, until: at(7, 7) });
  });

  it('a plain rate, or no limit, never changes', () => {
    expect(limitAt(limit('1M:4M'), at(7, 12))).toEqual({ up: MiB, down: 4 * MiB, until: null });
    expect(limitAt(undefined, at(7, 12))).toEqual({ up: null, down: null, until: null });
  });
});

describe('the limits of one Ferry process', () => {
  it('a file from a partner to this computer goes through the run\'s, the partner\'s and the global download buckets', async () => {
    const clock = new ManualClock(at(7, 12));
    const limits = new BandwidthLimits(clock);
    limits.global.set(limit('off:300'));
    limits.connection('acme').set(limit('1M:200'));
    const run = limits.run(limit('100'));
    const pace = limits.pace({ run, source: 'acme', target: undefined });
    // The tightest is the run's 100 KiB/s: one second of it passes at once, the next piece waits.
    expect(pace?.pieceBytes()).toBe(100 * 1024);
    expect(pace?.admit(100 * 1024)).toBeUndefined();
    let passed = false;
    const next = pace?.admit(1024)?.then(() => (passed = true));
    await clock.advance(9);
    expect(passed).toBe(false);
    await clock.advance(1);
    await next;
    expect(passed).toBe(true);
    // The partner's 200 KiB/s bucket: full, less both pieces, plus 10 ms of its rate.
    expect(limits.connection('acme').bucket('down').tokens()).toBe(200 * 1024 - 100 * 1024 - 1024 + 2048);
    expect(limits.connection('acme').bucket('up').tokens()).toBe(MiB);
  });

  it('a copy between two folders of this computer is not limited', () => {
    const limits = new BandwidthLimits(new ManualClock(0));
    limits.global.set(limit('1M'));
    expect(limits.pace({ run: limits.run(limit('1M')), source: undefined, target: undefined })).toBeUndefined();
  });

  it('a limit set while bytes wait applies to them: the partner\'s limit lifted, the waiting piece goes', async () => {
    const clock = new ManualClock(at(7, 12));
    const limits = new BandwidthLimits(clock);
    limits.setConnections(new Map([['acme', limit('10')]]));
    const pace = limits.pace({ source: undefined, target: 'acme' });
    expect(pace?.admit(10 * 1024)).toBeUndefined();
    let passed = false;
    const waiting = pace?.admit(10 * 1024)?.then(() => (passed = true));
    await clock.advance(100);
    expect(passed).toBe(false);
    limits.setConnections(new Map());
    await waiting;
    expect(passed).toBe(true);
    expect(clock.now()).toBe(at(7, 12) + 100);
  });

  it('the global limit set after a transfer started slows it down from then on', async () => {
    const clock = new ManualClock(at(7, 12));
    const limits = new BandwidthLimits(clock);
    const pace = limits.pace({ source: 'acme', target: 'globex' });
    expect(pace?.admit(10 * MiB)).toBeUndefined();
    limits.global.set(limit('1M'));
    expect(pace?.pieceBytes()).toBe(MiB);
    expect(pace?.admit(MiB)).toBeUndefined();
    expect(pace?.admit(1)).toBeInstanceOf(Promise);
  });

  it('the timetable switches the buckets at its slot boundary, with bytes waiting', async () => {
    const clock = new ManualClock(at(7, 17, 59));
    const limits = new BandwidthLimits(clock);
    limits.global.set(limit('08:00,1k 18:00,off'));
    const pace = limits.pace({ source: undefined, target: 'acme' });
    expect(pace?.admit(MiB)).toBeUndefined();
    let passedAt: number | undefined;
    // The 1 MiB piece left a debt that 1 KiB/s pays off in 17 minutes: at 18:00 the limit is off and the next goes.
    const waiting = pace?.admit(1)?.then(() => (passedAt = clock.now()));
    await clock.advance(60_000);
    await waiting;
    expect(passedAt).toBe(at(7, 18));
  });
});
