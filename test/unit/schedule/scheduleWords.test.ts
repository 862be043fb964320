import { describe, expect, it } from 'vitest';
import { scheduleInWords } from '../../../src/schedule/scheduleWords.js';

describe('a schedule in words', () => {
  it('reads intervals, daily cron times and calendars as a coordinator would say them', () => {
    expect(scheduleInWords({ every: '15m' })).toBe('Every 15 minutes');
    expect(scheduleInWords({ every: '1h' })).toBe('Every hour');
    expect(scheduleInWords({ every: '90s' })).toBe('Every 90 seconds');
    expect(scheduleInWords({ every: '2d', timezone: 'Europe/Berlin' })).toBe('Every 2 days (Europe/Berlin)');
    expect(scheduleInWords({ cron: '0 6 * * 1-5' })).toBe('At 06:00 Monday to Friday');
    expect(scheduleInWords({ cron: '30 7 * * *', calendar: { weekdays: ['fri', 'mon'], holidays: ['2026-12-25'] } })).toBe('At 07:30 every day on mon, fri except 1 holiday');
  });

  it('keeps a cron pattern it cannot say plainly as it is', () => {
    expect(scheduleInWords({ cron: '*/5 8-18 * * 1-5' })).toBe('Cron */5 8-18 * * 1-5');
  });
});
