import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isBusinessDay, parseDuration, scheduleConfigSchema, slaConfigSchema } from '../../../src/schedule/config.js';

function cronerMessage(pattern: string): string {
  try {
    new Cron(pattern, { mode: '5-or-6-parts' });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`croner accepted ${pattern}`);
}

function issues(result: { success: boolean; error?: z.ZodError }): string[] {
  return result.error?.issues.map((i) => i.message) ?? [];
}

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['', /Invalid duration "": expected a whole number and a unit/],
    ['15', /unit s, m, h or d/],
    ['m', /expected a whole number/],
    ['1.5h', /expected a whole number/],
    ['-5m', /expected a whole number/],
    ['15 m', /expected a whole number/],
    ['3w', /unit s, m, h or d/],
    ['0s', /longer than zero/],
    ['99999999999999999d', /too long/],
  ])('refuses %j', (text, message) => {
    expect(() => parseDuration(text)).toThrow(message);
  });
});

describe('scheduleConfigSchema', () => {
  it('fills in the defaults', () => {
    expect(scheduleConfigSchema.parse({ every: '15m' })).toEqual({ every: '15m', missed: 'run-once', enabled: true });
  });

  it('accepts 5 and 6 field cron expressions', () => {
    expect(scheduleConfigSchema.safeParse({ cron: '0 6 * * 1-5' }).success).toBe(true);
    expect(scheduleConfigSchema.safeParse({ cron: '30 0 6 * * *' }).success).toBe(true);
  });

  it.each(['61 * * * *', 'every day', '* * * * * * *', '0 6 * * mon-funday'])('refuses the cron %j with croner\'s message', (cron) => {
    expect(issues(scheduleConfigSchema.safeParse({ cron }))).toEqual([cronerMessage(cron)]);
  });

  it('wants exactly one of cron and every', () => {
    expect(issues(scheduleConfigSchema.safeParse({}))).toEqual(['Give exactly one of "cron" and "every".']);
    expect(issues(scheduleConfigSchema.safeParse({ cron: '0 * * * *', every: '1h' }))).toEqual(['Give exactly one of "cron" and "every".']);
  });

  it('refuses a bad interval with parseDuration\'s message', () => {
    expect(issues(scheduleConfigSchema.safeParse({ every: '5 minutes' }))[0]).toMatch(/Invalid duration "5 minutes"/);
  });

  it('checks the time zone with Intl', () => {
    expect(scheduleConfigSchema.safeParse({ every: '1h', timezone: 'Europe/Berlin' }).success).toBe(true);
    expect(issues(scheduleConfigSchema.safeParse({ every: '1h', timezone: 'Europe/Atlantis' }))[0]).toMatch(/Unknown time zone "Europe\/Atlantis"/);
  });

  it('checks the calendar', () => {
    const ok = { weekdays: ['mon', 'fri'], holidays: ['2024-02-29'] };
    expect(scheduleConfigSchema.safeParse({ every: '1h', calendar: ok }).success).toBe(true);
    expect(scheduleConfigSchema.safeParse({ every: '1h', calendar: { weekdays: ['monday'] } }).success).toBe(false);
    expect(scheduleConfigSchema.safeParse({ every: '1h', calendar: { weekdays: [] } }).success).toBe(false);
    expect(issues(scheduleConfigSchema.safeParse({ every: '1h', calendar: { holidays: ['2023-02-29'] } }))).toEqual(['not a date in the calendar']);
    expect(issues(scheduleConfigSchema.safeParse({ every: '1h', calendar: { holidays: ['25.12.2024'] } }))).toEqual(['a date such as "2025-12-25"']);
  });

  it('is strict', () => {
    expect(scheduleConfigSchema.safeParse({ every: '1h', timeZone: 'UTC' }).success).toBe(false);
  });

  it('publishes as JSON Schema with every field described', () => {
    const schema = z.toJSONSchema(scheduleConfigSchema, { io: 'input' }) as { properties: Record<string, { description?: string }> };
    for (const key of ['cron', 'every', 'timezone', 'calendar', 'missed', 'enabled']) expect(schema.properties[key]?.description).toBeTruthy();
    const sla = z.toJSONSchema(slaConfigSchema, { io: 'input' }) as { properties: Record<string, { description?: string }> };
    for (const key of ['name', 'by', 'calendar']) expect(sla.properties[key]?.description).toBeTruthy();
  });
});

describe('slaConfigSchema', () => {
  it('wants a glob and an HH:MM time', () => {
    expect(slaConfigSchema.safeParse({ name: 'orders_*.csv', by: '07:00' }).success).toBe(true);
    for (const by of ['7:00', '24:00', '07:60', '0700']) expect(slaConfigSchema.safeParse({ name: 'x', by }).success).toBe(false);
    expect(slaConfigSchema.safeParse({ name: '', by: '07:00' }).success).toBe(false);
  });
});

describe('isBusinessDay', () => {
  const calendar = { weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, holidays: ['2024-12-25'] };

  it('reads the day in the given zone', () => {
    // Friday 23:30 UTC is already Saturday in Berlin.
    const fridayNight = Date.parse('2024-03-29T23:30:00Z');
    expect(isBusinessDay(fridayNight, { weekdays: [...calendar.weekdays] }, 'UTC')).toBe(true);
    expect(isBusinessDay(new Date(fridayNight), { weekdays: [...calendar.weekdays] }, 'Europe/Berlin')).toBe(false);
  });

  it('skips holidays and allows every day without a calendar', () => {
    const cal = { weekdays: [...calendar.weekdays], holidays: calendar.holidays };
    expect(isBusinessDay(Date.parse('2024-12-25T12:00:00Z'), cal, 'Europe/Berlin')).toBe(false);
    expect(isBusinessDay(Date.parse('2024-12-24T12:00:00Z'), cal, 'Europe/Berlin')).toBe(true);
    expect(isBusinessDay(Date.parse('2024-12-28T12:00:00Z'), undefined, 'Europe/Berlin')).toBe(true);
  });
});
