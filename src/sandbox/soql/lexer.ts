import { positionedError, unexpectedToken } from './errors.js';

interface At {
  /** Offset of the token's first character in the query text. */
  readonly pos: number;
  /** The token as written. */
  readonly text: string;
}

/** Names, keywords and dotted paths alike: SOQL keywords are not reserved where a name is expected (`FROM Order`). */
export type WordToken = At & { readonly kind: 'word' };
export type StringToken = At & {
  readonly kind: 'string';
  /** The value with its escapes decoded. */
  readonly value: string;
  /** The value as a LIKE pattern: a regular expression source where only unescaped `%` and `_` are wildcards. */
  readonly likeSource: string;
};
export type NumberToken = At & { readonly kind: 'number'; readonly value: number };
/** `2024-01-31`: the UTC midnight starting that day. */
export type DateToken = At & { readonly kind: 'date'; readonly ms: number };
export type DateTimeToken = At & { readonly kind: 'datetime'; readonly ms: number };
export type SymbolToken = At & { readonly kind: 'symbol' };
export type EofToken = At & { readonly kind: 'eof' };
export type Token = WordToken | StringToken | NumberToken | DateToken | DateTimeToken | SymbolToken | EofToken;

const WORD = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const NUMBER = /[+-]?\d+(?:\.\d+)?/y;
const DATE = /(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z|[+-]\d{2}:?\d{2})?)?(?![\w:.])/y;
const SYMBOLS = ['!=', '<>', '<=', '>=', '=', '<', '>', '(', ')', ',', ':'];
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };

function sticky(re: RegExp, text: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(text);
}

function regexLiteral(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function readString(text: string, start: number): StringToken {
  let value = '';
  let likeSource = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (ch === "'") {
      return { kind: 'string', pos: start, text: text.slice(start, i + 1), value, likeSource: `^${likeSource}$` };
    }
    if (ch === '\\') {
      const next = text.charAt(i + 1);
      const decoded = next === '%' || next === '_' ? next : ESCAPES[next];
      if (decoded === undefined) {
        const sequence = `\\${next}`;
        throw positionedError(
          'MALFORMED_QUERY',
          text,
          i,
          `Invalid string literal '${text.slice(start + 1, i + 2)}'. Illegal character sequence '${sequence}' in string literal.`,
        );
      }
      value += decoded;
      likeSource += regexLiteral(decoded);
      i += 2;
      continue;
    }
    value += ch;
    likeSource += ch === '%' ? '.*' : ch === '_' ? '.' : regexLiteral(ch);
    i++;
  }
  throw positionedError('MALFORMED_QUERY', text, start, `unterminated string literal: '${text.slice(start)}'`);
}

function readDate(text: string, m: RegExpExecArray, pos: number): DateToken | DateTimeToken {
  const [whole, y, mo, d, h, mi, s, ms, zone] = m;
  const day = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  const check = new Date(day);
  if (check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) {
    throw unexpectedToken(text, pos, whole);
  }
  if (h === undefined) return { kind: 'date', pos, text: whole, ms: day };
  if (zone === undefined || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) throw unexpectedToken(text, pos, whole);
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  const instant = day + ((Number(h) * 60 + Number(mi)) * 60 + Number(s)) * 1000 + Number((ms ?? '').padEnd(3, '0')) - offsetMinutes * 60_000;
  return { kind: 'datetime', pos, text: whole, ms: instant };
}

/** Splits a query into tokens; the list always ends with an `eof` token at the end of the text. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'") {
      const token = readString(text, i);
      tokens.push(token);
      i += token.text.length;
      continue;
    }
    const date = /\d/.test(ch) ? sticky(DATE, text, i) : null;
    if (date !== null) {
      tokens.push(readDate(text, date, i));
      i += date[0].length;
      continue;
    }
    const number = sticky(NUMBER, text, i);
    if (number !== null) {
      tokens.push({ kind: 'number', pos: i, text: number[0], value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const word = sticky(WORD, text, i);
    if (word !== null) {
      tokens.push({ kind: 'word', pos: i, text: word[0] });
      i += word[0].length;
      continue;
    }
    const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
    if (symbol === undefined) throw unexpectedToken(text, i, ch);
    tokens.push({ kind: 'symbol', pos: i, text: symbol });
    i += symbol.length;
  }
  tokens.push({ kind: 'eof', pos: text.length, text: '<EOF>' });
  return tokens;
}
