import { FATAL_KINDS, RETRYABLE_KINDS, type TransferErrorKind } from '../shared/model/errorKinds.js';
import { MAX_NAME_BYTES, overlongName, shortened, shortenedOverlongNames, utf8Length } from '../shared/util/names.js';

export interface TransferErrorOptions {
  /** Overrides the kind's default retryability (e.g. a 550 that the server documents as transient). */
  readonly retryable?: boolean;
  /** Minimum wait the server asked for before the next attempt. */
  readonly retryAfterMs?: number;
  /** The path the failure concerns, relative to the connector root. */
  readonly path?: string;
  readonly cause?: unknown;
}

/**
 * The one error type that leaves a connector. Messages must never contain secrets:
 * connectors build them from paths, hosts and server replies, never from credentials.
 */
export class TransferError extends Error {
  override readonly name = 'TransferError';
  readonly kind: TransferErrorKind;
  readonly retryable: boolean;
  readonly fatal: boolean;
  readonly retryAfterMs: number | undefined;
  readonly path: string | undefined;

  constructor(kind: TransferErrorKind, message: string, opts: TransferErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.kind = kind;
    this.retryable = opts.retryable ?? RETRYABLE_KINDS.has(kind);
    this.fatal = FATAL_KINDS.has(kind);
    this.retryAfterMs = opts.retryAfterMs;
    this.path = opts.path;
  }
}

export function isTransferError(e: unknown): e is TransferError {
  return e instanceof TransferError;
}

/** Errors from Node's socket layer that mean "the connection went away", whichever protocol carried it. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ENOTCONN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/**
 * Maps Node system errors (from sockets or the local file system) onto the taxonomy; undefined when not one.
 * `path` is relative to the connector root and becomes `TransferError.path`; `shown` is how the message
 * writes the paths the operation concerned (a local folder shows them absolute; a rename shows both).
 */
export function mapNodeError(e: unknown, path?: string, shown: ReadonlyArray<string> = path === undefined ? [] : [path]): TransferError | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === undefined) return undefined;
  const where = shown.length === 0 ? '' : ` (${shown.join(' → ')})`;
  const opts = { cause: e, ...(path === undefined ? {} : { path }) };
  if (NETWORK_CODES.has(code)) return new TransferError('network', `Connection lost: ${code}${where}`, opts);
  if (code === 'ETIMEDOUT') return new TransferError('timeout', `Timed out${where}`, opts);
  if (code === 'ENOENT') return new TransferError('notFound', `Not found${where}`, opts);
  if (code === 'EEXIST' || code === 'ENOTEMPTY') return new TransferError('exists', `Already exists${where}`, opts);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new TransferError('permission', `Permission denied${where}`, opts);
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') return new TransferError('quota', `No space left${where}`, opts);
  if (code === 'ENOTDIR') return new TransferError('notFound', `A parent is not a folder${where}`, opts);
  if (code === 'EISDIR') return new TransferError('exists', `A folder stands there${where}`, opts);
  if (code === 'ENAMETOOLONG') return new TransferError('unsafeName', tooLong(shown), opts);
  return undefined;
}

/**
 * Says which name is over the limit, so that the user knows what to shorten, with the rest of its path
 * for where it was to go. When every name fits, the path as a whole is longer than the system allows.
 */
function tooLong(shown: ReadonlyArray<string>): string {
  for (const path of shown) {
    const over = overlongName(path);
    if (over !== undefined) {
      return `Name too long: ${shortenedOverlongNames(path)} has a name of ${over.bytes} bytes; a name may have at most ${MAX_NAME_BYTES} bytes`;
    }
  }
  const longest = shown.reduce((a, b) => (utf8Length(b) > utf8Length(a) ? b : a), '');
  return longest === '' ? 'Name too long' : `Path too long: ${shortened(longest, 120)} is ${utf8Length(longest)} bytes, more than the file system allows`;
}
