import { Cron } from 'croner';
import { CRON_OPTIONS, isBusinessDay, parseDuration, type ScheduleConfig } from './config.js';
import { nextIntervalTick } from './intervalGrid.js';
import { resolveTimeZone, startOfNextLocalDay } from './zone.js';

/** Ten years of days the calendar refuses: a calendar that allows none gives up rather than loop. */
const MAX_SKIPPED_DAYS = 3660;
const CRON_CACHE_LIMIT = 256;
const crons = new Map<string, Cron>();

function cronFor(pattern: string, timezone: string): Cron {
  const key = `${timezone}\n${pattern}`;
  let cron = crons.get(key);
  if (cron === undefined) {
    if (crons.size >= CRON_CACHE_LIMIT) crons.clear();
    // Without a callback croner only computes; it starts no timer.
    cron = new Cron(pattern, { ...CRON_OPTIONS, timezone });
    crons.set(key, cron);
  }
  return cron;
}

/** The schedule's raw next time after `afterMs`, calendar aside. */
function rawNext(config: ScheduleConfig, timezone: string): (afterMs: number) => number | undefined {
  if (config.cron !== undefined && config.every === undefined) {
    const cron = cronFor(config.cron, timezone);
    return (afterMs) => cron.nextRun(new Date(afterMs))?.getTime();
  }
  if (config.every !== undefined && config.cron === undefined) {
    const intervalMs = parseDuration(config.every);
    return (afterMs) => nextIntervalTick(afterMs, intervalMs, timezone);
  }
  throw new Error('A schedule needs exactly one of "cron" and "every".');
}

/**
 * The next time the schedule allows a run, strictly after `afterMs`, or undefined if there is none (a
 * cron pattern that never matches again, or a calendar that allows no day). Cron patterns are croner's;
 * fixed intervals run on a grid anchored at 00:00 on 1970-01-01 in the schedule's zone (see
 * nextIntervalTick). A time on a day the calendar refuses is passed over, not moved. Enabled or not does not
 * matter here: the scheduler decides what a disabled job does with its ticks.
 */
export function nextTick(config: ScheduleConfig, afterMs: number): number | undefined {
  const timezone = resolveTimeZone(config.timezone);
  const next = rawNext(config, timezone);
  let from = afterMs;
  for (let skipped = 0; skipped <= MAX_SKIPPED_DAYS; skipped++) {
    const at = next(from);
    if (at === undefined || at <= afterMs) return undefined;
    if (isBusinessDay(at, config.calendar, timezone)) return at;
    from = startOfNextLocalDay(at, timezone) - 1;
  }
  return undefined;
}

/** How many allowed ticks fell in (lastTickMs, nowMs]. */
export function missedTicks(config: ScheduleConfig, lastTickMs: number, nowMs: number): number {
  let count = 0;
  for (let at = nextTick(config, lastTickMs); at !== undefined && at <= nowMs; at = nextTick(config, at)) count++;
  return count;
}
