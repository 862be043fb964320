import { TransferError } from '../errors.js';
import type { NamingRule } from './namingRule.js';
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

/**
 * Finds the record each file belongs to from its name or folder, by a naming rule. The values of a
 * whole batch are looked up with one `IN (…)` query per few hundred values, never one query per file,
 * and every value is escaped. A file whose name does not fit the rule, finds no record or finds
 * several is reported on its own; nothing is guessed.
 */
export async function resolveRecords(
  session: SalesforceSession,
  object: FileBearingObject,
  rule: NamingRule,
  relativePaths: ReadonlyArray<string>,
  signal?: AbortSignal,
): Promise<Array<ResolvedRecord | TransferError>> {
  const fields = await checkFields(session, object, rule, signal);
  const captures = relativePaths.map((p) => rule.match(p));
  const [lead, ...others] = fields;
  if (lead === undefined) throw new TransferError('config', `${rule.describe()} captures no field of ${object.name}`);
  const distinct = (field: string): string[] => [...new Set(captures.flatMap((c) => (c?.[fieldKey(rule, field)] === undefined ? [] : [c[fieldKey(rule, field)] ?? ''])))];
  const rows: Row[] = [];
  const leadValues = distinct(lead);
  const extra = others.map((f) => ` AND ${f} IN (${distinct(f).map(soqlString).join(',')})`).join('');
  const selected = [...new Set(['Id', object.nameField, ...fields])].join(', ');
  for (const chunk of chunkForInClause(leadValues)) {
    rows.push(
      ...(await session.query<Row>(
        `SELECT ${selected} FROM ${object.name} WHERE ${lead} IN (${chunk.map(soqlString).join(',')})${extra}`,
        `the ${object.name} records named in ${rule.describe()}`,
        signal,
      )),
    );
  }
  const byKey = new Map<string, Row[]>();
  const keyOf = (values: ReadonlyArray<unknown>): string => JSON.stringify(values.map((v) => textOf(v).toLowerCase()));
  for (const row of rows) {
    const key = keyOf(fields.map((f) => row[f]));
    byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }
  return relativePaths.map((path, i) => {
    const values = captures[i];
    if (values === undefined) {
      return new TransferError('validation', `${path} does not match ${rule.describe()}`, { path });
    }
    const wanted = fields.map((f) => values[fieldKey(rule, f)] ?? '');
    const shown = fields.map((f, j) => `${f} = '${wanted[j] ?? ''}'`).join(' and ');
    const found = byKey.get(keyOf(wanted)) ?? [];
    const [only, second] = found;
    if (only === undefined) return new TransferError('notFound', `No ${object.name} has ${shown} (file ${path})`, { path });
    if (second !== undefined) {
      return new TransferError(
        'validation',
        `${found.length} ${object.name} records have ${shown}, so ${path} is not attached: ${found.map((r) => r.Id).join(', ')}`,
        { path },
      );
    }
    const matchedOn = Object.fromEntries(fields.map((f, j) => [f, wanted[j] ?? '']));
    return { recordId: only.Id, recordName: textOf(only[object.nameField] ?? only.Id), matchedOn };
  });
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
