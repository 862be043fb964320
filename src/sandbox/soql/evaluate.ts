import { normalizeId } from '../ids.js';
import type { SRecord } from '../OrgStore.js';
import type { Schema } from '../schema.js';
import type { CompareOp, Literal, SoqlQuery } from './ast.js';
import { type FilterPlan, type Hop, type OrderPlan, type Plan, type ResolvedField, planQuery } from './resolve.js';
import { type TimeRange, type ValueKind, compareValues, equalityKey, idKey, kindOf, rangeOf, timeOf } from './values.js';

/** The org as a query sees it. */
export interface QueryData {
  readonly schema: Schema;
  /** Every record of a type, given its canonical object name. */
  records(type: string): Iterable<SRecord>;
  /** Any record by its 15- or 18-character id. */
  get(id: string): SRecord | undefined;
  /** The canonical object name of an id's record. */
  typeOf(id: string): string | undefined;
}

export interface QueryOutput {
  readonly totalSize: number;
  readonly records: ReadonlyArray<Record<string, unknown>>;
}

export interface RunOptions {
  /** The API version of the request, e.g. '64.0': it appears in every record's URL. */
  readonly version: string;
}

/** Reads a field of a record; null, never undefined, when the record or a parent on the way has no value. */
type Value = (record: SRecord) => unknown;
type Test = (value: unknown) => boolean;

type LeafEntry = { readonly key: string; readonly field: ResolvedField };
type ParentEntry = { readonly key: string; readonly hop: Hop; readonly shape: Shape };

/** How the selected fields nest: one entry per field or parent relationship, in SELECT order. */
interface Shape {
  readonly entries: Array<LeafEntry | ParentEntry>;
}

function shapeOf(fields: ReadonlyArray<ResolvedField>): Shape {
  const root: Shape = { entries: [] };
  for (const field of fields) {
    let shape = root;
    for (const hop of field.hops) {
      let parent = shape.entries.find((e): e is ParentEntry => 'shape' in e && e.key === hop.relationship);
      if (parent === undefined) {
        parent = { key: hop.relationship, hop, shape: { entries: [] } };
        shape.entries.push(parent);
      }
      shape = parent.shape;
    }
    shape.entries.push({ key: field.name, field });
  }
  return root;
}

/** The key under which a literal equals field values of a kind; undefined when nothing can equal it. */
function literalKey(kind: ValueKind, literal: Literal): string | number | boolean | undefined {
  if (literal.kind === 'string' && kind === 'id') {
    const id = normalizeId(literal.value);
    return id === undefined ? undefined : idKey(id);
  }
  if (literal.kind === 'string' || literal.kind === 'number' || literal.kind === 'boolean') return equalityKey(kind, literal.value);
  return undefined;
}

type OrderOp = '<' | '<=' | '>' | '>=';

function rangeTest(op: Exclude<CompareOp, 'LIKE'>, range: TimeRange): (ms: number) => boolean {
  switch (op) {
    case '=':
      return (t) => t >= range.start && t < range.end;
    case '!=':
      return (t) => t < range.start || t >= range.end;
    case '<':
      return (t) => t < range.start;
    case '<=':
      return (t) => t < range.end;
    case '>':
      return (t) => t >= range.end;
    case '>=':
      return (t) => t >= range.start;
  }
}

function orderTest(op: OrderOp): (sign: number) => boolean {
  switch (op) {
    case '<':
      return (c) => c < 0;
    case '<=':
      return (c) => c <= 0;
    case '>':
      return (c) => c > 0;
    case '>=':
      return (c) => c >= 0;
  }
}

/**
 * One comparison, compiled once per query. SOQL treats null as a value: `!=` matches null fields,
 * `=` matches them only against `null`, and ordering operators never do.
 */
