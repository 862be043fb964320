import { pipeline } from 'node:stream/promises';
import type { SandboxContext } from '../context.js';
import type { RouteRequest, Router, ServerResponse } from '../http/router.js';
import { getS3Object, type S3Object } from './objects.js';
import { S3Failure, sendS3Error } from './s3Errors.js';
import { receiveUpload } from './s3Upload.js';
import { keyPath, s3Keys, verifyPresignedGet } from './signing.js';

/** The one bucket of the sandbox, standing in for the customer's S-Drive bucket. */
export const BUCKET_NAME = 'ferry-sandbox-bucket';

type ByteRange = { readonly start: number; readonly end: number };

/** One `bytes=` range as S3 reads it; undefined when the header is absent or not one range (the whole object is sent). */
function byteRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null) return undefined;
  const [, first = '', last = ''] = m;
  if (first === '') {
    if (last === '') return undefined;
    const suffix = Number(last);
    return suffix === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

function objectHeaders(object: S3Object, query: URLSearchParams): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': query.get('response-content-type') ?? object.contentType,
    ETag: `"${object.md5}"`,
    'Last-Modified': object.lastModified,
    'Accept-Ranges': 'bytes',
    'x-amz-version-id': object.versionId,
    'x-amz-server-side-encryption': 'AES256',
  };
  const disposition = query.get('response-content-disposition') ?? object.contentDisposition;
  if (disposition !== null) headers['Content-Disposition'] = disposition;
  for (const [name, value] of Object.entries(object.metadata)) headers[name] = value;
  return headers;
}

async function download(ctx: SandboxContext, req: RouteRequest, res: ServerResponse): Promise<void> {
  const key = req.params['key'] ?? '';
  verifyPresignedGet(s3Keys(ctx.store), BUCKET_NAME, key, req.url.searchParams, new Date());
  const object = getS3Object(ctx.store, key);
  if (object === undefined) throw new S3Failure(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
  const headers = objectHeaders(object, req.url.searchParams);
  const range = byteRange(req.raw.headers.range, object.size);
  if (range === 'unsatisfiable') {
    throw new S3Failure(416, 'InvalidRange', 'The requested range is not satisfiable', { ActualObjectSize: String(object.size) });
  }
  if (range === undefined) {
    res.writeHead(200, { ...headers, 'Content-Length': object.size });
  } else {
    res.writeHead(206, {
      ...headers,
      'Content-Length': range.end - range.start + 1,
      'Content-Range': `bytes ${range.start}-${range.end}/${object.size}`,
    });
  }
  await pipeline(ctx.store.openBlob(object.blobKey, range), res);
}

async function upload(ctx: SandboxContext, req: RouteRequest, res: ServerResponse): Promise<void> {
  const outcome = await receiveUpload(ctx, BUCKET_NAME, req.raw);
  res.writeHead(204, {
    ETag: `"${outcome.object.md5}"`,
    'x-amz-version-id': outcome.object.versionId,
    'x-amz-server-side-encryption': 'AES256',
    Location: `${ctx.baseUrl()}${keyPath(BUCKET_NAME, outcome.key)}`,
  });
  res.end();
}

/** Answers S3's failures in S3's XML, for the one bucket there is. */
function s3Route(ctx: SandboxContext, handler: typeof download) {
  return async (req: RouteRequest, res: ServerResponse): Promise<void> => {
    try {
      if (req.params['bucket'] !== BUCKET_NAME) {
        req.raw.resume();
        throw new S3Failure(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: req.params['bucket'] ?? '' });
      }
      await handler(ctx, req, res);
    } catch (e) {
      if (!(e instanceof S3Failure) || res.headersSent) throw e;
      sendS3Error(res, e);
    }
  };
}

/**
 * The fake S3 bucket S-Drive files live in: browser-based POST uploads and presigned GET downloads.
 * Neither is a Salesforce API call, so neither is authenticated by token nor counted.
 */
export function registerS3Routes(router: Router, ctx: SandboxContext): void {
  router.add('POST', '/s3/:bucket', s3Route(ctx, upload));
  router.add('GET', '/s3/:bucket/*key', s3Route(ctx, download));
}
