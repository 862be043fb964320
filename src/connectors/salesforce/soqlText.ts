import { TransferError } from '../errors.js';

/** Salesforce's escape sequences inside a SOQL string literal; any other backslash is a syntax error. */
const LITERAL_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** LIKE treats these as wildcards unless escaped. */
const LIKE_ESCAPES: Readonly<Record<string, string>> = { ...LITERAL_ESCAPES, '%': '\\%', _: '\\_' };

/** A single-quoted SOQL literal that compares equal to `value`. */
export function soqlString(value: string): string {
  return `'${escapeWith(value, LITERAL_ESCAPES, /[\\'"\n\r\t\b\f]/g)}'`;
}

/** A single-quoted LIKE pattern `'%value%'` that finds `value` anywhere, its own `%` and `_` taken literally. */
export function soqlLike(value: string): string {
  return `'%${escapeWith(value, LIKE_ESCAPES, /[\\'"\n\r\t\b\f%_]/g)}%'`;
}

function escapeWith(value: string, escapes: Readonly<Record<string, string>>, pattern: RegExp): string {
  return value.replace(pattern, (c) => escapes[c] ?? c);
}

export interface InClauseLimits {
  /** Values per `IN (…)` list; Salesforce advises a few hundred ids per query. */
  readonly maxItems?: number;
  /**
   * Length of the URL-encoded list `('a','b',…)`. The REST query URI and headers together must stay below
   * 16,384 bytes, so this leaves room for the rest of the statement, the host and the bearer token.
   */
  readonly maxChars?: number;
}

/** Encoded length of the two parentheses around a list. */
const LIST_OVERHEAD = 2 * 3;
/** Encoded length of the comma between two literals. */
const SEPARATOR = 3;

/**
 * Splits `values` into lists for `IN (…)` clauses, each within both limits once quoted with `soqlString`,
 * joined by commas and URL-encoded. Values that differ only in case are sent once (the first spelling
 * wins), because SOQL compares strings case-insensitively; order is otherwise kept. A value too long to fit
 * any list on its own is refused with kind 'validation'.
 */
export function chunkForInClause(values: ReadonlyArray<string>, limits: InClauseLimits = {}): string[][] {
  const maxItems = limits.maxItems ?? 300;
  const maxChars = limits.maxChars ?? 8000;
  if (!Number.isInteger(maxItems) || maxItems < 1) throw new RangeError('maxItems must be a positive integer');
  if (!Number.isInteger(maxChars) || maxChars < 1) throw new RangeError('maxChars must be a positive integer');

  const chunks: string[][] = [];
  let current: string[] = [];
  let length = LIST_OVERHEAD;
  for (const value of distinctIgnoringCase(values)) {
    const cost = encodedLength(soqlString(value));
    if (LIST_OVERHEAD + cost > maxChars) {
      throw new TransferError('validation', `The value ${preview(value)} is too long to send in a query`);
    }
    const full = current.length === maxItems || length + SEPARATOR + cost > maxChars;
    if (current.length > 0 && full) {
      chunks.push(current);
      current = [];
      length = LIST_OVERHEAD;
    }
    length += (current.length === 0 ? 0 : SEPARATOR) + cost;
    current.push(value);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function distinctIgnoringCase(values: ReadonlyArray<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    const key = value.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}

/**
 * Length after percent-encoding every UTF-8 byte except RFC 3986's unreserved characters. That is at
 * least as long as what `encodeURIComponent` (jsforce) or `URLSearchParams` produce, so it is a safe bound.
 */
function encodedLength(text: string): number {
  const bytes = Buffer.byteLength(text, 'utf8');
  const unreserved = text.match(/[A-Za-z0-9\-._~]/g)?.length ?? 0;
  return unreserved + 3 * (bytes - unreserved);
}

function preview(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
