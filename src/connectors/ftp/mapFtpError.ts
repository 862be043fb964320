import { FTPError } from 'basic-ftp';
import { isTransferError, mapNodeError, TransferError, type TransferErrorOptions } from '../errors.js';
import type { TransferErrorKind } from '../../shared/model/errorKinds.js';
import type { FsOperation } from '../types.js';

/** What the failed call was doing: decides between readings of ambiguous replies such as 550. */
export type FtpOperation = FsOperation | 'connect' | 'tls' | 'login' | 'renameTo' | 'command';

export interface FtpErrorContext {
  readonly op: FtpOperation;
  /** `host:port`, for messages. */
  readonly server: string;
  /** Path relative to the connector root, for messages and `TransferError.path`. */
  readonly path?: string;
  /** Second path of a rename. */
  readonly target?: string;
  /** The caller gave up (abort signal, destroyed stream, closed pool): whatever broke, it is 'cancelled'. */
  readonly cancelled?: boolean;
  /**
   * Whether the path was found to exist after the failure (a probe the caller made): settles a 550
   * whose text says neither "missing" nor "denied", as vsftpd's "Failed to open file." does.
   */
  readonly exists?: boolean;
  /** Strings that must never reach a message (the password), in case a server echoes them. */
  readonly secrets?: ReadonlyArray<string>;
}

/** How long to wait after a server said it has too many connections: long enough for others to finish. */
export const TOO_MANY_CONNECTIONS_BACKOFF_MS = 15_000;
/** How long to wait after other 421 replies (idle timeout, restart): reconnecting right away is fine. */
export const SERVICE_UNAVAILABLE_BACKOFF_MS = 1_000;

const VERBS: Readonly<Record<FtpOperation, string>> = {
  connect: 'Connecting to',
  tls: 'Securing the connection to',
  login: 'Logging in to',
  list: 'Listing',
  stat: 'Looking up',
  read: 'Reading',
  write: 'Writing',
  mkdir: 'Creating folder',
  remove: 'Removing',
  rmdir: 'Removing folder',
  rename: 'Renaming',
  renameTo: 'Renaming',
  setModifiedTime: 'Setting the modification time of',
  command: 'Talking to',
};

const TOO_MANY = /too many|maximum number|max(imum)? (of )?(\d+ )?(connections|clients|users|sessions)|connection limit|already connected|try again later/i;
const QUOTA_TEXT = /quota|disk full|no space|not enough space|insufficient (storage|space)|storage (allocation|limit)|exceed/i;
const PERMISSION_TEXT = /permission|denied|not allowed|forbidden|read-only|readonly|access|not authori[sz]ed|prohibited/i;
const MISSING_TEXT = /no such|not found|not exist|doesn't exist|does not exist|cannot find|can't find|unknown file|file unavailable|no files/i;

/** Operations whose 550 most likely means "the thing you name is not there". */
const LOOKUP_OPS: ReadonlySet<FtpOperation> = new Set(['list', 'stat', 'read', 'remove', 'rmdir', 'rename', 'setModifiedTime']);

/**
 * Maps anything basic-ftp, the sockets or our own checks threw onto the taxonomy, in the manner of
 * Cyberduck's FTPExceptionMappingService: 530 → auth, 452/552 → quota, 550 → notFound or permission,
 * 421 → retry later. A TransferError passes through unchanged. Messages name the operation, the path
 * and the server's reply; listed secrets are masked.
 */
export function mapFtpError(e: unknown, ctx: FtpErrorContext): TransferError {
  if (isTransferError(e)) return e;
  const opts: TransferErrorOptions = { cause: e, ...(ctx.path === undefined ? {} : { path: ctx.path }) };
  const subject = describeSubject(ctx);
  if (ctx.cancelled === true) return new TransferError('cancelled', `${subject} was cancelled`, opts);
  if (e instanceof FTPError) return mapReply(e.code, replyText(e.message, ctx), ctx, subject, opts);
  const text = e instanceof Error ? redact(e.message, ctx.secrets) : redact(String(e), ctx.secrets);
  const code = e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;
  if (code === 'ENOTFOUND') {
    return new TransferError('config', `${subject} failed: the host name ${ctx.server.replace(/:\d+$/, '')} does not resolve`, opts);
  }
  if (code !== undefined && /^ERR_SSL_(WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|UNKNOWN_PROTOCOL)|^EPROTO$/.test(code) && ctx.op !== 'read' && ctx.op !== 'write') {
    return new TransferError(
      'config',
      `${subject} failed: the server did not answer in TLS (${text}). Check whether it expects plain FTP, explicit FTPS or implicit FTPS.`,
      opts,
    );
  }
  const node = mapNodeError(e, ctx.path);
  if (node !== undefined && (node.kind === 'network' || node.kind === 'timeout')) {
    return new TransferError(node.kind, `${subject} failed: ${node.kind === 'timeout' ? 'timed out' : 'the connection was lost'} (${text})`, opts);
  }
  if (/timeout|timed out/i.test(text)) {
    const hint =
      ctx.op === 'connect' ? '. If the server expects implicit FTPS it waits for a TLS handshake and never greets plain FTP.' : '';
    return new TransferError('timeout', `${subject} timed out (${text})${hint}`, opts);
  }
  if (/closed|FIN packet|socket hang up|transmission error|ECONNRESET|EPIPE/i.test(text)) {
    return new TransferError('network', `${subject} failed: the connection was lost (${text})`, opts);
  }
  return new TransferError('protocol', `${subject} failed: ${text}`, opts);
}

