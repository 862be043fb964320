import { apiError, SfHttpError, type ApiErrorEntry } from '../http/respond.js';
import type { Router } from '../http/router.js';
import { createRecord, deleteRecord, updateRecord } from './records.js';
import type { ApiOperation, ApiRequest, ApiResult } from './types.js';
import { textOf } from '../../shared/util/textOf.js';

const MAX_COLLECTION = 200;
const MAX_SUBREQUESTS = 25;

interface SaveResult {
  readonly id?: string;
  readonly success: boolean;
  readonly errors: ReadonlyArray<{ statusCode: string; message: string; fields: ReadonlyArray<string> }>;
}

const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

/** sObject Collections report errors with `statusCode`, not the `errorCode` of single-record calls. */
function toSaveErrors(e: unknown): SaveResult['errors'] {
  if (e instanceof SfHttpError && Array.isArray(e.body)) {
    return (e.body as ApiErrorEntry[]).map((entry) => ({ statusCode: entry.errorCode, message: entry.message, fields: entry.fields ?? [] }));
  }
  throw e;
}

async function runAll(
  req: ApiRequest,
  items: ReadonlyArray<unknown>,
  op: (sub: ApiRequest, item: unknown) => Promise<string | undefined>,
): Promise<ApiResult> {
  const body = req.body as Record<string, unknown>;
  const allOrNone = body['allOrNone'] === true || req.query.get('allOrNone') === 'true';
  if (items.length > MAX_COLLECTION) {
    throw apiError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`);
  }
  const results: SaveResult[] = [];
  const undo: Array<() => Promise<void>> = [];
  let failed = false;
  for (const item of items) {
    const sub: ApiRequest = { ...req, undo };
    try {
      const id = await op(sub, item);
      results.push({ ...(id === undefined ? {} : { id }), success: true, errors: [] });
    } catch (e) {
      failed = true;
      results.push({ success: false, errors: toSaveErrors(e) });
    }
  }
  if (allOrNone && failed) {
    for (const fn of undo.reverse()) await fn();
    // A rolled-back insert leaves no record, so its result names none; updated and deleted records still exist.
    const rolledBack = (r: SaveResult): SaveResult => ({
      ...(r.id !== undefined && req.ctx.store.get(r.id) !== undefined ? { id: r.id } : {}),
      success: false,
      errors: [ROLLED_BACK],
    });
    return { status: 200, body: results.map((r) => (r.success ? rolledBack(r) : r)) };
  }
  req.undo.push(...undo);
  return { status: 200, body: results };
}

function recordsOf(req: ApiRequest): ReadonlyArray<Record<string, unknown>> {
  const body = req.body;
  const records = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['records'] : undefined;
  if (!Array.isArray(records)) throw apiError(400, 'JSON_PARSER_ERROR', 'The request body must hold a records array');
  return records as ReadonlyArray<Record<string, unknown>>;
}

function typeOfItem(item: Record<string, unknown>): string {
  const attributes = item['attributes'];
  const type = typeof attributes === 'object' && attributes !== null ? (attributes as Record<string, unknown>)['type'] : undefined;
  if (typeof type !== 'string') throw apiError(400, 'INVALID_TYPE', 'Must send a concrete entity type.', []);
  return type;
}

/** `POST /composite/sobjects`: create up to 200 records of any types. */
export async function createCollection(req: ApiRequest): Promise<ApiResult> {
  return runAll(req, recordsOf(req), async (sub, item) => {
    const record = item as Record<string, unknown>;
    const result = await createRecord({ ...sub, params: { type: typeOfItem(record) }, body: record });
    return (result.body as { id: string }).id;
  });
}

/** `PATCH /composite/sobjects`: update up to 200 records, each carrying its `id`. */
export async function updateCollection(req: ApiRequest): Promise<ApiResult> {
  return runAll(req, recordsOf(req), async (sub, item) => {
    const record = { ...(item as Record<string, unknown>) };
    const id = textOf(record['id'] ?? record['Id']);
    delete record['id'];
    delete record['Id'];
    await updateRecord({ ...sub, params: { type: typeOfItem(record), id }, body: record });
    return id;
  });
}

/** `DELETE /composite/sobjects?ids=a,b`: delete up to 200 records of any types. */
export async function deleteCollection(req: ApiRequest): Promise<ApiResult> {
  const ids = (req.query.get('ids') ?? '').split(',').filter((id) => id !== '');
  return runAll({ ...req, body: {} }, ids, async (sub, item) => {
    const id = String(item);
    const type = req.ctx.store.typeOf(id);
    if (type === undefined) throw apiError(404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
    await deleteRecord({ ...sub, params: { type, id } });
    return id;
  });
}

interface SubRequest {
  readonly method: string;
  readonly url: string;
  readonly referenceId: string;
  readonly body?: unknown;
  readonly httpHeaders?: Record<string, string>;
}

/** Replaces `@{ref.path}` with values from earlier subresponses, as Composite does. */
function substitute(text: string, results: ReadonlyMap<string, unknown>): string {
  return text.replace(/@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g, (whole, ref: string, path: string) => {
    if (!results.has(ref)) throw apiError(400, 'PROCESSING_HALTED', `Invalid reference specified. No value for ${ref} found in ${ref}. Provided referenceId ${ref} was not found.`);
    let value: unknown = results.get(ref);
    for (const step of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
      const key = step.startsWith('.') ? step.slice(1) : Number(step.slice(1, -1));
      value = typeof value === 'object' && value !== null ? (value as Record<string | number, unknown>)[key] : undefined;
    }
    if (value === undefined || value === null) throw apiError(400, 'PROCESSING_HALTED', `Invalid reference specified. No value for ${whole}`);
    return textOf(value);
  });
}

/**
 * `POST /composite`: up to 25 subrequests in order, counted as one API call, with `@{ref.field}`
 * references between them. Blob downloads are not allowed inside, as in a real org.
 */
export function compositeOperation(api: Router<ApiOperation>): ApiOperation {
  return async (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    const subs = body?.['compositeRequest'];
    if (!Array.isArray(subs)) throw apiError(400, 'JSON_PARSER_ERROR', 'compositeRequest is required');
    if (subs.length > MAX_SUBREQUESTS) {
      throw apiError(400, 'INVALID_FIELD', `Maximum number of subrequests exceeded. The maximum is ${MAX_SUBREQUESTS}.`);
    }
    const allOrNone = body?.['allOrNone'] === true;
    const bodies = new Map<string, unknown>();
    const responses: Array<{ body: unknown; httpHeaders: Record<string, string>; httpStatusCode: number; referenceId: string }> = [];
    const undo: Array<() => Promise<void>> = [];
    let halted = false;
    for (const raw of subs as SubRequest[]) {
      if (halted) {
        responses.push({
          body: [{ errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.' }],
          httpHeaders: {},
          httpStatusCode: 400,
          referenceId: raw.referenceId,
        });
        continue;
      }
      let result: ApiResult;
      try {
        const url = new URL(substitute(raw.url, bodies), 'http://composite');
        const subBody = raw.body === undefined ? undefined : (JSON.parse(substitute(JSON.stringify(raw.body), bodies)) as unknown);
        const match = api.match(raw.method.toUpperCase(), url.pathname);
        if (match === undefined || match === 'method' || match.label.endsWith('/:field')) {
          throw apiError(400, 'INVALID_URL', `The URL ${raw.url} is not supported in a composite request`);
        }
        const version = (match.params['version'] ?? `v${req.version}`).replace(/^v/, '');
        result = await match.handler({ ...req, params: match.params, query: url.searchParams, body: subBody, version, undo, headers: lower(raw.httpHeaders) });
      } catch (e) {
        if (!(e instanceof SfHttpError)) throw e;
        result = { status: e.status, body: e.body };
      }
      const ok = result.status < 400;
      if (ok) bodies.set(raw.referenceId, result.body);
      responses.push({ body: result.body ?? null, httpHeaders: {}, httpStatusCode: result.status, referenceId: raw.referenceId });
      if (!ok && allOrNone) halted = true;
    }
    if (halted) {
      for (const fn of undo.reverse()) await fn();
      for (const r of responses) {
        if (r.httpStatusCode < 400) {
          r.httpStatusCode = 400;
          r.body = [{ errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.' }];
        }
      }
    } else {
      req.undo.push(...undo);
    }
    return { status: 200, body: { compositeResponse: responses } };
  };
}

function lower(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}
