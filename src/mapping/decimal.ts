/**
 * Amounts are reformatted as digit strings, never through floating point: 1.005 rounded to two decimals must
 * be 1.01, and a 20-digit account balance must keep every digit.
 */
export interface NumberFormat {
  readonly decimalSeparator?: string;
  readonly thousandsSeparator?: string;
  readonly decimals?: number;
  readonly outputDecimalSeparator?: string;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function stripGrouping(integer: string, separator: string | undefined): string | undefined {
  if (separator === undefined) return integer;
  const group = /\s/.test(separator) ? '[\\s\\u00a0\\u202f]' : escapeRegExp(separator);
  if (!new RegExp(group).test(integer)) return integer;
  // Groups must be of three: "1.2.3" is a typo or a date, not 123.
  if (!new RegExp(`^\\d{1,3}(${group}\\d{3})+$`, 'u').test(integer)) return undefined;
  return integer.replace(new RegExp(group, 'gu'), '');
}

/** Splits "-1.234,50" into sign, integer digits and fraction digits; undefined if it is not a plain number. */
function parseNumber(text: string, format: NumberFormat): { negative: boolean; integer: string; fraction: string } | undefined {
  let body = text.trim();
  let negative = false;
  if (/^[-+]/.test(body)) {
    negative = body.startsWith('-');
    body = body.slice(1);
  } else if (body.endsWith('-')) {
    // ERP exports (SAP and others) put the minus sign after the amount.
    negative = true;
    body = body.slice(0, -1);
  }
  const decimal = format.decimalSeparator ?? '.';
  const pieces = body.split(decimal);
  if (pieces.length > 2) return undefined;
  const integer = stripGrouping(pieces[0] ?? '', format.thousandsSeparator);
  const fraction = pieces[1] ?? '';
  if (integer === undefined || !/^\d*$/.test(integer) || !/^\d*$/.test(fraction)) return undefined;
  if (integer === '' && fraction === '') return undefined;
  return { negative, integer: integer === '' ? '0' : integer, fraction };
}

/** Rounds half away from zero on the digit string. */
function round(integer: string, fraction: string, decimals: number): { integer: string; fraction: string } {
  if (fraction.length <= decimals) return { integer, fraction: fraction.padEnd(decimals, '0') };
  const kept = `${integer}${fraction.slice(0, decimals)}`;
  const up = (fraction.charAt(decimals) || '0') >= '5';
  const digits = (BigInt(kept) + (up ? 1n : 0n)).toString().padStart(decimals + 1, '0');
  return { integer: digits.slice(0, digits.length - decimals), fraction: digits.slice(digits.length - decimals) };
}

/** The number in canonical form ("-1234.50"), or undefined when the text is not a number in that format. */
export function reformatNumber(text: string, format: NumberFormat): string | undefined {
  const parsed = parseNumber(text, format);
  if (parsed === undefined) return undefined;
  const { integer, fraction } =
    format.decimals === undefined ? parsed : round(parsed.integer, parsed.fraction, format.decimals);
  const whole = integer.replace(/^0+(?=\d)/, '');
  const zero = /^0*$/.test(whole + fraction);
  const separator = format.outputDecimalSeparator ?? '.';
  return `${parsed.negative && !zero ? '-' : ''}${whole}${fraction === '' ? '' : separator + fraction}`;
}
