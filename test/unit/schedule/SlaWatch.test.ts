import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/schedule/Clock.js';
import type { SlaConfig } from '../../../src/schedule/config.js';
import { SlaWatch } from '../../../src/schedule/SlaWatch.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Friday 3 May 2024, 00:00 in Berlin (CEST). */
const FRIDAY = Date.parse('2024-05-02T22:00:00Z');
const SEVEN = 7 * HOUR;

const sla: SlaConfig = { name: 'orders_*.csv', by: '07:00', calendar: { weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] } };

function setup(arrived: (sinceMs: number) => boolean | Promise<boolean>) {
  const clock = new ManualClock(FRIDAY);
  const alerts: number[] = [];
  const checks: Array<[string, number, string]> = [];
  const watch = new SlaWatch({
    job: 'orders',
    sla,
    timezone: 'Europe/Berlin',
    clock,
    arrived: (job, sinceMs, glob) => {
      checks.push([job, sinceMs, glob]);
      return arrived(sinceMs);
    },
    alert: (job, s, dueAt) => {
      expect([job, s]).toEqual(['orders', sla]);
      alerts.push(dueAt);
    },
  });
  return { clock, alerts, checks, watch };
}

describe('SlaWatch', () => {
  it('alerts at 07:00 when nothing arrived since the day began', async () => {
    const { clock, alerts, checks, watch } = setup(() => false);
    watch.start();
    await clock.advance(SEVEN - 1);
    expect(alerts).toEqual([]);
    await clock.advance(1);
    expect(checks).toEqual([['orders', FRIDAY, 'orders_*.csv']]);
    expect(alerts).toEqual([FRIDAY + SEVEN]);
  });

  it('does not alert when a file arrived', async () => {
    const { clock, alerts, checks, watch } = setup(async () => true);
    watch.start();
    await clock.advance(DAY);
    expect(checks).toHaveLength(1);
    expect(alerts).toEqual([]);
  });

  it('does not check on weekends, and alerts once per business day', async () => {
    const { clock, alerts, checks, watch } = setup(() => false);
    watch.start();
    await clock.advance(7 * DAY);
    // Friday, then Monday to Thursday; Saturday and Sunday are not business days.
    expect(alerts).toEqual([0, 3, 4, 5, 6].map((d) => FRIDAY + d * DAY + SEVEN));
    expect(checks.map(([, since]) => since)).toEqual([0, 3, 4, 5, 6].map((d) => FRIDAY + d * DAY));
  });

  it('asks about each day from its own start, whatever answer came before', async () => {
    const { clock, alerts, watch } = setup((since) => since === FRIDAY);
    watch.start();
    await clock.advance(4 * DAY);
    expect(alerts).toEqual([FRIDAY + 3 * DAY + SEVEN]);
  });

  it('after a sleep across several deadlines, checks only the latest', async () => {
    const { clock, alerts, checks, watch } = setup(() => false);
    watch.start();
    // Asleep from Friday 00:00 until Wednesday 09:00.
    await clock.set(FRIDAY + 5 * DAY + 9 * HOUR);
    expect(checks.map(([, since]) => since)).toEqual([FRIDAY + 5 * DAY]);
    expect(alerts).toEqual([FRIDAY + 5 * DAY + SEVEN]);
    await clock.advance(DAY);
    expect(alerts).toEqual([FRIDAY + 5 * DAY + SEVEN, FRIDAY + 6 * DAY + SEVEN]);
  });

  it('stop() cancels the watch', async () => {
    const { clock, alerts, watch } = setup(() => false);
    watch.start();
    watch.stop();
    await clock.advance(3 * DAY);
    expect(alerts).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  it('a failed arrival check still alerts', async () => {
    const clock = new ManualClock(FRIDAY);
    const alerts: number[] = [];
    const errors: unknown[] = [];
    const watch = new SlaWatch({
      job: 'orders',
      sla,
      timezone: 'Europe/Berlin',
      clock,
      arrived: () => Promise.reject(new Error('server down')),
      alert: (_job, _sla, dueAt) => void alerts.push(dueAt),
      onError: (_job, error) => void errors.push(error),
    });
    watch.start();
    await clock.advance(SEVEN);
    expect(alerts).toEqual([FRIDAY + SEVEN]);
    expect(errors).toHaveLength(1);
  });
});