function comparison(kind: ValueKind, op: CompareOp, literal: Literal, now: number): Test {
  if (op === 'LIKE') {
    if (literal.kind !== 'string') return () => false;
    const pattern = new RegExp(literal.likeSource, 'is');
    return (v) => typeof v === 'string' && pattern.test(v);
  }
  if (literal.kind === 'null') {
    if (op === '=') return (v) => v === null;
    if (op === '!=') return (v) => v !== null;
    return () => false;
  }
  if (kind === 'date' || kind === 'datetime') {
    const range = rangeOf(literal, now);
    if (range === undefined) return () => false;
    const inRange = rangeTest(op, range);
    return (v) => {
      const t = timeOf(v);
      return t === undefined ? op === '!=' : inRange(t);
    };
  }
  const key = literalKey(kind, literal);
  if (op === '=') return (v) => key !== undefined && equalityKey(kind, v) === key;
  if (op === '!=') return (v) => key === undefined || equalityKey(kind, v) !== key;
  const order = orderTest(op);
  const bound = literal.kind === 'string' || literal.kind === 'number' || literal.kind === 'boolean' ? literal.value : undefined;
  return (v) => equalityKey(kind, v) !== undefined && order(compareValues(kind, v, bound));
}

/** IN and NOT IN over literals: a Set lookup per record, whatever the length of the list. */
function membership(kind: ValueKind, values: ReadonlyArray<Literal>, now: number): Test {
  const withNull = values.some((v) => v.kind === 'null');
  let matches: Test;
  if (kind === 'date' || kind === 'datetime') {
    const ranges = values.flatMap((v) => rangeOf(v, now) ?? []);
    matches = (v) => {
      const t = timeOf(v);
      return t !== undefined && ranges.some((r) => t >= r.start && t < r.end);
    };
  } else {
    const keys = new Set(values.map((v) => literalKey(kind, v)));
    keys.delete(undefined);
    matches = (v) => keys.has(equalityKey(kind, v));
  }
  return (v) => (v === null ? withNull : matches(v));
}

class Executor {
  readonly #data: QueryData;
  readonly #version: string;
  readonly #now: number;

  constructor(data: QueryData, version: string, now: number) {
    this.#data = data;
    this.#version = version;
    this.#now = now;
  }

  /** The plan's records after filtering, ordering, OFFSET and LIMIT. */
  rows(plan: Plan): SRecord[] {
    const type = plan.object.name;
    const keep = plan.where === undefined ? () => true : this.#predicate(plan.where, type);
    let rows: SRecord[] = [];
    for (const record of this.#data.records(type)) {
      if (record['IsDeleted'] !== true && keep(record)) rows.push(record);
    }
    if (plan.orderBy.length > 0) rows = this.#sort(rows, plan.orderBy, type);
    const start = plan.offset ?? 0;
    return rows.slice(start, plan.limit === undefined ? undefined : start + plan.limit);
  }

  render(plan: Plan, rows: ReadonlyArray<SRecord>): Array<Record<string, unknown>> {
    const shape = shapeOf(plan.fields);
    return rows.map((r) => this.#render(shape, r, plan.object.name));
  }

  #url(type: string, id: string): string {
    return `/services/data/v${this.#version}/sobjects/${type}/${id}`;
  }

  #render(shape: Shape, record: SRecord, type: string): Record<string, unknown> {
    const out: Record<string, unknown> = { attributes: { type, url: this.#url(type, record.Id) } };
    for (const entry of shape.entries) {
      if ('field' in entry) {
        out[entry.key] = this.#leaf(entry.field, record, type);
      } else {
        const parent = this.#parent(record, entry.hop);
        out[entry.key] = parent === undefined ? null : this.#render(entry.shape, parent.record, parent.type);
      }
    }
    return out;
  }

  /** The parent a reference points to; undefined when it is empty, dangling or deleted. */
  #parent(record: SRecord, hop: Hop): { record: SRecord; type: string } | undefined {
    const id = record[hop.referenceField];
    if (typeof id !== 'string') return undefined;
    const parent = this.#data.get(id);
    const type = this.#data.typeOf(id);
    return parent === undefined || type === undefined || parent['IsDeleted'] === true ? undefined : { record: parent, type };
  }

