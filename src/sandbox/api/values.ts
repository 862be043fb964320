import { looksLikeId, normalizeId } from '../ids.js';
import type { OrgStore } from '../OrgStore.js';
import type { FieldDef, SObjectDef } from '../schema.js';
import { apiError } from '../http/respond.js';
import { textOf } from '../../shared/util/textOf.js';

export type SaveMode = 'create' | 'update';

/**
 * Checks and converts the fields of a record being saved, as the REST API does: unknown and read-only
 * fields, types, lengths, references and required fields, each refused with Salesforce's error code.
 * Returns canonical field names; a base64 field comes back decoded as a Buffer.
 */
export function checkValues(store: OrgStore, def: SObjectDef, input: Record<string, unknown>, mode: SaveMode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(input)) {
    if (key === 'attributes' || (mode === 'update' && key.toLowerCase() === 'id')) continue;
    const field = store.schema.field(def.name, key);
    if (field === undefined) throw apiError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`, []);
    const writable = mode === 'create' ? field.createable : field.updateable;
    if (!writable) {
      throw apiError(
        400,
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        [field.name],
      );
    }
    out[field.name] = convert(store, field, raw);
  }
  if (mode === 'create') {
    const missing = def.fields
      .filter((f) => f.createable && !f.nillable && !f.defaultedOnCreate && f.type !== 'boolean')
      .filter((f) => out[f.name] === undefined || out[f.name] === null || out[f.name] === '')
      .map((f) => f.name);
    if (missing.length > 0) throw apiError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
  }
  return out;
}

function convert(store: OrgStore, field: FieldDef, raw: unknown): unknown {
  if (raw === null || raw === undefined) {
    if (!field.nillable && field.type !== 'boolean') {
      throw apiError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${field.name}]`, [field.name]);
    }
    return null;
  }
  const wrongType = (): Error =>
    apiError(400, 'INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${textOf(raw)}`, [field.name]);
  switch (field.type) {
    case 'boolean':
      if (typeof raw !== 'boolean') throw wrongType();
      return raw;
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) throw wrongType();
      return field.type === 'int' ? Math.trunc(n) : n;
    }
    case 'date':
      if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw))) throw wrongType();
      return raw;
    case 'datetime': {
      if (typeof raw !== 'string' || Number.isNaN(Date.parse(raw))) throw wrongType();
      return new Date(raw).toISOString().replace('Z', '+0000');
    }
    case 'base64':
      if (typeof raw !== 'string') throw wrongType();
      return Buffer.from(raw, 'base64');
    case 'reference':
      return checkReference(store, field, raw);
    case 'id':
      throw wrongType();
    default: {
      if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') throw wrongType();
      const text = String(raw);
      if (field.length > 0 && text.length > field.length) {
        throw apiError(400, 'STRING_TOO_LONG', `${field.label}: data value too large: ${text.slice(0, 40)} (max length=${field.length})`, [field.name]);
      }
      return text;
    }
  }
}

function checkReference(store: OrgStore, field: FieldDef, raw: unknown): string {
  const text = String(raw);
  const id = typeof raw === 'string' ? normalizeId(raw) : undefined;
  if (id === undefined) throw apiError(400, 'MALFORMED_ID', `${field.label}: id value of incorrect type: ${text}`, [field.name]);
  const target = store.schema.objectOfId(id);
  if (field.referenceTo.length > 0 && (target === undefined || !field.referenceTo.includes(target.name))) {
    throw apiError(400, 'FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${text}`, [field.name]);
  }
  if (field.referenceTo.length > 0 && store.get(id) === undefined) {
    throw apiError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [field.name]);
  }
  return id;
}

/** The record id in a URL, or the REST API's errors for a malformed or foreign one. */
export function checkRecordId(def: SObjectDef, text: string): string {
  const id = normalizeId(text);
  if (id === undefined || !looksLikeId(text)) throw apiError(400, 'MALFORMED_ID', `${def.name} ID: id value of incorrect type: ${text}`);
  if (!id.startsWith(def.keyPrefix)) throw apiError(400, 'MALFORMED_ID', `${def.name} ID: id value of incorrect type: ${text}`);
  return id;
}

/** Fields Salesforce derives on save: compound names, closed flags, formula fields. */
export function deriveFields(def: SObjectDef, record: Record<string, unknown>): void {
  const has = (name: string): boolean => def.fields.some((f) => f.name === name);
  if ((def.name === 'Contact' || def.name === 'Lead' || def.name === 'User') && has('Name')) {
    record['Name'] = [record['FirstName'], record['LastName']].filter((p) => typeof p === 'string' && p !== '').join(' ');
  }
  if (def.name === 'Opportunity') record['IsClosed'] = textOf(record['StageName']).startsWith('Closed');
  if (def.name === 'Case') record['IsClosed'] = record['Status'] === 'Closed';
  const sizeField = def.fields.find((f) => f.name.endsWith('File_Size__c'));
  const bytesField = def.fields.find((f) => f.name.endsWith('File_Size_in_Bytes__c'));
  if (sizeField !== undefined && bytesField !== undefined) {
    const bytes = record[bytesField.name];
    record[sizeField.name] = typeof bytes === 'number' ? humanSize(bytes) : null;
  }
}

function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit] ?? 'TB'}`;
}
