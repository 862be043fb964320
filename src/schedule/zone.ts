/**
 * Wall-clock arithmetic in an IANA zone with nothing but Intl. A "local" millisecond value is the wall time
 * read as if it were UTC (Date.UTC of the local fields), which makes local days and grids plain arithmetic.
 */

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export interface LocalFields {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone named in a config, or the machine's zone when none is named. */
export function resolveTimeZone(timeZone: string | undefined): string {
  return timeZone ?? new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** True if Intl knows the zone; Intl throws a RangeError for names it does not. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function localFields(utcMs: number, timeZone: string): LocalFields {
  const values: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(utcMs)) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  const field = (name: string): number => values[name] ?? 0;
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
}

/** Offset of the zone from UTC at an instant. Intl reads whole seconds, and transitions fall on whole seconds. */
export function offsetAt(utcMs: number, timeZone: string): number {
  const f = localFields(utcMs, timeZone);
  const wholeSecond = Math.floor(utcMs / SECOND_MS) * SECOND_MS;
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - wholeSecond;
}

export function toLocal(utcMs: number, timeZone: string): number {
  return utcMs + offsetAt(utcMs, timeZone);
}

/** The local day number (days since 1970-01-01 on the zone's calendar). */
export function localDayNumber(utcMs: number, timeZone: string): number {
  return Math.floor(toLocal(utcMs, timeZone) / DAY_MS);
}

/**
 * The instant a wall time names. A repeated time (clocks going back) gives its first occurrence; a time
 * that does not exist (clocks going forward) is read with the offset from before the change, so 02:30 on
 * a spring-forward night becomes 03:30. This is what Temporal calls the "compatible" choice.
 */
export function fromLocal(localMs: number, timeZone: string): number {
  // Offsets lie within -12h..+14h, so the instant lies in this window; one transition at most falls in it.
  const before = offsetAt(localMs - 14 * HOUR_MS, timeZone);
  const after = offsetAt(localMs + 12 * HOUR_MS, timeZone);
  const candidates = [localMs - before, localMs - after].filter((u) => offsetAt(u, timeZone) === localMs - u).sort((a, b) => a - b);
  return candidates[0] ?? localMs - before;
}

/** The first instant of the local day after the one holding `utcMs`. */
export function startOfNextLocalDay(utcMs: number, timeZone: string): number {
  return fromLocal((localDayNumber(utcMs, timeZone) + 1) * DAY_MS, timeZone);
}

export function startOfLocalDay(utcMs: number, timeZone: string): number {
  return fromLocal(localDayNumber(utcMs, timeZone) * DAY_MS, timeZone);
}

const PROBE_MS = 7 * DAY_MS;

/**
 * The first instant in (from, to] whose offset is not `offset`, or undefined. Probes a week at a time:
 * no zone changes its offset twice within a week, so a probe cannot step over a change and back.
 */
export function firstOffsetChange(from: number, to: number, offset: number, timeZone: string): number | undefined {
  for (let lo = from; lo < to; lo += PROBE_MS) {
    let hi = Math.min(to, lo + PROBE_MS);
    if (offsetAt(hi, timeZone) === offset) continue;
    let ok = lo;
    while (hi - ok > 1) {
      const mid = Math.floor((ok + hi) / 2);
      if (offsetAt(mid, timeZone) === offset) ok = mid;
      else hi = mid;
    }
    return hi;
  }
  return undefined;
}
