import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { OrgStore } from '../OrgStore.js';
import { accessDenied, S3Failure } from './s3Errors.js';

export const AWS_REGION = 'us-east-1';
export const SIGNING_ALGORITHM = 'AWS4-HMAC-SHA256';
/** S3 refuses presigned links that live longer than seven days. */
export const MAX_LINK_SECONDS = 7 * 24 * 60 * 60;

const KEYS_ENTRY = 'sdriveS3Keys';
const AKID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The one credential of the fake bucket: what S-Drive's org-level AWS key pair is in a real org. */
export interface S3Keys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Made on first use and kept with the org, so that links and upload policies survive a restart. */
export function s3Keys(store: OrgStore): S3Keys {
  const saved = store.extra[KEYS_ENTRY] as S3Keys | undefined;
  if (saved !== undefined) return saved;
  const id = [...randomBytes(16)].map((b) => AKID_ALPHABET.charAt(b & 31)).join('');
  const keys: S3Keys = { accessKeyId: `AKIA${id}`, secretAccessKey: randomBytes(30).toString('base64') };
  store.extra[KEYS_ENTRY] = keys;
  store.touch();
  return keys;
}

/** `YYYYMMDDTHHMMSSZ`, the form of `x-amz-date`. */
export function amzDate(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const at = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s));
  return Number.isNaN(at.getTime()) ? undefined : at;
}

export function credentialOf(keys: S3Keys, date: string): string {
  return `${keys.accessKeyId}/${date.slice(0, 8)}/${AWS_REGION}/s3/aws4_request`;
}

function hmac(key: Buffer | string, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

/** SigV4: the secret is narrowed to one day, region and service before it signs anything. */
export function sign(keys: S3Keys, date: string, text: string): string {
  const day = hmac(`AWS4${keys.secretAccessKey}`, date.slice(0, 8));
  const signingKey = hmac(hmac(hmac(day, AWS_REGION), 's3'), 'aws4_request');
  return createHmac('sha256', signingKey).update(text, 'utf8').digest('hex');
}

/** Checks `signature` over `text` for the scope named in `credential`; throws S3's refusal. */
export function verifySignature(keys: S3Keys, credential: string, text: string, signature: string): void {
  const [accessKeyId, day, region, service, terminator] = credential.split('/');
  if (accessKeyId !== keys.accessKeyId) {
    throw new S3Failure(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  }
  if (day === undefined || region !== AWS_REGION || service !== 's3' || terminator !== 'aws4_request') {
    throw accessDenied(`Invalid credential scope: ${credential}`);
  }
  const expected = Buffer.from(sign(keys, day, text), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new S3Failure(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  }
}

function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A key as a URL path: each segment encoded, the slashes kept. */
export function keyPath(bucket: string, key: string): string {
  return `/s3/${bucket}/${key.split('/').map(uriEncode).join('/')}`;
}

function canonicalQuery(params: ReadonlyArray<readonly [string, string]>): string {
  return [...params]
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1))
    .map(([name, value]) => `${uriEncode(name)}=${uriEncode(value)}`)
    .join('&');
}

function linkStringToSign(bucket: string, key: string, date: string, params: ReadonlyArray<readonly [string, string]>): string {
  const request = ['GET', `/${bucket}/${key}`, canonicalQuery(params)].join('\n');
  const scope = `${date.slice(0, 8)}/${AWS_REGION}/s3/aws4_request`;
  return [SIGNING_ALGORITHM, date, scope, createHash('sha256').update(request, 'utf8').digest('hex')].join('\n');
}

export interface LinkRequest {
  readonly baseUrl: string;
  readonly bucket: string;
  readonly key: string;
  readonly expiresSeconds: number;
  /** When the link is issued; its lifetime counts from here. */
  readonly issuedAt: Date;
  /** `response-*` overrides the link carries, signed with it. */
  readonly overrides?: ReadonlyArray<readonly [string, string]>;
}

/** A presigned GET link in S3's query-string form. */
export function presignedGetUrl(keys: S3Keys, link: LinkRequest): string {
  const date = amzDate(link.issuedAt);
  const params: Array<readonly [string, string]> = [
    ['X-Amz-Algorithm', SIGNING_ALGORITHM],
    ['X-Amz-Credential', credentialOf(keys, date)],
    ['X-Amz-Date', date],
    ['X-Amz-Expires', String(link.expiresSeconds)],
    ['X-Amz-SignedHeaders', 'host'],
    ...(link.overrides ?? []),
  ];
  const signature = sign(keys, date, linkStringToSign(link.bucket, link.key, date, params));
  return `${link.baseUrl}${keyPath(link.bucket, link.key)}?${canonicalQuery(params)}&X-Amz-Signature=${signature}`;
}

/** Checks a presigned GET's query against the bucket and key it was asked for; throws S3's refusal. */
export function verifyPresignedGet(keys: S3Keys, bucket: string, key: string, query: URLSearchParams, now: Date): void {
  const credential = query.get('X-Amz-Credential');
  const dateText = query.get('X-Amz-Date');
  const expiresText = query.get('X-Amz-Expires');
  const signature = query.get('X-Amz-Signature');
  if (query.get('X-Amz-Algorithm') !== SIGNING_ALGORITHM || credential === null || dateText === null || expiresText === null || signature === null) {
    throw accessDenied('Access Denied');
  }
  const issuedAt = parseAmzDate(dateText);
  const expires = /^\d+$/.test(expiresText) ? Number(expiresText) : Number.NaN;
  if (issuedAt === undefined || !(expires >= 1 && expires <= MAX_LINK_SECONDS)) {
    throw new S3Failure(400, 'AuthorizationQueryParametersError', 'X-Amz-Date or X-Amz-Expires is malformed or out of range.');
  }
  const params = [...query.entries()].filter(([name]) => name !== 'X-Amz-Signature');
  verifySignature(keys, credential, linkStringToSign(bucket, key, dateText, params), signature);
  if (now.getTime() > issuedAt.getTime() + expires * 1000) throw accessDenied('Request has expired');
}
