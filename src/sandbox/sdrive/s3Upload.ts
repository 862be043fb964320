import type { IncomingMessage } from 'node:http';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { SandboxContext } from '../context.js';
import { putS3Object, type S3Object } from './objects.js';
import { enforcePolicy } from './policy.js';
import { S3Failure } from './s3Errors.js';
import { s3Keys, verifySignature } from './signing.js';

export interface Uploaded {
  readonly key: string;
  readonly object: S3Object;
}

const REQUIRED_FIELDS = ['key', 'policy', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature'] as const;

function missingField(name: string): S3Failure {
  return new S3Failure(400, 'InvalidArgument', `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`);
}

function malformed(): S3Failure {
  return new S3Failure(400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
}

/** Checks the fields that came before the file; returns the key and the size the policy allows. */
function authorize(ctx: SandboxContext, bucket: string, form: ReadonlyMap<string, string>, now: Date): { key: string; minBytes: number; maxBytes: number } {
  const missing = REQUIRED_FIELDS.find((name) => !form.has(name));
  if (missing !== undefined) throw missingField(missing);
  const field = (name: (typeof REQUIRED_FIELDS)[number]): string => form.get(name) ?? '';
  verifySignature(s3Keys(ctx.store), field('x-amz-credential'), field('policy'), field('x-amz-signature'));
  return { key: field('key'), ...enforcePolicy(field('policy'), form, bucket, now) };
}

/** Streams the file part into the store, failing it once it passes the policy's size cap. */
async function storeFile(ctx: SandboxContext, bucket: string, form: ReadonlyMap<string, string>, file: Readable): Promise<Uploaded> {
  let grant: ReturnType<typeof authorize>;
  try {
    grant = authorize(ctx, bucket, form, new Date());
  } catch (e) {
    file.resume();
    throw e;
  }
  const { key, minBytes, maxBytes } = grant;
  let size = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > maxBytes ? new S3Failure(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { MaxSizeAllowed: String(maxBytes) }) : null, chunk);
    },
  });
  file.on('error', (e) => limiter.destroy(e));
  // The rest of an oversized body is read and dropped so the form can finish and the refusal be sent.
  limiter.on('error', () => {
    file.unpipe(limiter);
    file.resume();
  });
  file.pipe(limiter);
  const blob = await ctx.store.putBlob(limiter);
  if (blob.size < minBytes) {
    await ctx.store.removeBlob(blob.key);
    throw new S3Failure(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', { MinSizeAllowed: String(minBytes) });
  }
  const metadata = Object.fromEntries([...form].filter(([name]) => name.startsWith('x-amz-meta-')));
  const object = await putS3Object(ctx.store, key, blob, {
    // S3's own default when the form names no type; the file part's header does not count.
    contentType: form.get('content-type') ?? 'binary/octet-stream',
    contentDisposition: form.get('content-disposition') ?? null,
    metadata,
  });
  return { key, object };
}

/**
 * Reads a browser-based POST upload as S3 does: fields first, then `file`, whose bytes go straight to
 * disk; fields after the file are ignored. Throws S3's refusal.
 */
export async function receiveUpload(ctx: SandboxContext, bucket: string, req: IncomingMessage): Promise<Uploaded> {
  let parser: busboy.Busboy | undefined;
  try {
    // busboy reads url-encoded forms too; S3 takes only multipart ones.
    if (/^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '')) parser = busboy({ headers: req.headers });
  } catch {
    parser = undefined;
  }
  if (parser === undefined) {
    req.resume();
    throw malformed();
  }
  const form = new Map<string, string>();
  let stored: Promise<Uploaded> | undefined;
  parser.on('field', (name, value) => {
    const field = name.toLowerCase();
    if (stored === undefined && !form.has(field)) form.set(field, value);
  });
  parser.on('file', (name, stream) => {
    if (stored !== undefined || name.toLowerCase() !== 'file') {
      stream.resume();
      return;
    }
    stored = storeFile(ctx, bucket, form, stream);
    // Settled below; a broken form fails the file too, and that failure is reported as the form's.
    stored.catch(() => undefined);
  });
  try {
    await pipeline(req, parser);
  } catch {
    await stored?.catch(() => undefined);
    throw malformed();
  }
  if (stored === undefined) throw new S3Failure(400, 'InvalidArgument', 'POST requires exactly one file upload per request.');
  return stored;
}
