import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { TransferError } from '../errors.js';

export interface MultipartBodyInput {
  /** The record's non-binary fields, e.g. PathOnClient, FirstPublishLocationId, ReasonForChange. */
  readonly entity: Record<string, unknown>;
  /** Name of the JSON part; Salesforce documents `entity_content` for ContentVersion. */
  readonly entityPartName?: string;
  /** The blob field the binary part fills, e.g. `VersionData`. */
  readonly blobField: string;
  readonly fileName: string;
  readonly contentType?: string;
  /** The file's bytes; read once, as the body is read. */
  readonly data: Readable;
  /** Exactly how many bytes `data` yields. */
  readonly size: number;
}

export interface MultipartBody {
  /** The request's Content-Type, boundary included. */
  readonly contentType: string;
  /** The body's exact length, for a fixed Content-Length header. */
  readonly contentLength: number;
  /** Errors, before sending a byte too many or the closing boundary, when `data` disagrees with `size`. */
  readonly body: Readable;
  /** Lower-case hex MD5 of the file's bytes, comparable with ContentVersion.Checksum; only once `body` ended. */
  md5(): string;
  /** File bytes (not framing) handed on so far, for progress against `size`. */
  bytesSent(): number;
}

const CRLF = '\r\n';
/** Part names go between quotes unescaped, so only characters that need no escaping are allowed. */
const PART_NAME = /^[A-Za-z0-9_.-]+$/;
/** `type/subtype` with optional `; name=value` parameters (RFC 9110 tokens or quoted strings without escapes). */
const MEDIA_TYPE =
  /^[\w!#$%&'*+.^`|~-]+\/[\w!#$%&'*+.^`|~-]+(?:\s*;\s*[\w!#$%&'*+.^`|~-]+=(?:[\w!#$%&'*+.^`|~-]+|"[^"\\\r\n]*"))*$/;

/**
 * A streaming `multipart/form-data` body inserting one record with a blob, as Salesforce's REST API takes
 * it: the JSON part first, then the binary part. The file is never buffered: its chunks pass through as the
 * consumer reads, so memory stays flat for files of any size.
 */
export function buildMultipartBody(input: MultipartBodyInput): MultipartBody {
  const { entity, entityPartName = 'entity_content', blobField, fileName, data, size } = input;
  const contentType = input.contentType ?? 'application/octet-stream';
  requirePartName(entityPartName);
  requirePartName(blobField);
  if (!MEDIA_TYPE.test(contentType)) throw new RangeError(`Not a media type: ${JSON.stringify(contentType)}`);
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`Not a file size: ${size}`);

  const json = JSON.stringify(entity);
  const boundary = boundaryNotIn(json);
  const head = Buffer.from(
    [
      `--${boundary}`,
      `Content-Disposition: form-data; name="${entityPartName}"`,
      'Content-Type: application/json',
      '',
      json,
      `--${boundary}`,
      `Content-Disposition: form-data; name="${blobField}"; ${fileNameParameters(fileName)}`,
      `Content-Type: ${contentType}`,
      '',
      '',
    ].join(CRLF),
    'utf8',
  );
  const tail = Buffer.from(`${CRLF}--${boundary}--${CRLF}`, 'utf8');

  return { contentType: `multipart/form-data; boundary=${boundary}`, ...framedFileBody(head, data, size, tail, fileName) };
}

export interface FramedFileBody {
  readonly contentLength: number;
  readonly body: Readable;
  /** Lower-case hex MD5 of the file's bytes; only once `body` ended. */
  md5(): string;
  /** File bytes handed on so far. */
  bytesSent(): number;
}

/**
 * `head`, then the file's bytes, hashed and counted against `size` as the consumer reads them, then
 * `tail`. The body errors, before the tail, when the file yields more or fewer bytes than announced,
 * so a request never carries a length it does not have.
 */
export function framedFileBody(head: Buffer, data: Readable, size: number, tail: Buffer, fileName: string): FramedFileBody {
  const hash = createHash('md5');
  let sent = 0;
  let digest: string | undefined;

  async function* parts(): AsyncGenerator<Uint8Array> {
    yield head;
    for await (const chunk of data as AsyncIterable<unknown>) {
      const bytes = asBytes(chunk);
      if (sent + bytes.length > size) throw sizeMismatch(fileName, size, 'more');
      hash.update(bytes);
      sent += bytes.length;
      yield bytes;
    }
    if (sent !== size) throw sizeMismatch(fileName, size, 'fewer');
    digest = hash.digest('hex');
    yield tail;
  }

  return {
    contentLength: head.length + size + tail.length,
    body: Readable.from(parts(), { objectMode: false }),
    md5: () => {
      if (digest === undefined) throw new Error('The MD5 is known only once the body has ended');
      return digest;
    },
    bytesSent: () => sent,
  };
}

function requirePartName(name: string): void {
  if (!PART_NAME.test(name)) throw new RangeError(`Not a usable part name: ${JSON.stringify(name)}`);
}

/**
 * 128 random bits make a collision with the file's bytes negligible; the JSON is checked outright, since
 * its text is known before the body is built.
 */
function boundaryNotIn(json: string): string {
  for (;;) {
    const boundary = `FerryBoundary${randomBytes(16).toString('hex')}`;
    if (!json.includes(boundary)) return boundary;
  }
}

/**
 * `filename="…"` in plain ASCII that every parser reads, where anything that could end the quoted string
 * or the header (quotes, backslashes, control characters) and non-ASCII become `_`. When that loses
 * information, `filename*` (RFC 5987) carries the exact UTF-8 name for parsers that know it.
 */
function fileNameParameters(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/gu, '_');
  const plain = `filename="${ascii}"`;
  return ascii === fileName ? plain : `${plain}; filename*=UTF-8''${rfc5987Encode(fileName)}`;
}

/** Percent-encodes every UTF-8 byte outside RFC 5987's attr-char set. */
function rfc5987Encode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9!#$&+\-.^_`|~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function asBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  throw new TypeError('The file data must be a byte stream, not a text or object stream');
}

function sizeMismatch(fileName: string, size: number, which: 'more' | 'fewer'): TransferError {
  return new TransferError(
    'integrity',
    `${fileName} yielded ${which} bytes than the ${size} announced: it may have changed while being read`,
  );
}
