import type { FieldType } from '../schema.js';
import type { Literal, RelativeDateName } from './ast.js';

/** How values of a field type compare: each kind has its own equality and order. */
export type ValueKind = 'id' | 'text' | 'number' | 'boolean' | 'date' | 'datetime' | 'blob';

export function kindOf(type: FieldType): ValueKind {
  switch (type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'base64':
      return 'blob';
    default:
      return 'text';
  }
}

/** The type name Salesforce uses when a filter value does not fit the field. */
export function typeLabel(type: FieldType): string {
  switch (kindOf(type)) {
    case 'id':
      return 'id';
    case 'number':
      return type === 'int' ? 'integer' : 'double';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'dateTime';
    default:
      return 'string';
  }
}

/** Whether a literal may be compared with a field of this kind; null fits every field. */
export function fits(kind: ValueKind, literal: Literal): boolean {
  switch (literal.kind) {
    case 'null':
      return true;
    case 'string':
      return kind === 'id' || kind === 'text';
    case 'number':
      return kind === 'number';
    case 'boolean':
      return kind === 'boolean';
    case 'date':
      return kind === 'date';
    case 'datetime':
      return kind === 'datetime';
    case 'relativeDate':
      return kind === 'date' || kind === 'datetime';
  }
}

const DAY_MS = 86_400_000;

/** A span of time, start inclusive and end exclusive, in epoch milliseconds. */
export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The time a date or datetime literal stands for. A day covers its 24 hours; a datetime is one
 * millisecond wide, the precision records are stored with. Relative dates count in UTC days.
 */
export function rangeOf(literal: Literal, now: number): TimeRange | undefined {
  switch (literal.kind) {
    case 'date':
      return { start: literal.ms, end: literal.ms + DAY_MS };
    case 'datetime':
      return { start: literal.ms, end: literal.ms + 1 };
    case 'relativeDate':
      return relativeRange(literal.name, literal.n, now);
    default:
      return undefined;
  }
}

function relativeRange(name: RelativeDateName, n: number, now: number): TimeRange {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  switch (name) {
    case 'TODAY':
      return { start: today, end: today + DAY_MS };
    case 'YESTERDAY':
      return { start: today - DAY_MS, end: today };
    case 'LAST_N_DAYS':
      return { start: today - n * DAY_MS, end: today + DAY_MS };
  }
}

/** Epoch milliseconds of a stored date (`2024-01-31`) or datetime (`2024-01-31T10:00:00.000+0000`). */
export function timeOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : ms;
}

/** Id values compare by their first 15 characters, so both written forms of an id match. */
export function idKey(value: string): string {
  return value.slice(0, 15);
}

/**
 * The form in which two values of a kind are equal when their keys are: text ignores case, ids
 * ignore the 18-character suffix. Undefined for null and for values of the wrong shape.
 */
export function equalityKey(kind: ValueKind, value: unknown): string | number | boolean | undefined {
  switch (kind) {
    case 'id':
      return typeof value === 'string' ? idKey(value) : undefined;
    case 'text':
      return typeof value === 'string' ? value.toLowerCase() : undefined;
    case 'number':
      return typeof value === 'number' ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    default:
      return undefined;
  }
}

/** Orders two non-null values of one kind: text ignores case, dates compare as instants. */
export function compareValues(kind: ValueKind, a: unknown, b: unknown): number {
  const x = kind === 'date' || kind === 'datetime' ? timeOf(a) : orderKey(kind, a);
  const y = kind === 'date' || kind === 'datetime' ? timeOf(b) : orderKey(kind, b);
  if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function orderKey(kind: ValueKind, value: unknown): string | number | undefined {
  const key = equalityKey(kind, value);
  return typeof key === 'boolean' ? Number(key) : key;
}
