import { randomBytes } from 'node:crypto';
import type { SandboxContext } from '../context.js';
import { apiError } from '../http/respond.js';
import { parseSoql, runSoql, SoqlError } from '../soql/index.js';
import type { ApiRequest, ApiResult } from './types.js';

interface Cursor {
  readonly records: ReadonlyArray<Record<string, unknown>>;
  readonly totalSize: number;
  readonly pageSize: number;
  readonly expiresAt: number;
}

/** Query locators live 15 minutes, as an idle server-side cursor does in a real org. */
const CURSOR_LIFETIME_MS = 15 * 60 * 1000;
const cursorsByOrg = new WeakMap<SandboxContext, Map<string, Cursor>>();

function cursorsOf(ctx: SandboxContext): Map<string, Cursor> {
  let cursors = cursorsByOrg.get(ctx);
  if (cursors === undefined) {
    cursors = new Map();
    cursorsByOrg.set(ctx, cursors);
  }
  return cursors;
}

function pageSizeOf(req: ApiRequest): number {
  const option = /batchSize\s*=\s*(\d+)/i.exec(req.headers['sforce-query-options'] ?? '');
  const asked = option?.[1] === undefined ? undefined : Number(option[1]);
  const configured = req.ctx.settings.queryPageSize;
  // `Sforce-Query-Options: batchSize=N` is a wish between 200 and 2,000, never above the org's page size.
  return asked !== undefined && Number.isFinite(asked) ? Math.min(configured, Math.max(200, Math.min(2000, asked))) : configured;
}

function page(req: ApiRequest, locator: string, cursor: Cursor, offset: number): ApiResult {
  const records = cursor.records.slice(offset, offset + cursor.pageSize);
  const next = offset + records.length;
  const done = next >= cursor.records.length;
  if (done) cursorsOf(req.ctx).delete(locator);
  return {
    status: 200,
    body: {
      totalSize: cursor.totalSize,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v${req.version}/query/${locator}-${next}` }),
      records,
    },
  };
}

/** `GET /query?q=` and `/queryAll?q=`: the first page, with a locator for the rest. */
export async function query(req: ApiRequest): Promise<ApiResult> {
  const text = req.query.get('q');
  if (text === null || text.trim() === '') throw apiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  let result;
  try {
    const store = req.ctx.store;
    const data = { schema: store.schema, records: (type: string) => store.all(type), get: (id: string) => store.get(id), typeOf: (id: string) => store.typeOf(id) };
    result = runSoql(parseSoql(text), data, { version: req.version });
  } catch (e) {
    if (e instanceof SoqlError) throw apiError(400, e.errorCode, e.message);
    throw e;
  }
  const now = Date.now();
  const cursors = cursorsOf(req.ctx);
  for (const [id, c] of cursors) if (c.expiresAt < now) cursors.delete(id);
  const locator = `01g${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').slice(0, 15)}`;
  const cursor: Cursor = { records: result.records, totalSize: result.totalSize, pageSize: pageSizeOf(req), expiresAt: now + CURSOR_LIFETIME_MS };
  cursors.set(locator, cursor);
  return page(req, locator, cursor, 0);
}

/** `GET /query/{locator}-{offset}`: the next page of an earlier query. */
export async function queryMore(req: ApiRequest): Promise<ApiResult> {
  const full = req.params['locator'] ?? '';
  const dash = full.lastIndexOf('-');
  const locator = dash > 0 ? full.slice(0, dash) : full;
  const offset = dash > 0 ? Number(full.slice(dash + 1)) : 0;
  const cursor = cursorsOf(req.ctx).get(locator);
  if (cursor === undefined || !Number.isInteger(offset) || offset < 0 || cursor.expiresAt < Date.now()) {
    throw apiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  }
  return page(req, locator, cursor, offset);
}
