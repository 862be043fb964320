import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { TransferError, mapNodeError } from '../../errors.js';
import { sendRaw } from '../rawHttp.js';
import type { TransferErrorKind } from '../../../shared/model/errorKinds.js';

export interface S3Init {
  readonly method: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: Readable;
  readonly length?: number;
  readonly signal?: AbortSignal;
}

/**
 * S3's error codes onto the taxonomy. A bad signature or key means the org's S-Drive credentials are
 * wrong, which fails every file alike; a refusal of one object is a permission problem of that file.
 */
const BY_CODE: Readonly<Record<string, TransferErrorKind>> = {
  AccessDenied: 'permission',
  AllAccessDisabled: 'permission',
  AccountProblem: 'permission',
  SignatureDoesNotMatch: 'auth',
  InvalidAccessKeyId: 'auth',
  ExpiredToken: 'auth',
  InvalidToken: 'auth',
  EntityTooLarge: 'quota',
  EntityTooSmall: 'integrity',
  BadDigest: 'integrity',
  IncompleteBody: 'network',
  NoSuchKey: 'notFound',
  NoSuchBucket: 'config',
  PermanentRedirect: 'config',
  TemporaryRedirect: 'config',
  AuthorizationHeaderMalformed: 'config',
  RequestTimeTooSkewed: 'config',
  InvalidRange: 'validation',
  SlowDown: 'rateLimited',
  RequestTimeout: 'timeout',
  InternalError: 'network',
  ServiceUnavailable: 'network',
};

const XML_ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };

function xmlElement(xml: string, name: string): string | undefined {
  const text = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  return text?.replace(/&(?:amp|lt|gt|quot|apos);/g, (entity) => XML_ENTITIES[entity] ?? entity);
}

function kindOfStatus(status: number): TransferErrorKind {
  if (status >= 500 || status === 429) return 'network';
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404) return 'notFound';
  return 'protocol';
}

/** A refusal from S3, read from its XML `<Error>`; anything else (a proxy's page) by its status. */
export function s3Error(status: number, body: string, subject: string): TransferError {
  const code = xmlElement(body, 'Code');
  const message = xmlElement(body, 'Message') ?? (body.trim().slice(0, 200) || `HTTP ${status}`);
  // An expired policy or link is refused as AccessDenied, but the next attempt asks for a fresh one.
  if (code === 'AccessDenied' && /expired/i.test(message)) {
    return new TransferError('timeout', `S3 refused ${subject}: ${message} (${code})`);
  }
  const kind = (code === undefined ? undefined : BY_CODE[code]) ?? kindOfStatus(status);
  return new TransferError(kind, `S3 refused ${subject}: ${message} (${code ?? `HTTP ${status}`})`);
}

/** A failure below HTTP (socket, abort, or the body that was being sent) as a TransferError. */
export function transportError(e: unknown, subject: string): TransferError {
  if (e instanceof TransferError) return e;
  const node = mapNodeError(e, subject);
  if (node !== undefined) return node;
  if (e instanceof Error && e.name === 'AbortError') return new TransferError('cancelled', `Cancelled: ${subject}`, { cause: e });
  return new TransferError('network', `Connection to S3 lost: ${subject} (${e instanceof Error ? e.message : String(e)})`, { cause: e });
}

/** Error answers are short XML documents; anything longer is cut rather than held. */
async function errorText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = chunk as Buffer;
    if (size < 64 * 1024) chunks.push(bytes);
    size += bytes.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * One exchange with the bucket. S3 is not the Salesforce API: nothing here counts against the org's
 * daily allocation. An answer of 300 or more becomes the TransferError S3's error document describes.
 */
export async function s3Request(url: string, init: S3Init, subject: string): Promise<IncomingMessage> {
  let response: IncomingMessage;
  try {
    response = await sendRaw(new URL(url), init);
  } catch (e) {
    throw transportError(e, subject);
  }
  const status = response.statusCode ?? 0;
  if (status >= 300) throw s3Error(status, await errorText(response).catch(() => ''), subject);
  return response;
}

/**
 * The body of a download, failing with a TransferError when the connection drops; destroying it (how a
 * reader cancels) releases the connection.
 */
export function downloadStream(response: IncomingMessage, subject: string): Readable {
  const body = new PassThrough();
  response.once('error', (e) => body.destroy(transportError(e, subject)));
  body.once('close', () => {
    if (!response.readableEnded) response.destroy();
  });
  return response.pipe(body);
}

/** Reads and drops an answer's body, so the connection can serve the next request. */
export async function drain(response: IncomingMessage): Promise<void> {
  response.resume();
  await finished(response);
}
