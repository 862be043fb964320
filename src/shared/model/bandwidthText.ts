/**
 * Bandwidth limits as rclone's `--bwlimit` reads them, so that what users know works unchanged:
 * a rate (`2M`, `512k`, `1.5M`, a number alone is KiB/s, `off` or `0` is no limit), an upload and a
 * download rate (`1M:4M`), or a timetable of times and rates (`08:00,2M 18:00,off`,
 * `Mon-08:00,512k Sat-00:00,off`). Units are powers of 1024, as in rclone. No Node or zod here: the
 * window, the contract and the engine read limits with this one parser.
 */

/** Bytes per second in each direction; null is no limit. */
export interface BandwidthPair {
  readonly up: number | null;
  readonly down: number | null;
}

/** From this time on (until the next slot), this pair holds. */
export interface TimetableSlot {
  /** 0 Sunday … 6 Saturday, as `Date.getDay`; null is every day. */
  readonly day: number | null;
  /** Minutes after midnight, local time. */
  readonly minute: number;
  readonly limit: BandwidthPair;
}

/** A limit as written, and what it means: one slot at midnight every day for a plain rate. */
export interface BandwidthLimit {
  readonly text: string;
  readonly slots: ReadonlyArray<TimetableSlot>;
}

export type BandwidthReading = { readonly ok: true; readonly limit: BandwidthLimit } | { readonly ok: false; readonly problem: string };

const EXAMPLES = 'e.g. "2M", "1M:4M" (upload:download) or "08:00,2M 18:00,off"';
const RATE = /^(\d+(?:\.\d*)?|\.\d+)(?:([kmgtp])(?:ib|i|b)?|(b))?$/i;
const UNIT_POWERS: Readonly<Record<string, number>> = { k: 1, m: 2, g: 3, t: 4, p: 5 };
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** Reads a limit; a problem names the bad part of the text and says what would be right. */
export function readBandwidth(text: string): BandwidthReading {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, problem: `no limit given (${EXAMPLES})` };
  const tokens = trimmed.split(/\s+/);
  const single = tokens.length === 1 && !trimmed.includes(',');
  if (single) {
    const limit = readPair(trimmed);
    if (typeof limit === 'string') return { ok: false, problem: limit };
    return { ok: true, limit: { text: trimmed, slots: [{ day: null, minute: 0, limit }] } };
  }
  const slots: TimetableSlot[] = [];
  for (const token of tokens) {
    const slot = readSlot(token);
    if (typeof slot === 'string') return { ok: false, problem: slot };
    slots.push(slot);
  }
  return { ok: true, limit: { text: tokens.join(' '), slots } };
}

function readSlot(token: string): TimetableSlot | string {
  const parts = token.split(',');
  const [when, rate] = parts;
  if (parts.length !== 2 || when === undefined || rate === undefined) {
    return `"${token}" is not a time and a rate: write HH:MM,RATE or Day-HH:MM,RATE, e.g. "08:00,2M" or "Mon-08:00,2M"`;
  }
  const dash = when.indexOf('-');
  const dayText = dash < 0 ? undefined : when.slice(0, dash);
  const time = dash < 0 ? when : when.slice(dash + 1);
  let day: number | null = null;
  if (dayText !== undefined) {
    const lower = dayText.toLowerCase();
    const found = Math.max(DAYS.indexOf(lower as (typeof DAYS)[number]), DAY_NAMES.indexOf(lower as (typeof DAY_NAMES)[number]));
    if (found < 0) return `"${dayText}" in "${token}" is not a day of the week (Mon, Tue, Wed, Thu, Fri, Sat, Sun)`;
    day = found;
  }
  const clock = /^(\d{2}):(\d{2})$/.exec(time);
  const hours = Number(clock?.[1]);
  const minutes = Number(clock?.[2]);
  if (clock === null || hours > 23 || minutes > 59) return `"${time}" in "${token}" is not a time of day (HH:MM, from 00:00 to 23:59)`;
  const limit = readPair(rate);
  if (typeof limit === 'string') return limit;
  return { day, minute: hours * 60 + minutes, limit };
}

function readPair(text: string): BandwidthPair | string {
  const sides = text.split(':');
  if (sides.length > 2) return `"${text}" has more than one ":": write one rate, or upload:download such as "1M:4M"`;
  const [upText = '', downText] = sides;
  const up = readRate(upText);
  if (typeof up === 'string') return up;
  if (downText === undefined) return { up, down: up };
  const down = readRate(downText);
  if (typeof down === 'string') return down;
  return { up, down };
}

/** Bytes per second, null for no limit, or a problem. */
function readRate(text: string): number | null | string {
  if (text.toLowerCase() === 'off') return null;
  const match = RATE.exec(text);
  if (match === null) {
    return `"${text}" is not a rate: write a number with a unit B, K, M, G, T or P (powers of 1024; a number alone is KiB/s), or "off"`;
  }
  const [, number = '', unit, bytes] = match;
  const power = bytes !== undefined ? 0 : unit === undefined ? 1 : (UNIT_POWERS[unit.toLowerCase()] ?? 0);
  const value = Math.floor(Number(number) * 1024 ** power);
  // rclone reads 0 as no limit; a limit that would let nothing through would stall a transfer forever.
  if (Number(number) === 0) return null;
  if (value < 1) return `"${text}" is less than one byte per second`;
  if (!Number.isSafeInteger(value)) return `"${text}" is too large a rate`;
  return value;
}

/** A rate as people read it: "2 MiB/s", "512 KiB/s", "no limit". */
export function formatRate(bytesPerSecond: number | null): string {
  if (bytesPerSecond === null) return 'no limit';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytesPerSecond;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1).replace(/\.?0+$/, '');
  return `${shown} ${units[unit] ?? 'B'}/s`;
}
