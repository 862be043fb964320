import type { ServerResponse } from 'node:http';
import { compositeOperation, createCollection, deleteCollection, updateCollection } from '../api/composite.js';
import { fileStorageBytes, versionBlob } from '../api/files.js';
import { query, queryMore } from '../api/query.js';
import { basicInfo, createRecord, describeGlobal, describeObject, deleteRecord, findRecord, getRecord, objectOf, retrieveMany, updateRecord } from '../api/records.js';
import type { ApiOperation, ApiRequest, ApiResult } from '../api/types.js';
import type { SandboxContext } from '../context.js';
import { readJson } from '../http/body.js';
import { readMultipartInsert } from '../http/multipart.js';
import { apiError, sendEmpty, sendJson } from '../http/respond.js';
import { Router, type RouteRequest } from '../http/router.js';

const GB = 1024 * 1024 * 1024;
/** Multipart bodies: 2 GB for ContentVersion, 500 MB for other blob objects. */
const maxMultipartBytes = (type: string): number => (type === 'ContentVersion' ? 2 * GB : 500 * 1024 * 1024);

const DATA = '/services/data/:version';

/** The REST resources under `/services/data`, each reachable over HTTP and, where allowed, inside Composite. */
export function registerRestRoutes(router: Router, ctx: SandboxContext): void {
  const api = new Router<ApiOperation>();
  api.add('GET', `${DATA}/limits`, limits);
  api.add('GET', `${DATA}/sobjects`, describeGlobal);
  api.add('GET', `${DATA}/sobjects/:type/describe`, describeObject);
  api.add('GET', `${DATA}/sobjects/:type`, basicInfo);
  api.add('POST', `${DATA}/sobjects/:type`, createRecord);
  api.add('GET', `${DATA}/sobjects/:type/:id`, getRecord);
  api.add('PATCH', `${DATA}/sobjects/:type/:id`, updateRecord);
  api.add('DELETE', `${DATA}/sobjects/:type/:id`, deleteRecord);
  api.add('GET', `${DATA}/query`, query);
  api.add('GET', `${DATA}/queryAll`, query);
  api.add('GET', `${DATA}/query/:locator`, queryMore);
  api.add('POST', `${DATA}/composite/sobjects`, createCollection);
  api.add('PATCH', `${DATA}/composite/sobjects`, updateCollection);
  api.add('DELETE', `${DATA}/composite/sobjects`, deleteCollection);
  api.add('POST', `${DATA}/composite/sobjects/:type`, retrieveMany);
  api.add('POST', `${DATA}/composite`, compositeOperation(api));

  router.add('GET', '/services/data', async (_req, res) => {
    sendJson(
      res,
      200,
      ctx.apiVersions.map((v) => ({ label: releaseName(v), url: `/services/data/v${v}`, version: v })),
    );
  });
  router.add('GET', DATA, async (req, res) => {
    const v = checkVersion(ctx, req.params['version']);
    const base = `/services/data/v${v}`;
    sendJson(res, 200, {
      sobjects: `${base}/sobjects`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
      composite: `${base}/composite`,
      limits: `${base}/limits`,
      identity: `${ctx.baseUrl()}/id/${ctx.orgId}/${req.principal?.userId ?? ctx.defaultUser.id}`,
    });
  });
  // Blob downloads stream and are not allowed inside Composite, so they are HTTP-only.
  router.add('GET', `${DATA}/sobjects/:type/:id/:field`, async (req, res) => {
    await sendBlob(ctx, toApiRequest(ctx, req, undefined), req, res);
  });
  router.add('POST', `${DATA}/sobjects/:type`, async (req, res) => {
    const type = req.params['type'] ?? '';
    if (!/^multipart\/form-data/i.test(req.raw.headers['content-type'] ?? '')) {
      send(res, await createRecord(toApiRequest(ctx, req, await readJson(req.raw))));
      return;
    }
    const def = objectOf(toApiRequest(ctx, req, undefined), type);
    if (def.blobField === undefined) throw apiError(400, 'INVALID_TYPE', `${def.name} has no binary field to upload`);
    const upload = await readMultipartInsert(req.raw, ctx.store, def.blobField, maxMultipartBytes(def.name));
    try {
      send(res, await createRecord(toApiRequest(ctx, req, upload.entity), upload.blob));
    } catch (e) {
      if (upload.blob !== undefined) await ctx.store.removeBlob(upload.blob.key);
      throw e;
    }
  });
  for (const method of ['GET', 'POST', 'PATCH', 'DELETE']) {
    // Every API resource, routed by the same table Composite uses.
    router.add(method, `${DATA}/*rest`, async (req, res) => {
      const match = api.match(method, req.url.pathname);
      if (match === undefined) throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
      if (match === 'method') throw apiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed.`);
      const body = method === 'GET' || method === 'DELETE' ? undefined : await readJson(req.raw);
      send(res, await match.handler(toApiRequest(ctx, { ...req, params: match.params }, body)));
    });
  }
}

function toApiRequest(ctx: SandboxContext, req: RouteRequest, body: unknown): ApiRequest {
  if (req.principal === undefined) throw apiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.raw.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  return {
    ctx,
    params: req.params,
    query: req.url.searchParams,
    body,
    headers,
    principal: req.principal,
    version: checkVersion(ctx, req.params['version']),
    undo: [],
  };
}

function send(res: ServerResponse, result: ApiResult): void {
  if (result.status === 204) sendEmpty(res, 204);
  else sendJson(res, result.status, result.body);
}

function checkVersion(ctx: SandboxContext, text: string | undefined): string {
  const version = (text ?? '').replace(/^v/, '');
  if (!ctx.apiVersions.includes(version)) throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return version;
}

async function limits(req: ApiRequest): Promise<ApiResult> {
  const s = req.ctx.settings;
  const usedMb = Math.ceil(fileStorageBytes(req.ctx) / (1024 * 1024));
  const limit = (max: number, remaining: number): { Max: number; Remaining: number } => ({ Max: max, Remaining: Math.max(0, remaining) });
  return {
    status: 200,
    body: {
      DailyApiRequests: limit(s.dailyApiLimit, s.dailyApiLimit - s.apiUsed),
      FileStorageMB: limit(s.fileStorageMb, s.fileStorageMb - usedMb),
      DataStorageMB: limit(5, 5),
      ConcurrentAsyncGetReportInstances: limit(200, 200),
      DailyBulkV2QueryJobs: limit(10_000, 10_000),
    },
  };
}

/** Streams a blob field's bytes, honouring one `Range` as an extra. */
async function sendBlob(ctx: SandboxContext, req: ApiRequest, raw: RouteRequest, res: ServerResponse): Promise<void> {
  const def = objectOf(req, req.params['type']);
  const field = req.params['field'] ?? '';
  if (def.blobField === undefined || def.blobField.toLowerCase() !== field.toLowerCase()) {
    throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }
  const record = findRecord(req, def, req.params['id']);
  const blob = versionBlob(ctx, record);
  if (blob === undefined) throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const range = /^bytes=(\d+)-(\d*)$/.exec(raw.raw.headers.range ?? '');
  let start = 0;
  let end = blob.size - 1;
  let status = 200;
  if (range !== null && blob.size > 0) {
    start = Number(range[1]);
    end = range[2] === '' || range[2] === undefined ? blob.size - 1 : Math.min(Number(range[2]), blob.size - 1);
    if (start > end) {
      res.writeHead(416, { 'Content-Range': `bytes */${blob.size}`, 'Content-Length': 0 });
      res.end();
      return;
    }
    status = 206;
  }
  res.writeHead(status, {
    'Content-Type': 'application/octetstream',
    'Content-Length': blob.size === 0 ? 0 : end - start + 1,
    ...(status === 206 ? { 'Content-Range': `bytes ${start}-${end}/${blob.size}` } : {}),
  });
  if (blob.size === 0) {
    res.end();
    return;
  }
  const stream = ctx.store.openBlob(blob.key, { start, end });
  await new Promise<void>((resolve) => {
    stream.once('error', () => {
      res.destroy();
      resolve();
    });
    res.once('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}

function releaseName(version: string): string {
  const major = Number(version.split('.')[0]);
  // Three releases a year since Spring '13 (v27.0).
  const index = major - 27;
  const season = ['Spring', 'Summer', 'Winter'][((index % 3) + 3) % 3] ?? 'Spring';
  const year = 13 + Math.floor((index + (season === 'Winter' ? 1 : 0)) / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}
