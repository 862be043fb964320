import { apiError } from '../http/respond.js';
import type { SRecord } from '../OrgStore.js';
import type { SObjectDef } from '../schema.js';
import { deleteContentDocument, insertContentDocumentLink, insertContentVersion } from './files.js';
import { presentRecord, recordUrl } from './present.js';
import type { ApiRequest, ApiResult } from './types.js';
import { checkRecordId, checkValues, deriveFields } from './values.js';

/** The object named in the URL, or the REST API's NOT_FOUND for an unknown one. */
export function objectOf(req: ApiRequest, name: string | undefined): SObjectDef {
  const def = name === undefined ? undefined : req.ctx.store.schema.object(name);
  if (def === undefined) throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return def;
}

export function objectSummary(def: SObjectDef, version: string): Record<string, unknown> {
  const base = `/services/data/v${version}/sobjects/${def.name}`;
  return {
    name: def.name,
    label: def.label,
    labelPlural: def.labelPlural,
    keyPrefix: def.keyPrefix,
    custom: def.custom,
    queryable: def.queryable,
    createable: def.createable,
    updateable: def.updateable,
    deletable: def.deletable,
    retrieveable: true,
    searchable: true,
    urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` },
  };
}

export async function describeGlobal(req: ApiRequest): Promise<ApiResult> {
  const sobjects = req.ctx.store.schema.objects().map((d) => objectSummary(d, req.version));
  return { status: 200, body: { encoding: 'UTF-8', maxBatchSize: 200, sobjects } };
}

export async function describeObject(req: ApiRequest): Promise<ApiResult> {
  const def = objectOf(req, req.params['type']);
  const schema = req.ctx.store.schema;
  const childRelationships = schema
    .objects()
    .flatMap((child) =>
      child.fields
        .filter((f) => f.type === 'reference' && f.referenceTo.includes(def.name))
        .map((f) => ({ childSObject: child.name, field: f.name, relationshipName: null, cascadeDelete: false })),
    );
  return {
    status: 200,
    body: {
      ...objectSummary(def, req.version),
      fields: def.fields.map((f) => ({
        name: f.name,
        label: f.label,
        type: f.type,
        length: f.length,
        nillable: f.nillable,
        createable: f.createable,
        updateable: f.updateable,
        custom: f.custom,
        calculated: f.calculated,
        defaultedOnCreate: f.defaultedOnCreate,
        filterable: f.type !== 'base64' && f.type !== 'textarea',
        nameField: f.name === def.nameField,
        referenceTo: f.referenceTo,
        relationshipName: f.relationshipName,
        picklistValues: f.picklistValues.map((v) => ({ active: true, defaultValue: false, label: v, value: v })),
      })),
      childRelationships,
      recordTypeInfos: [],
    },
  };
}

export async function basicInfo(req: ApiRequest): Promise<ApiResult> {
  const def = objectOf(req, req.params['type']);
  const recent = [...req.ctx.store.all(def.name)].slice(-10).map((r) => presentRecord(def, r, req.version, ['Id', def.nameField]));
  return { status: 200, body: { objectDescribe: objectSummary(def, req.version), recentItems: recent } };
}

function asFields(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw apiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/**
 * Creates one record. `blob` carries a multipart upload's body, already on disk; a JSON upload
 * brings its body base64-encoded in the blob field instead.
 */
export async function createRecord(req: ApiRequest, blob?: { key: string; size: number; md5: string }): Promise<ApiResult> {
  const def = objectOf(req, req.params['type']);
  if (!def.createable) throw apiError(400, 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY', `entity type ${def.name} does not support insert`);
  const values = checkValues(req.ctx.store, def, asFields(req.body), 'create');
  req.ctx.validationRules.check(def.name, values);
  const userId = req.principal.userId;
  let record: SRecord;
  if (def.name === 'ContentVersion') {
    record = await insertContentVersion(req.ctx, values, blob, userId, req.undo);
  } else if (def.name === 'ContentDocumentLink') {
    record = insertContentDocumentLink(req.ctx, values);
    req.undo.push(async () => void req.ctx.store.delete(record.Id));
  } else {
    deriveFields(def, values);
    record = req.ctx.store.insert(def, values, userId);
    deriveFields(def, record);
    req.undo.push(async () => void req.ctx.store.delete(record.Id));
  }
  return { status: 201, body: { id: record.Id, success: true, errors: [] } };
}

export function findRecord(req: ApiRequest, def: SObjectDef, idText: string | undefined): SRecord {
  const id = checkRecordId(def, idText ?? '');
  const record = req.ctx.store.get(id);
  if (record === undefined || req.ctx.store.typeOf(id) !== def.name) {
    throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }
  return record;
}

export async function getRecord(req: ApiRequest): Promise<ApiResult> {
  const def = objectOf(req, req.params['type']);
  const record = findRecord(req, def, req.params['id']);
  const fieldsParam = req.query.get('fields');
  const only = fieldsParam === null ? undefined : fieldsParam.split(',').map((f) => f.trim()).filter((f) => f !== '');
  for (const name of only ?? []) {
    if (req.ctx.store.schema.field(def.name, name) === undefined) {
      throw apiError(400, 'INVALID_FIELD', `No such column '${name}' on sobject of type ${def.name}`);
    }
  }
  return { status: 200, body: presentRecord(def, record, req.version, only) };
}

export async function updateRecord(req: ApiRequest): Promise<ApiResult> {
  const def = objectOf(req, req.params['type']);
  const record = findRecord(req, def, req.params['id']);
  const values = checkValues(req.ctx.store, def, asFields(req.body), 'update');
  req.ctx.validationRules.check(def.name, { ...record, ...values });
  const before = Object.fromEntries(Object.keys(values).map((k) => [k, record[k]]));
  req.ctx.store.update(record.Id, values, req.principal.userId);
  deriveFields(def, record);
  if (def.name === 'ContentDocument' && typeof values['Title'] === 'string') {
    const latest = req.ctx.store.get(String(record['LatestPublishedVersionId']));
    if (latest !== undefined) req.ctx.store.update(latest.Id, { Title: values['Title'] }, req.principal.userId);
  }
  req.undo.push(async () => void req.ctx.store.update(record.Id, before, req.principal.userId));
  return { status: 204 };
}

export async function deleteRecord(req: ApiRequest): Promise<ApiResult> {
  const def = objectOf(req, req.params['type']);
  if (def.name === 'ContentVersion') {
    throw apiError(405, 'METHOD_NOT_ALLOWED', "HTTP Method 'DELETE' not allowed. Allowed are HEAD,GET,PATCH");
  }
  const record = findRecord(req, def, req.params['id']);
  if (!def.deletable) throw apiError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type ${def.name} does not support delete`);
  if (def.name === 'ContentDocument') {
    await deleteContentDocument(req.ctx, record.Id);
    return { status: 204 };
  }
  const removed = deleteWithChildren(req, record.Id);
  req.undo.push(async () => {
    for (const r of removed) req.ctx.store.restore(r.type, r.record);
  });
  return { status: 204 };
}

