/** A compiled date pattern such as 'yyyy-MM-dd', 'dd.MM.yyyy' or "yyyy-MM-dd'T'HH:mm:ss". */
export interface DateFormat {
  readonly pattern: string;
  /** True when the text is a real date in this format (no 30 February, no month 13). */
  matches(text: string): boolean;
}

type Field = 'year' | 'shortYear' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'millis';

const TOKENS: ReadonlyArray<readonly [string, Field, number]> = [
  ['yyyy', 'year', 4],
  ['yy', 'shortYear', 2],
  ['MM', 'month', 2],
  ['dd', 'day', 2],
  ['HH', 'hour', 2],
  ['mm', 'minute', 2],
  ['ss', 'second', 2],
  ['SSS', 'millis', 3],
];

/**
 * Moment-style YYYY and DD mean week-year and day-of-year in the Unicode patterns most tools use, so
 * accepting them would quietly check the wrong thing: they are refused with the spelling to use.
 */
const MISTAKES: Readonly<Record<string, string>> = {
  YYYY: 'use yyyy for the year',
  YY: 'use yy for a two-digit year',
  DD: 'use dd for the day of the month',
  D: 'use dd for the day of the month',
  Y: 'use yyyy for the year',
  hh: 'use HH for the hour (00-23)',
};

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Throws an Error naming the offending part when the pattern cannot be understood. */
export function compileDateFormat(pattern: string): DateFormat {
  const fields: Field[] = [];
  let source = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] ?? '';
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) throw new Error(`date format "${pattern}": unclosed quote`);
      source += escapeRegex(end === i + 1 ? "'" : pattern.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) {
      let run = ch;
      while (pattern[i + run.length] === ch) run += ch;
      const token = TOKENS.find(([text]) => text === run);
      if (token === undefined) {
        const hint = MISTAKES[run] ?? 'known parts are yyyy, yy, MM, dd, HH, mm, ss, SSS; quote literal letters like \'T\'';
        throw new Error(`date format "${pattern}": "${run}" is not understood (${hint})`);
      }
      if (fields.includes(token[1])) throw new Error(`date format "${pattern}": "${run}" appears twice`);
      fields.push(token[1]);
      source += `(\\d{${token[2]}})`;
      i += run.length;
      continue;
    }
    source += escapeRegex(ch);
    i += 1;
  }
  if (fields.length === 0) throw new Error(`date format "${pattern}" has no date parts (yyyy, MM, dd, ...)`);
  const regex = new RegExp(`^${source}$`);

  return {
    pattern,
    matches(text: string): boolean {
      const m = regex.exec(text);
      if (m === null) return false;
      const value = (field: Field): number | undefined => {
        const index = fields.indexOf(field);
        return index < 0 ? undefined : Number(m[index + 1]);
      };
      const shortYear = value('shortYear');
      const year = value('year') ?? (shortYear === undefined ? 2000 : 2000 + shortYear);
      const month = value('month') ?? 1;
      const day = value('day') ?? 1;
      if (month < 1 || month > 12) return false;
      if (day < 1 || day > daysInMonth(year, month)) return false;
      if ((value('hour') ?? 0) > 23 || (value('minute') ?? 0) > 59 || (value('second') ?? 0) > 59) return false;
      return true;
    },
  };
}
