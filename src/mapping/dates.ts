/**
 * A deliberately tiny date format: partner specs use a handful of numeric tokens, and a full date library
 * would bring locale rules that make output depend on the machine running the job.
 */
export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

type Token = 'yyyy' | 'yy' | 'MM' | 'dd' | 'HH' | 'mm' | 'ss';
type Piece = { readonly literal: string } | { readonly token: Token };

const TOKENS: ReadonlySet<string> = new Set<Token>(['yyyy', 'yy', 'MM', 'dd', 'HH', 'mm', 'ss']);

/** Splits a format into tokens and literals; text in single quotes is literal, '' is a quote. */
function tokenize(format: string): Piece[] {
  const pieces: Piece[] = [];
  let i = 0;
  while (i < format.length) {
    const c = format.charAt(i);
    if (c === "'") {
      const close = format.indexOf("'", i + 1);
      if (close < 0) throw new Error(`unclosed quote in date format "${format}"`);
      pieces.push({ literal: close === i + 1 ? "'" : format.slice(i + 1, close) });
      i = close + 1;
    } else if (/[A-Za-z]/.test(c)) {
      let end = i;
      while (format.charAt(end) === c) end++;
      const run = format.slice(i, end);
      // Letters are reserved so that a mistyped token (YYYY, DD) fails instead of appearing in file names.
      if (!TOKENS.has(run)) {
        throw new Error(`unknown date token "${run}" in "${format}" (use yyyy yy MM dd HH mm ss, quote literal text)`);
      }
      pieces.push({ token: run as Token });
      i = end;
    } else {
      pieces.push({ literal: c });
      i++;
    }
  }
  return pieces;
}

/** Returns the problem with a date format, or undefined when it is usable. */
export function checkDateFormat(format: string): string | undefined {
  if (format === '') return 'empty date format';
  try {
    tokenize(format);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export function formatParts(parts: DateParts, format: string): string {
  return tokenize(format)
    .map((piece) => {
      if ('literal' in piece) return piece.literal;
      switch (piece.token) {
        case 'yyyy': return pad(parts.year, 4);
        case 'yy': return pad(parts.year % 100, 2);
        case 'MM': return pad(parts.month, 2);
        case 'dd': return pad(parts.day, 2);
        case 'HH': return pad(parts.hour, 2);
        case 'mm': return pad(parts.minute, 2);
        case 'ss': return pad(parts.second, 2);
      }
    })
    .join('');
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = zoneFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
      hourCycle: 'h23',
    });
    zoneFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock fields of an instant in an IANA zone; throws RangeError for an unknown zone. */
export function partsInZone(date: Date, timeZone = 'UTC'): DateParts {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
  if (timeZone === 'UTC') {
    return {
      year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(),
      hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: date.getUTCSeconds(),
    };
  }
  const field = new Map(zoneFormatter(timeZone).formatToParts(date).map((p) => [p.type, Number(p.value)]));
  const get = (type: Intl.DateTimeFormatPartTypes): number => field.get(type) ?? 0;
  return {
    year: get('year'), month: get('month'), day: get('day'),
    hour: get('hour'), minute: get('minute'), second: get('second'),
  };
}

export function formatDate(date: Date, format: string, timeZone?: string): string {
  return formatParts(partsInZone(date, timeZone), format);
}

const PATTERNS: Record<Token, string> = {
  yyyy: '(\\d{4})', yy: '(\\d{2})', MM: '(\\d{2})', dd: '(\\d{2})', HH: '(\\d{2})', mm: '(\\d{2})', ss: '(\\d{2})',
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Reads a date written in `format`; returns undefined when the text does not match or is not a real date. */
export function parseDateParts(text: string, format: string): DateParts | undefined {
  const pieces = tokenize(format);
  const order: Token[] = [];
  const source = pieces
    .map((piece) => {
      if ('literal' in piece) return escapeRegExp(piece.literal);
      order.push(piece.token);
      return PATTERNS[piece.token];
    })
    .join('');
  const match = new RegExp(`^${source}$`).exec(text);
  if (!match) return undefined;
  const value = { year: 2000, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  order.forEach((token, index) => {
    const n = Number(match[index + 1]);
    switch (token) {
      case 'yyyy': value.year = n; break;
      // Partner files with two-digit years are invoices and orders, not birth dates: read them as 20yy.
      case 'yy': value.year = 2000 + n; break;
      case 'MM': value.month = n; break;
      case 'dd': value.day = n; break;
      case 'HH': value.hour = n; break;
      case 'mm': value.minute = n; break;
      case 'ss': value.second = n; break;
    }
  });
  if (value.month < 1 || value.month > 12) return undefined;
  if (value.day < 1 || value.day > daysInMonth(value.year, value.month)) return undefined;
  if (value.hour > 23 || value.minute > 59 || value.second > 59) return undefined;
  return value;
}
