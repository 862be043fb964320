import { describe, expect, it } from 'vitest';
import type { ScheduleConfig } from '../../../src/schedule/config.js';
import { missedTicks, nextTick } from '../../../src/schedule/nextTick.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The next `count` ticks after `from`, as UTC ISO strings. */
function ticks(config: ScheduleConfig, from: string, count: number): Array<string | undefined> {
  const out: Array<string | undefined> = [];
  let t: number | undefined = at(from);
  for (let i = 0; i < count && t !== undefined; i++) {
    t = nextTick(config, t);
    out.push(iso(t));
  }
  return out;
}

const WORKDAYS: NonNullable<NonNullable<ScheduleConfig['calendar']>['weekdays']> = ['mon', 'tue', 'wed', 'thu', 'fri'];

describe('nextTick with cron', () => {
  it('is strictly after the given time', () => {
    const config = { cron: '0 * * * *', timezone: 'UTC' };
    expect(iso(nextTick(config, at('2024-05-01T10:00:00Z')))).toBe('2024-05-01T11:00:00.000Z');
    expect(iso(nextTick(config, at('2024-05-01T09:59:59.999Z')))).toBe('2024-05-01T10:00:00.000Z');
  });

  it('keeps a daily time across spring forward in Europe/Berlin, and runs one in the gap once after it', () => {
    // 31 March 2024: 02:00 CET becomes 03:00 CEST.
    expect(ticks({ cron: '0 6 * * *', timezone: 'Europe/Berlin' }, '2024-03-29T12:00:00Z', 4)).toEqual([
      '2024-03-30T05:00:00.000Z', // 06:00 CET
      '2024-03-31T04:00:00.000Z', // 06:00 CEST
      '2024-04-01T04:00:00.000Z',
      '2024-04-02T04:00:00.000Z',
    ]);
    expect(ticks({ cron: '30 2 * * *', timezone: 'Europe/Berlin' }, '2024-03-30T12:00:00Z', 2)).toEqual([
      '2024-03-31T01:00:00.000Z', // 02:30 does not exist: 03:00 CEST
      '2024-04-01T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('runs a fixed time once and an hourly pattern twice in the hour repeated at fall back', () => {
    // 27 October 2024: 03:00 CEST becomes 02:00 CET.
    expect(ticks({ cron: '30 2 * * *', timezone: 'Europe/Berlin' }, '2024-10-26T12:00:00Z', 2)).toEqual([
      '2024-10-27T00:30:00.000Z', // 02:30 CEST, first occurrence only
      '2024-10-28T01:30:00.000Z', // 02:30 CET
    ]);
    expect(ticks({ cron: '0 * * * *', timezone: 'Europe/Berlin' }, '2024-10-26T23:30:00Z', 4)).toEqual([
      '2024-10-27T00:00:00.000Z', // 02:00 CEST
      '2024-10-27T01:00:00.000Z', // 02:00 CET
      '2024-10-27T02:00:00.000Z', // 03:00 CET
      '2024-10-27T03:00:00.000Z',
    ]);
  });

  it('returns undefined for a pattern that never matches', () => {
    expect(nextTick({ cron: '0 0 30 2 *', timezone: 'UTC' }, at('2024-01-01T00:00:00Z'))).toBeUndefined();
  });
});

describe('nextTick with every', () => {
  it('runs on a quarter-hour grid whatever time it is asked from, so restarts keep the grid', () => {
    const config = { every: '15m', timezone: 'Europe/Berlin' };
    expect(ticks(config, '2024-05-01T10:07:13.500Z', 3)).toEqual(['2024-05-01T10:15:00.000Z', '2024-05-01T10:30:00.000Z', '2024-05-01T10:45:00.000Z']);
    expect(iso(nextTick(config, at('2024-05-01T10:15:00Z')))).toBe('2024-05-01T10:30:00.000Z');
    expect(iso(nextTick(config, at('2024-05-01T10:14:59.999Z')))).toBe('2024-05-01T10:15:00.000Z');
  });

  it('keeps 15 minutes between runs across both changes of the clocks', () => {
    const spring = ticks({ every: '15m', timezone: 'Europe/Berlin' }, '2024-03-31T00:20:00Z', 8);
    const fall = ticks({ every: '15m', timezone: 'Europe/Berlin' }, '2024-10-26T23:50:00Z', 12);
    for (const series of [spring, fall]) {
      const gaps = series.slice(1).map((t, i) => at(t ?? '') - at(series[i] ?? ''));
      expect(new Set(gaps)).toEqual(new Set([15 * 60_000]));
    }
    expect(spring[0]).toBe('2024-03-31T00:30:00.000Z');
  });

  it('runs a 2h grid on even local hours in a zone with a half-hour offset', () => {
    expect(ticks({ every: '2h', timezone: 'Asia/Kolkata' }, '2024-05-01T00:00:00Z', 2)).toEqual([
      '2024-05-01T00:30:00.000Z', // 06:00 IST
      '2024-05-01T02:30:00.000Z', // 08:00 IST
    ]);
  });

  it('runs whole days at local midnight in winter and summer', () => {
    expect(ticks({ every: '1d', timezone: 'Europe/Berlin' }, '2024-03-29T12:00:00Z', 3)).toEqual([
      '2024-03-29T23:00:00.000Z',
      '2024-03-30T23:00:00.000Z',
      '2024-03-31T22:00:00.000Z',
    ]);
  });
});

describe('calendars', () => {
  it('skips weekends and holidays', () => {
    const config: ScheduleConfig = { cron: '0 6 * * *', timezone: 'Europe/Berlin', calendar: { weekdays: WORKDAYS, holidays: ['2024-04-01'] } };
    // Friday 29 March, then Saturday, Sunday and Easter Monday are passed over.
    expect(ticks(config, '2024-03-28T12:00:00Z', 2)).toEqual(['2024-03-29T05:00:00.000Z', '2024-04-02T04:00:00.000Z']);
  });

  it('resumes an interval at the start of the next business day', () => {
    const config: ScheduleConfig = { every: '15m', timezone: 'Europe/Berlin', calendar: { weekdays: WORKDAYS } };
    expect(ticks(config, '2024-05-03T21:50:00Z', 2)).toEqual([
      '2024-05-05T22:00:00.000Z', // Monday 00:00 CEST
      '2024-05-05T22:15:00.000Z',
    ]);
  });

  it('reads the day in the schedule\'s zone', () => {
    // Saturday 01:30 in Berlin is Friday 23:30 UTC, but it is Saturday's run, so it waits for the next Friday.
    const config: ScheduleConfig = { cron: '30 23 * * *', timezone: 'UTC', calendar: { weekdays: ['fri'] } };
    expect(iso(nextTick(config, at('2024-05-03T12:00:00Z')))).toBe('2024-05-03T23:30:00.000Z');
    expect(iso(nextTick({ ...config, cron: '30 1 * * *', timezone: 'Europe/Berlin' }, at('2024-05-03T12:00:00Z')))).toBe('2024-05-09T23:30:00.000Z');
  });
});

describe('missedTicks', () => {
  it('counts the ticks in (last, now]', () => {
    expect(missedTicks({ cron: '0 * * * *', timezone: 'UTC' }, at('2024-05-01T00:00:00Z'), at('2024-05-04T00:00:00Z'))).toBe(72);
    expect(missedTicks({ cron: '0 * * * *', timezone: 'UTC' }, at('2024-05-01T00:00:00Z'), at('2024-05-01T00:59:59Z'))).toBe(0);
  });

  it('counts only business days', () => {
    const config: ScheduleConfig = { cron: '0 6 * * *', timezone: 'Europe/Berlin', calendar: { weekdays: WORKDAYS } };
    // Friday 3 May to Tuesday 7 May: Friday, Monday and Tuesday.
    expect(missedTicks(config, at('2024-05-03T00:00:00Z'), at('2024-05-07T12:00:00Z'))).toBe(3);
  });
});