/**
 * Deletes a record and what dies with it: its file links, and the master-detail children (S-Drive
 * file records) under it. Returns what was removed, so that a rolled-back batch can put it back.
 */
function deleteWithChildren(req: ApiRequest, id: string): Array<{ type: string; record: SRecord }> {
  const store = req.ctx.store;
  const removed: Array<{ type: string; record: SRecord }> = [];
  const drop = (record: SRecord): void => {
    const type = store.typeOf(record.Id);
    if (type === undefined) return;
    removed.push({ type, record: { ...record } });
    store.delete(record.Id);
  };
  for (const link of [...store.all('ContentDocumentLink')]) {
    if (link['LinkedEntityId'] === id) drop(link);
  }
  for (const def of store.schema.objects()) {
    const parentFields = def.fields.filter((f) => f.type === 'reference' && !f.nillable && f.custom);
    if (parentFields.length === 0) continue;
    for (const child of [...store.all(def.name)]) {
      if (parentFields.some((f) => child[f.name] === id)) removed.push(...deleteWithChildren(req, child.Id));
    }
  }
  const self = store.get(id);
  if (self !== undefined) drop(self);
  return removed;
}

/** `POST /composite/sobjects/{type}` with `{ids, fields}`: the records in order, null for unknown ids. */
export async function retrieveMany(req: ApiRequest): Promise<ApiResult> {
  const def = objectOf(req, req.params['type']);
  const body = asFields(req.body);
  const ids = Array.isArray(body['ids']) ? body['ids'].map(String) : [];
  const fields = Array.isArray(body['fields']) ? body['fields'].map(String) : [];
  if (ids.length > 2000) throw apiError(400, 'EXCEEDED_ID_LIMIT', 'Maximum number of ids is 2000');
  const records = ids.map((id) => {
    const r = req.ctx.store.get(id);
    return r === undefined || req.ctx.store.typeOf(id) !== def.name ? null : presentRecord(def, r, req.version, fields);
  });
  return { status: 200, body: records };
}

export { recordUrl };
