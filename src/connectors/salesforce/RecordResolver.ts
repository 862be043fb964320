import { TransferError } from '../errors.js';
import type { NamingRule, NamingRuleReading } from './namingRule.js';
import type { FileBearingObject } from './objects.js';
import type { SalesforceSession } from './SalesforceSession.js';
import { chunkForInClause, soqlString } from './soqlText.js';
import { textOf } from '../../shared/util/textOf.js';

export interface ResolvedRecord {
  readonly recordId: string;
  readonly recordName: string;
  /** How the record was found, for previews: the captured field values. */
  readonly matchedOn: Readonly<Record<string, string>>;
}

interface Row {
  readonly Id: string;
  readonly [field: string]: unknown;
}

/** A file's reading that names a record, with the field values in the object's spelling and order. */
interface Match {
  readonly values: ReadonlyArray<string>;
  readonly row: Row;
}

/** A record one of a file's readings names. */
export interface RecordCandidate {
  readonly id: string;
  readonly name: string;
  /** The reading that named it: field → value, in the object's spelling. */
  readonly matchedOn: Readonly<Record<string, string>>;
}

/**
 * What a naming rule makes of one file: its name does not fit the rule (`unreadable`), or its readings
 * (field → value, in the object's spelling) name no record, several, or exactly one. Every kind but
 * `exact` carries the error a transfer reports for it.
 */
export type RecordMatch =
  | { readonly kind: 'unreadable'; readonly error: TransferError }
  | { readonly kind: 'none'; readonly readings: ReadonlyArray<Readonly<Record<string, string>>>; readonly error: TransferError }
  | { readonly kind: 'ambiguous'; readonly readings: ReadonlyArray<Readonly<Record<string, string>>>; readonly candidates: ReadonlyArray<RecordCandidate>; readonly error: TransferError }
  | { readonly kind: 'exact'; readonly readings: ReadonlyArray<Readonly<Record<string, string>>>; readonly record: ResolvedRecord };

/** Each file's match, and what finding them cost in SOQL. */
export interface RecordMatching {
  /** The rule's fields in the object's spelling. */
  readonly fields: ReadonlyArray<string>;
  readonly matches: RecordMatch[];
  /** SOQL queries sent: one per few hundred values, however many files. */
  readonly queries: number;
  /** Rows those queries returned. */
  readonly recordsRead: number;
}

/**
 * Finds the record each file belongs to from its name or folder, by a naming rule. A name can often be
 * read several ways (`INV-ACC-10001-x.pdf` against `INV-{AccountNumber}-{*}`); every reading of every
 * file of the batch is looked up in the same `IN (…)` queries, one per few hundred values, never one
 * per file, and every value is escaped. The records that exist decide: a file with exactly one record
 * among its readings goes there. A file whose name does not fit the rule, finds no record or finds
 * several is reported on its own; nothing is guessed.
 */
export async function resolveRecords(
  session: SalesforceSession,
  object: FileBearingObject,
  rule: NamingRule,
  relativePaths: ReadonlyArray<string>,
  signal?: AbortSignal,
): Promise<Array<ResolvedRecord | TransferError>> {
  const { matches } = await matchRecords(session, object, rule, relativePaths, signal);
  return matches.map((m) => (m.kind === 'exact' ? m.record : m.error));
}

/** As `resolveRecords`, with every file's readings and candidates and the cost, for previews and the naming-rule editor. */
export async function matchRecords(
  session: SalesforceSession,
  object: FileBearingObject,
  rule: NamingRule,
  relativePaths: ReadonlyArray<string>,
  signal?: AbortSignal,
): Promise<RecordMatching> {
  const fields = await checkFields(session, object, rule, signal);
  const valuesOf = (reading: NamingRuleReading): string[] => fields.map((f) => reading[fieldKey(rule, f)] ?? '');
  const named = (values: ReadonlyArray<string>): Record<string, string> => Object.fromEntries(fields.map((f, j) => [f, values[j] ?? '']));
  const files = relativePaths.map((path) => {
    const readings = rule.readings(path);
    return { path, readings: readings instanceof TransferError ? readings : distinctIgnoringCase(readings.map(valuesOf)) };
  });
  const wanted = files.flatMap((f) => (f.readings instanceof TransferError ? [] : f.readings));
  const found = await findRows(session, object, rule, fields, wanted, signal);
  const byKey = new Map<string, Row[]>();
  for (const row of found.rows) {
    const key = keyOf(fields.map((f) => row[f]));
    byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }
  const matches = files.map(({ path, readings }): RecordMatch => {
    if (readings instanceof TransferError) return { kind: 'unreadable', error: readings };
    const read = readings.map(named);
    const hits = readings.flatMap((values) => (byKey.get(keyOf(values)) ?? []).map((row): Match => ({ values, row })));
    const [only, second] = hits;
    if (only === undefined) {
      return { kind: 'none', readings: read, error: new TransferError('notFound', `No ${object.name} has ${conditions(fields, readings)} (file ${path})`, { path }) };
    }
    if (second !== undefined) {
      const candidates = hits.map((m) => ({ id: m.row.Id, name: nameOf(object, m.row), matchedOn: named(m.values) }));
      return { kind: 'ambiguous', readings: read, candidates, error: ambiguity(object, fields, path, hits, candidates) };
    }
    return { kind: 'exact', readings: read, record: { recordId: only.row.Id, recordName: nameOf(object, only.row), matchedOn: named(only.values) } };
  });
  return { fields, matches, queries: found.queries, recordsRead: found.rows.length };
}

