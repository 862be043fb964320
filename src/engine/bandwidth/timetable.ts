import type { BandwidthLimit, BandwidthPair } from '../../shared/model/bandwidthText.js';
import type { RateSchedule } from './TokenBucket.js';

export type Direction = 'up' | 'down';

const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

interface WeekSlot {
  /** Minutes after Sunday 00:00, local time. */
  readonly at: number;
  readonly limit: BandwidthPair;
}

/** What holds at an instant: both directions, and when the timetable next changes (null: never). */
export interface LimitNow extends BandwidthPair {
  readonly until: number | null;
}

/**
 * Reads a timetable against the local wall clock, as rclone does: the slot in force is the latest one
 * at or before now in the week, and the week's last slot goes on past Sunday midnight until the first.
 * A slot for every day stands for seven, one per day; of two slots at the same minute the later written wins.
 */
export function limitAt(limit: BandwidthLimit | undefined, atMs: number): LimitNow {
  if (limit === undefined) return { up: null, down: null, until: null };
  const week = weekSlots(limit);
  const last = week[week.length - 1];
  if (last === undefined) return { up: null, down: null, until: null };
  const date = new Date(atMs);
  const now = date.getDay() * MINUTES_PER_DAY + date.getHours() * 60 + date.getMinutes();
  let current = last;
  let next: WeekSlot | undefined;
  for (const slot of week) {
    if (slot.at <= now) current = slot;
    else {
      next = slot;
      break;
    }
  }
  const distinct = week.some((s) => s.limit.up !== current.limit.up || s.limit.down !== current.limit.down);
  if (!distinct) return { ...current.limit, until: null };
  const upcoming = next ?? week[0] ?? last;
  const minutesAhead = (upcoming.at - now + MINUTES_PER_WEEK) % MINUTES_PER_WEEK || MINUTES_PER_WEEK;
  // Counted in calendar days and wall-clock minutes, so a change of daylight saving time moves nothing.
  const days = Math.floor((now % MINUTES_PER_DAY + minutesAhead) / MINUTES_PER_DAY);
  const minuteOfDay = upcoming.at % MINUTES_PER_DAY;
  const until = new Date(date.getFullYear(), date.getMonth(), date.getDate() + days, Math.floor(minuteOfDay / 60), minuteOfDay % 60).getTime();
  return { ...current.limit, until: until > atMs ? until : atMs + 60_000 };
}

/** One direction of a limit as a bucket's schedule. */
export function scheduleOf(limit: BandwidthLimit | undefined, direction: Direction): RateSchedule {
  return (atMs) => {
    const now = limitAt(limit, atMs);
    return { bytesPerSecond: now[direction], until: now.until };
  };
}

function weekSlots(limit: BandwidthLimit): WeekSlot[] {
  const slots: WeekSlot[] = [];
  for (const slot of limit.slots) {
    const days = slot.day === null ? [0, 1, 2, 3, 4, 5, 6] : [slot.day];
    for (const day of days) slots.push({ at: day * MINUTES_PER_DAY + slot.minute, limit: slot.limit });
  }
  // A stable sort keeps the written order among equal minutes; the loop above then takes the last.
  return slots.sort((a, b) => a.at - b.at);
}
