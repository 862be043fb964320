import picomatch from 'picomatch';
import { isBusinessDay, type SlaConfig } from './config.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, fromLocal, localDayNumber, resolveTimeZone, startOfLocalDay } from './zone.js';

/** Ten years of days the calendar refuses: a calendar that allows none gives up rather than loop. */
const MAX_SKIPPED_DAYS = 3660;

/** Milliseconds after local midnight of an expected file's `by` (HH:MM); throws on anything else. */
export function slaTimeOfDay(by: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(by);
  if (match === null) throw new Error(`Invalid SLA time ${JSON.stringify(by)}: expected HH:MM.`);
  return Number(match[1]) * HOUR_MS + Number(match[2]) * MINUTE_MS;
}

/** The first business-day deadline of `sla` strictly after `afterMs`, read in `timezone` (the machine's when undefined). */
export function nextSlaDeadline(sla: SlaConfig, timezone: string | undefined, afterMs: number): number | undefined {
  const zone = resolveTimeZone(timezone);
  const byMs = slaTimeOfDay(sla.by);
  const first = localDayNumber(afterMs, zone);
  for (let day = first; day <= first + MAX_SKIPPED_DAYS; day++) {
    const due = fromLocal(day * DAY_MS + byMs, zone);
    if (due > afterMs && isBusinessDay(due, sla.calendar, zone)) return due;
  }
  return undefined;
}

/**
 * Today's deadline of `sla` when it has passed by `nowMs`, with the start of its day (arrivals since
 * then count); undefined when today is not a business day or the deadline is still ahead.
 */
export function passedDeadlineToday(sla: SlaConfig, timezone: string | undefined, nowMs: number): { readonly dueAt: number; readonly dayStart: number } | undefined {
  const dayStart = startOfLocalDay(nowMs, resolveTimeZone(timezone));
  const dueAt = nextSlaDeadline(sla, timezone, dayStart - 1);
  return dueAt !== undefined && dueAt <= nowMs ? { dueAt, dayStart } : undefined;
}

/**
 * Whether a file matching `glob` by name arrived for `job` since `sinceMs`: a file the job took, as
 * its journal lists them.
 */
export function arrivedSince(journal: { takenSince(job: string, since: number): ReadonlyArray<string> }, job: string, sinceMs: number, glob: string): boolean {
  return journal.takenSince(job, sinceMs).some((path) => picomatch.isMatch(path.split('/').pop() ?? path, glob, { dot: true }));
}