function nameOf(object: FileBearingObject, row: Row): string {
  return textOf(row[object.nameField] ?? row.Id);
}

/**
 * The records whose fields hold one of the wanted value sets: the lead field's values in chunks, the
 * other fields' values in each query, and the exact combinations checked by the caller.
 */
async function findRows(
  session: SalesforceSession,
  object: FileBearingObject,
  rule: NamingRule,
  fields: ReadonlyArray<string>,
  wanted: ReadonlyArray<ReadonlyArray<string>>,
  signal?: AbortSignal,
): Promise<{ rows: Row[]; queries: number }> {
  const [lead, ...others] = fields;
  if (lead === undefined) throw new TransferError('config', `${rule.describe()} captures no field of ${object.name}`);
  const column = (j: number): string[] => [...new Set(wanted.map((values) => values[j] ?? ''))];
  const extra = others.map((f, j) => ` AND ${f} IN (${column(j + 1).map(soqlString).join(',')})`).join('');
  const selected = [...new Set(['Id', object.nameField, ...fields])].join(', ');
  const rows: Row[] = [];
  let queries = 0;
  for (const chunk of chunkForInClause(column(0))) {
    queries++;
    rows.push(
      ...(await session.query<Row>(
        `SELECT ${selected} FROM ${object.name} WHERE ${lead} IN (${chunk.map(soqlString).join(',')})${extra}`,
        `the ${object.name} records named in ${rule.describe()}`,
        signal,
      )),
    );
  }
  return { rows, queries };
}

/** A file that names several records, by one reading or by several, listed so that someone can fix the name or the data. */
/** A file whose name names several records: the error a transfer reports, with the records, for previews to list. */
export class AmbiguousRecordError extends TransferError {
  constructor(
    message: string,
    path: string,
    readonly candidates: ReadonlyArray<RecordCandidate>,
  ) {
    super('validation', message, { path });
  }
}

function ambiguity(object: FileBearingObject, fields: ReadonlyArray<string>, path: string, matches: ReadonlyArray<Match>, candidates: ReadonlyArray<RecordCandidate>): TransferError {
  const meant = distinctIgnoringCase(matches.map((m) => m.values));
  const listed = matches.map((m) => (meant.length > 1 ? `${m.row.Id} (${conditions(fields, [m.values])})` : m.row.Id));
  return new AmbiguousRecordError(`${matches.length} ${object.name} records have ${conditions(fields, meant)}, so ${path} is not attached: ${listed.join(', ')}`, path, candidates);
}

/** `AccountNumber = 'A' or AccountNumber = 'A-1'`; several fields of one reading are joined by `and`, in parentheses among others. */
function conditions(fields: ReadonlyArray<string>, readings: ReadonlyArray<ReadonlyArray<string>>): string {
  const each = readings.map((values) => fields.map((f, j) => `${f} = '${values[j] ?? ''}'`).join(' and '));
  return fields.length > 1 && each.length > 1 ? each.map((c) => `(${c})`).join(' or ') : each.join(' or ');
}

/** SOQL compares text regardless of case, so readings that differ only in case name the same records. */
function keyOf(values: ReadonlyArray<unknown>): string {
  return JSON.stringify(values.map((v) => textOf(v).toLowerCase()));
}

/** The readings in their order, each once regardless of case, in its first spelling. */
function distinctIgnoringCase(readings: ReadonlyArray<ReadonlyArray<string>>): Array<ReadonlyArray<string>> {
  const byKey = new Map<string, ReadonlyArray<string>>();
  for (const values of readings) {
    const key = keyOf(values);
    if (!byKey.has(key)) byKey.set(key, values);
  }
  return [...byKey.values()];
}

/** The rule's capture name for a field, as written in the template. */
function fieldKey(rule: NamingRule, canonical: string): string {
  return rule.fields.find((f) => f.toLowerCase() === canonical.toLowerCase()) ?? canonical;
}

/** The rule's fields in the object's own spelling; a field the object lacks is a configuration error. */
async function checkFields(session: SalesforceSession, object: FileBearingObject, rule: NamingRule, signal?: AbortSignal): Promise<string[]> {
  const describe = await session.json<{ fields: Array<{ name: string; filterable?: boolean }> }>(
    'GET',
    `/sobjects/${object.name}/describe`,
    `the fields of ${object.name}`,
    undefined,
    signal,
  );
  return rule.fields.map((f) => {
    const field = describe.fields.find((d) => d.name.toLowerCase() === f.toLowerCase());
    if (field === undefined) {
      throw new TransferError('config', `${rule.describe()} uses {${f}}, but ${object.name} has no field ${f}`);
    }
    return field.name;
  });
}
