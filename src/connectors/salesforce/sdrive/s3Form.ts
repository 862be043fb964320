import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { framedFileBody } from '../multipartBody.js';
import { TransferError } from '../../errors.js';

/** What S-Drive's initialize call hands out for one file's browser-based POST to S3. */
export interface UploadGrant {
  /** The object key. */
  readonly fileLocation: string;
  /** The MIME type S-Drive recorded. */
  readonly fileType: string;
  readonly signature: string;
  /** Base64 POST policy JSON. */
  readonly policy: string;
  /** `x-amz-date`. */
  readonly timeStamp: string;
  readonly awsCredential: string;
  readonly metadataHeaders: Readonly<Record<string, string>>;
  readonly s3EncryptionType: string;
}

export type FormField = readonly [name: string, value: string];

export interface S3Form {
  readonly contentType: string;
  readonly contentLength: number;
  /** Errors, before the closing boundary, when the data yields more or fewer bytes than announced. */
  readonly body: Readable;
  /** Lower-case hex MD5 of the file's bytes; only once `body` ended. */
  md5(): string;
}

const CRLF = '\r\n';
/** Field names go between quotes unescaped. */
const FIELD_NAME = /^[A-Za-z0-9_.-]+$/;

/** `attachment; filename="…"` in ASCII every client reads, plus RFC 5987's exact UTF-8 name when that differs. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/gu, '_');
  if (ascii === fileName) return `attachment; filename="${ascii}"`;
  const encoded = [...Buffer.from(fileName, 'utf8')]
    .map((byte) => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9!#$&+\-.^_`|~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * The fields a policy demands by exact value (`{"acl": "private"}`, `["eq", "$key", …]`): S3 refuses a
 * form that leaves one out, and the vendor's field mapping does not name them all.
 */
function exactConditions(policy: string): FormField[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(policy, 'base64').toString('utf8'));
  } catch {
    return [];
  }
  const conditions = typeof parsed === 'object' && parsed !== null ? (parsed as { conditions?: unknown }).conditions : undefined;
  if (!Array.isArray(conditions)) return [];
  const fields: FormField[] = [];
  for (const condition of conditions as unknown[]) {
    if (Array.isArray(condition)) {
      const [operator, name, value] = condition as unknown[];
      if (typeof operator === 'string' && operator.toLowerCase() === 'eq' && typeof name === 'string' && name.startsWith('$') && typeof value === 'string') {
        fields.push([name.slice(1), value]);
      }
    } else if (typeof condition === 'object' && condition !== null) {
      for (const [name, value] of Object.entries(condition)) if (typeof value === 'string') fields.push([name, value]);
    }
  }
  // The bucket is named by the URL, not by a field.
  return fields.filter(([name]) => name.toLowerCase() !== 'bucket');
}

/**
 * The form fields of one upload, by the vendor's mapping from the initialize answer, with every exact
 * value the policy itself demands; `policy` and the signature go last, as S3's examples send them.
 */
export function formFields(grant: UploadGrant, fileName: string, contentType: string): FormField[] {
  const fields = new Map<string, FormField>();
  const set = (name: string, value: string): void => {
    fields.set(name.toLowerCase(), [name, value]);
  };
  set('key', grant.fileLocation);
  set('Content-Type', grant.fileType === '' ? contentType : grant.fileType);
  set('Content-Disposition', contentDisposition(fileName));
  if (grant.s3EncryptionType !== '') set('x-amz-server-side-encryption', grant.s3EncryptionType);
  set('x-amz-algorithm', 'AWS4-HMAC-SHA256');
  set('x-amz-credential', grant.awsCredential);
  set('x-amz-date', grant.timeStamp);
  for (const [name, value] of Object.entries(grant.metadataHeaders)) set(name, value);
  for (const [name, value] of exactConditions(grant.policy)) set(name, value);
  set('policy', grant.policy);
  set('x-amz-signature', grant.signature);
  return [...fields.values()];
}

/**
 * A streaming browser-POST body: the fields, then the file last (S3 ignores whatever follows it). The
 * file's chunks pass through as the request reads them, so memory stays flat for any size.
 */
export function buildS3Form(fields: ReadonlyArray<FormField>, data: Readable, size: number, contentType: string): S3Form {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`Not a file size: ${size}`);
  const bad = fields.find(([name]) => !FIELD_NAME.test(name));
  if (bad !== undefined) throw new TransferError('protocol', `S-Drive asked for an upload field that cannot be sent: ${JSON.stringify(bad[0])}`);
  // 128 random bits, drawn after the field values were fixed: no value or file can contain it but by chance.
  const boundary = `FerryBoundary${randomBytes(16).toString('hex')}`;
  const text = fields.map(([name, value]) => `--${boundary}${CRLF}Content-Disposition: form-data; name="${name}"${CRLF}${CRLF}${value}${CRLF}`).join('');
  const head = Buffer.from(
    `${text}--${boundary}${CRLF}Content-Disposition: form-data; name="file"; filename="upload"${CRLF}Content-Type: ${contentType}${CRLF}${CRLF}`,
    'utf8',
  );
  const tail = Buffer.from(`${CRLF}--${boundary}--${CRLF}`, 'utf8');
  return { contentType: `multipart/form-data; boundary=${boundary}`, ...framedFileBody(head, data, size, tail, 'The file') };
}