function mapReply(code: number, reply: string, ctx: FtpErrorContext, subject: string, opts: TransferErrorOptions): TransferError {
  const said = `the server replied "${reply}"`;
  const make = (kind: TransferErrorKind, hint = '', extra: Partial<TransferErrorOptions> = {}): TransferError =>
    new TransferError(kind, `${subject} failed: ${said}${hint}`, { ...opts, ...extra });

  if (code === 421) {
    return TOO_MANY.test(reply)
      ? make('rateLimited', '. Use fewer connections for this server (maxConnections).', { retryAfterMs: TOO_MANY_CONNECTIONS_BACKOFF_MS })
      : make('network', '', { retryAfterMs: SERVICE_UNAVAILABLE_BACKOFF_MS });
  }
  if (code === 530 || code === 332 || code === 532) {
    if (TOO_MANY.test(reply)) return make('rateLimited', '', { retryAfterMs: TOO_MANY_CONNECTIONS_BACKOFF_MS });
    if (ctx.op === 'login' || ctx.op === 'connect' || ctx.op === 'tls') {
      const hint = /encrypt|ssl|tls|secure/i.test(reply) ? '. The server requires FTPS: choose explicit or implicit TLS.' : '';
      return make('auth', hint);
    }
    return make('permission');
  }
  if (code === 452 || code === 552) return make('quota');
  if (code === 451) return QUOTA_TEXT.test(reply) ? make('quota') : make('protocol', '', { retryable: true });
  if (code === 425 || code === 426) return make('network');
  if (code === 450) return MISSING_TEXT.test(reply) ? make('notFound') : make('permission', '', { retryable: true });
  if (code === 522) {
    return make('protocol', /reuse/i.test(reply) ? '. The server demands TLS session reuse on data connections and refused the resumed session.' : '');
  }
  if (code === 533 || code === 534 || code === 535 || code === 536) {
    return ctx.op === 'tls' || ctx.op === 'connect' ? make('config') : make('permission');
  }
  if (code === 553) return make('permission');
  if (code === 550 || code === 551) {
    if (QUOTA_TEXT.test(reply) && (ctx.op === 'write' || ctx.op === 'mkdir')) return make('quota');
    if (ctx.exists !== undefined) return ctx.exists ? make('permission') : make('notFound');
    if (MISSING_TEXT.test(reply)) return make('notFound');
    if (PERMISSION_TEXT.test(reply)) return make('permission');
    return LOOKUP_OPS.has(ctx.op) ? make('notFound') : make('permission');
  }
  if (code === 500 || code === 502 || code === 504) return make('unsupported');
  return make('protocol');
}

function describeSubject(ctx: FtpErrorContext): string {
  const verb = VERBS[ctx.op];
  if (ctx.op === 'connect' || ctx.op === 'tls' || ctx.op === 'login' || ctx.op === 'command') return `${verb} ${ctx.server}`;
  const what = ctx.path === undefined ? ctx.server : `${JSON.stringify(ctx.path === '' ? '/' : ctx.path)} on ${ctx.server}`;
  return ctx.target === undefined ? `${verb} ${what}` : `${verb} ${what} to ${JSON.stringify(ctx.target)}`;
}

/** A reply as one line: multi-line replies (pure-ftpd's quota report) joined, long ones cut. */
function replyText(message: string, ctx: FtpErrorContext): string {
  const oneLine = message
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' | ');
  const cut = oneLine.length > 400 ? `${oneLine.slice(0, 400)}…` : oneLine;
  return redact(cut, ctx.secrets);
}

function redact(text: string, secrets: ReadonlyArray<string> | undefined): string {
  let out = text;
  for (const s of secrets ?? []) {
    if (s.length >= 3) out = out.split(s).join('***');
  }
  return out;
}

/** Whether an error is a server reply (the control connection is still in step) rather than a broken connection. */
export function isServerReply(e: unknown): boolean {
  return e instanceof FTPError;
}

/** The reply code of a server reply, or undefined for other errors. */
export function replyCode(e: unknown): number | undefined {
  return e instanceof FTPError ? e.code : undefined;
}