  #leaf(field: ResolvedField, record: SRecord, type: string): unknown {
    switch (field.role) {
      case 'type':
        return type;
      case 'name': {
        const nameField = this.#data.schema.object(type)?.nameField;
        return nameField === undefined ? null : (record[nameField] ?? null);
      }
      case 'value':
        return field.type === 'base64' ? `${this.#url(type, record.Id)}/${field.name}` : (record[field.name] ?? null);
    }
  }

  #value(field: ResolvedField, rootType: string): Value {
    return (record) => {
      let current = record;
      let type = rootType;
      for (const hop of field.hops) {
        const parent = this.#parent(current, hop);
        if (parent === undefined) return null;
        current = parent.record;
        type = parent.type;
      }
      return this.#leaf(field, current, type);
    };
  }

  #predicate(filter: FilterPlan, type: string): (record: SRecord) => boolean {
    switch (filter.kind) {
      case 'and': {
        const all = filter.operands.map((f) => this.#predicate(f, type));
        return (r) => all.every((p) => p(r));
      }
      case 'or': {
        const any = filter.operands.map((f) => this.#predicate(f, type));
        return (r) => any.some((p) => p(r));
      }
      case 'not': {
        const inner = this.#predicate(filter.operand, type);
        return (r) => !inner(r);
      }
      case 'compare': {
        const value = this.#value(filter.field, type);
        const test = comparison(kindOf(filter.field.type), filter.op, filter.value, this.#now);
        return (r) => test(value(r));
      }
      case 'in': {
        const value = this.#value(filter.field, type);
        const test = membership(kindOf(filter.field.type), filter.values, this.#now);
        return (r) => test(value(r)) !== filter.negated;
      }
      case 'semiJoin': {
        const value = this.#value(filter.field, type);
        const ids = this.#selectedIds(filter.plan, filter.selected);
        return (r) => {
          const v = value(r);
          return (typeof v === 'string' && ids.has(idKey(v))) !== filter.negated;
        };
      }
    }
  }

  /** The id keys a semi-join's subquery selects, computed once for the whole outer query. */
  #selectedIds(plan: Plan, selected: ResolvedField): Set<string> {
    const ids = new Set<string>();
    const value = this.#value(selected, plan.object.name);
    for (const record of this.rows(plan)) {
      const v = value(record);
      if (typeof v === 'string') ids.add(idKey(v));
    }
    return ids;
  }

  #sort(rows: ReadonlyArray<SRecord>, orderBy: ReadonlyArray<OrderPlan>, type: string): SRecord[] {
    const keys = orderBy.map((o) => ({ o, kind: kindOf(o.field.type), value: this.#value(o.field, type) }));
    const decorated = rows.map((record) => ({ record, values: keys.map((k) => k.value(record)) }));
    decorated.sort((a, b) => {
      for (const [i, { o, kind }] of keys.entries()) {
        const c = compareNullable(a.values[i], b.values[i], o, kind);
        if (c !== 0) return c;
      }
      return 0;
    });
    return decorated.map((d) => d.record);
  }
}

/** NULLS FIRST and NULLS LAST place nulls whatever the direction; only other values reverse with DESC. */
function compareNullable(x: unknown, y: unknown, order: OrderPlan, kind: ValueKind): number {
  const xNull = x === null;
  const yNull = y === null;
  if (xNull || yNull) return xNull === yNull ? 0 : xNull === order.nullsFirst ? -1 : 1;
  const c = compareValues(kind, x, y);
  return order.descending ? -c : c;
}

/**
 * Runs a parsed query against the org: checks it against the schema, filters out deleted records,
 * and shapes the records as the REST API does. `COUNT()` answers the count with no records.
 */
export function runSoql(query: SoqlQuery, data: QueryData, opts: RunOptions): QueryOutput {
  const plan = planQuery(query, data.schema);
  const executor = new Executor(data, opts.version, Date.now());
  const rows = executor.rows(plan);
  if (plan.count) return { totalSize: rows.length, records: [] };
  return { totalSize: rows.length, records: executor.render(plan, rows) };
}
