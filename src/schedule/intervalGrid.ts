import { DAY_MS, HOUR_MS, firstOffsetChange, fromLocal, localDayNumber, offsetAt } from './zone.js';

/**
 * Fixed intervals run on a grid of wall-clock times anchored at 00:00 on 1970-01-01 in the schedule's zone:
 * the local times a whole number of intervals from that anchor. The grid depends on nothing but the config,
 * so a restart keeps it, and an interval that divides a day (15m, 2h) lines up with midnight every day.
 *
 * Whole days (1d, 7d, 24h) run at local midnight on every n-th day counted from 1970-01-01 (a Thursday),
 * once a day whatever the clocks do. Other intervals follow the wall clock: a grid time that occurs twice
 * when clocks go back runs on both occurrences (as croner runs "0 * * * *"), and one that does not exist
 * when clocks go forward runs as far past the change as it was past the old time (02:30 becomes 03:30). For
 * an interval that divides an hour that is the next grid time anyway, so runs stay evenly spaced in real time.
 */
export function nextIntervalTick(afterMs: number, intervalMs: number, timeZone: string): number {
  return intervalMs % DAY_MS === 0 ? nextDayTick(afterMs, intervalMs / DAY_MS, timeZone) : nextWallTick(afterMs, intervalMs, timeZone);
}

function nextDayTick(afterMs: number, days: number, timeZone: string): number {
  let day = Math.floor(localDayNumber(afterMs, timeZone) / days) * days;
  for (;;) {
    const at = fromLocal(day * DAY_MS, timeZone);
    if (at > afterMs) return at;
    day += days;
  }
}

/** The smallest instant after `from` whose wall time, at offset `offset`, lies on the grid. */
function nextOnGrid(from: number, offset: number, intervalMs: number): number {
  return Math.floor((from + offset) / intervalMs) * intervalMs + intervalMs - offset;
}

/** Longer than any jump of the clocks, the 24 hours Samoa skipped in 2011 included. */
const GAP_LOOKBACK_MS = 25 * HOUR_MS;

function nextWallTick(afterMs: number, intervalMs: number, timeZone: string): number {
  let from = afterMs;
  for (;;) {
    const offset = offsetAt(from + 1, timeZone);
    let best = nextOnGrid(from, offset, intervalMs);
    // Grid times inside a recent spring-forward gap still owe a run, at the offset from before the gap.
    const earlier = offsetAt(from + 1 - GAP_LOOKBACK_MS, timeZone);
    if (earlier < offset) {
      const change = firstOffsetChange(from + 1 - GAP_LOOKBACK_MS, from + 1, earlier, timeZone) ?? from + 1;
      const shifted = nextOnGrid(from, earlier, intervalMs);
      if (shifted + earlier < change + offset) best = Math.min(best, shifted);
    }
    // Until the next change of offset, the grid at this offset is right; past it, start again from the change.
    const change = firstOffsetChange(from, best, offset, timeZone);
    if (change === undefined) return best;
    from = change - 1;
  }
}
