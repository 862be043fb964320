import { parseDuration, WEEKDAYS, type BusinessCalendar, type ScheduleConfig } from './config.js';

const UNITS: ReadonlyArray<readonly [number, string]> = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1000, 'second'],
];

const DAY_WORDS: Readonly<Record<string, string>> = {
  '*': 'every day',
  '1-5': 'Monday to Friday',
  'mon-fri': 'Monday to Friday',
  '0,6': 'on weekends',
  '6,0': 'on weekends',
  'sat,sun': 'on weekends',
};

/**
 * A schedule as a coordinator reads it: "Every 15 minutes", "At 06:00 Monday to Friday". Cron patterns
 * beyond a daily time keep their own text after "Cron", rather than being put in words that could mislead.
 */
export function scheduleInWords(config: ScheduleConfig): string {
  const when = config.every !== undefined ? everyInWords(config.every) : cronInWords(config.cron ?? '');
  const parts = [when, calendarInWords(config.calendar), config.timezone === undefined ? undefined : `(${config.timezone})`];
  return parts.filter((p) => p !== undefined).join(' ');
}

function everyInWords(every: string): string {
  const ms = parseDuration(every);
  const [size, unit] = UNITS.find(([unitMs]) => ms % unitMs === 0) ?? [1000, 'second'];
  const count = ms / size;
  return count === 1 ? `Every ${unit}` : `Every ${count} ${unit}s`;
}

function cronInWords(pattern: string): string {
  const fields = pattern.trim().split(/\s+/);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  const plain = (f: string | undefined): f is string => f !== undefined && /^\d{1,2}$/.test(f);
  if (fields.length === 5 && plain(minute) && plain(hour) && dayOfMonth === '*' && month === '*' && dayOfWeek !== undefined) {
    const days = DAY_WORDS[dayOfWeek.toLowerCase()];
    if (days !== undefined) return `At ${hour.padStart(2, '0')}:${minute.padStart(2, '0')} ${days}`;
  }
  return `Cron ${pattern}`;
}

function calendarInWords(calendar: BusinessCalendar | undefined): string | undefined {
  if (calendar === undefined) return undefined;
  const days = calendar.weekdays === undefined ? undefined : WEEKDAYS.filter((d) => calendar.weekdays?.includes(d)).join(', ');
  const holidays = calendar.holidays?.length ?? 0;
  const parts = [days === undefined ? undefined : `on ${days}`, holidays === 0 ? undefined : `except ${holidays} holiday${holidays === 1 ? '' : 's'}`];
  return parts.filter((p) => p !== undefined).join(' ') || undefined;
}
