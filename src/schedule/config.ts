import { Cron } from 'croner';
import { z } from 'zod';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS, isValidTimeZone, localFields, resolveTimeZone } from './zone.js';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const UNIT_MS: Readonly<Record<string, number>> = { s: SECOND_MS, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS };
const DURATION = /^(\d+)([smhd])$/;

/** Milliseconds in a duration such as "30s", "15m", "2h" or "1d". */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text);
  if (match === null) {
    throw new Error(`Invalid duration ${JSON.stringify(text)}: expected a whole number and a unit s, m, h or d, such as "30s", "15m", "2h" or "1d".`);
  }
  const ms = Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
  if (ms === 0) throw new Error(`Invalid duration ${JSON.stringify(text)}: it must be longer than zero.`);
  if (!Number.isSafeInteger(ms)) throw new Error(`Invalid duration ${JSON.stringify(text)}: it is too long.`);
  return ms;
}

/** The same options everywhere, so a pattern the schema accepts is read the same way by nextTick. */
export const CRON_OPTIONS = { mode: '5-or-6-parts' } as const;

/** Croner's own message for a pattern it refuses, or undefined when it accepts it. */
function cronError(pattern: string): string | undefined {
  try {
    new Cron(pattern, CRON_OPTIONS);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function durationError(text: string): string | undefined {
  try {
    parseDuration(text);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a YYYY-MM-DD names a day that exists; other shapes are the format check's to report. */
function isRealDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return true;
  const [y, m, d] = text.split('-').map(Number);
  if (y === undefined || m === undefined || d === undefined) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const timezoneSchema = z
  .string()
  .refine(isValidTimeZone, { error: (issue) => `Unknown time zone ${JSON.stringify(issue.input)}: use an IANA name such as "Europe/Berlin".` })
  .describe('IANA time zone the schedule is read in, e.g. "Europe/Berlin"; the machine\'s own zone when omitted.');

export const businessCalendarSchema = z
  .strictObject({
    weekdays: z
      .array(z.enum(WEEKDAYS).describe('A day of the week: mon, tue, wed, thu, fri, sat or sun.'))
      .min(1)
      .optional()
      .describe('Days of the week on which runs are allowed; every day when omitted.'),
    holidays: z
      .array(
        z
          .string()
          .regex(ISO_DATE, 'a date such as "2025-12-25"')
          .refine(isRealDate, 'not a date in the calendar')
          .describe('A date, YYYY-MM-DD, in the schedule\'s time zone.'),
      )
      .optional()
      .describe('Dates on which nothing runs, even on an allowed weekday.'),
  })
  .describe('Business days: the days on which runs are allowed.');

export const scheduleConfigSchema = z
  .strictObject({
    cron: z
      .string()
      .superRefine((pattern, ctx) => {
        const error = cronError(pattern);
        if (error !== undefined) ctx.addIssue({ code: 'custom', message: error });
      })
      .optional()
      .describe('A cron expression with 5 fields (minute hour day month weekday) or 6 (seconds first), e.g. "0 6 * * 1-5".'),
    every: z
      .string()
      .superRefine((text, ctx) => {
        const error = durationError(text);
        if (error !== undefined) ctx.addIssue({ code: 'custom', message: error });
      })
      .optional()
      .describe(
        'A fixed interval: a whole number and a unit s, m, h or d, e.g. "15m". Runs fall on a grid of local times counted from ' +
          '00:00 on 1970-01-01 in the time zone, so "15m" runs at :00, :15, :30 and :45 and "1d" at midnight.',
      ),
    timezone: timezoneSchema.optional(),
    calendar: businessCalendarSchema.optional(),
    missed: z
      .enum(['run-once', 'skip'])
      .default('run-once')
      .describe('After sleep or downtime: run-once runs once to catch up however many runs were missed; skip waits for the next one.'),
    enabled: z.boolean().default(true).describe('False keeps the schedule but runs nothing until it is true again.'),
  })
  .refine((s) => (s.cron === undefined) !== (s.every === undefined), { error: 'Give exactly one of "cron" and "every".' })
  .describe('When a job runs.');

export const slaConfigSchema = z
  .strictObject({
    name: z.string().min(1).describe('A glob the expected file\'s name matches, e.g. "orders_*.csv".'),
    by: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as "07:00"')
      .describe('HH:MM, local time in the schedule\'s time zone, by which the file should have arrived.'),
    calendar: businessCalendarSchema.optional().describe('Days on which the file is expected; every day when omitted.'),
  })
  .describe('A file expected by a time of day.');

/** The input shape: defaults may be left out, and a parsed config is one too. */
export type ScheduleConfig = z.input<typeof scheduleConfigSchema>;
/** A config after parsing, with its defaults filled in. */
export type ParsedScheduleConfig = z.output<typeof scheduleConfigSchema>;
export type SlaConfig = z.input<typeof slaConfigSchema>;
export type BusinessCalendar = z.input<typeof businessCalendarSchema>;

/** Whether `date` falls, in `timeZone` (the machine's when undefined), on a day the calendar allows. */
export function isBusinessDay(date: Date | number, calendar: BusinessCalendar | undefined, timeZone?: string): boolean {
  if (calendar === undefined) return true;
  const f = localFields(typeof date === 'number' ? date : date.getTime(), resolveTimeZone(timeZone));
  const weekday = WEEKDAYS[new Date(Date.UTC(f.year, f.month - 1, f.day)).getUTCDay()];
  if (calendar.weekdays !== undefined && (weekday === undefined || !calendar.weekdays.includes(weekday))) return false;
  const iso = `${String(f.year).padStart(4, '0')}-${String(f.month).padStart(2, '0')}-${String(f.day).padStart(2, '0')}`;
  return !(calendar.holidays ?? []).includes(iso);
}
