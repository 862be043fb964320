import type { TransferErrorKind } from '../../shared/model/errorKinds.js';
import { TransferError, mapNodeError } from '../errors.js';
import type { FsOperation } from '../types.js';

export type SftpOperation = FsOperation;

export interface SftpErrorContext {
  readonly op: SftpOperation;
  /** What the message names: the absolute remote path. */
  readonly target: string;
  /** The path relative to the connector root, recorded on the error. */
  readonly path?: string;
}

/**
 * SFTP status codes. Version 3 (what OpenSSH speaks) defines 0–8; servers speaking later drafts send the
 * others even to version-3 clients, and they say more than FAILURE does.
 */
const STATUS = {
  EOF: 1,
  NO_SUCH_FILE: 2,
  PERMISSION_DENIED: 3,
  FAILURE: 4,
  BAD_MESSAGE: 5,
  NO_CONNECTION: 6,
  CONNECTION_LOST: 7,
  OP_UNSUPPORTED: 8,
  NO_SUCH_PATH: 10,
  FILE_ALREADY_EXISTS: 11,
  WRITE_PROTECT: 12,
  NO_SPACE_ON_FILESYSTEM: 14,
  QUOTA_EXCEEDED: 15,
  DIR_NOT_EMPTY: 18,
  NOT_A_DIRECTORY: 19,
  INVALID_FILENAME: 20,
  CANNOT_DELETE: 22,
  FILE_IS_A_DIRECTORY: 24,
} as const;

/** Servers that explain a generic FAILURE on write say one of these when the disk or the account is full. */
const QUOTA_HINT = /quota|no space|space left|disk full|insufficient (storage|space)|ENOSPC|EDQUOT|exceed/i;

const VERBS: Record<SftpOperation, string> = {
  list: 'list',
  stat: 'inspect',
  read: 'read',
  write: 'write',
  mkdir: 'create the folder',
  remove: 'delete',
  rmdir: 'remove the folder',
  rename: 'rename',
  setModifiedTime: 'set the modification time of',
};

/** ssh2 tags the errors it raises itself with the layer they come from. */
function levelOf(e: Error): string | undefined {
  const level = (e as Error & { level?: unknown }).level;
  return typeof level === 'string' ? level : undefined;
}

function numericCode(e: Error): number | undefined {
  const code = (e as Error & { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Maps a failed SFTP request onto the taxonomy. Messages name the remote path and the server's words,
 * never credentials.
 */
export function mapSftpError(e: unknown, ctx: SftpErrorContext): TransferError {
  const opts = { cause: e, ...(ctx.path === undefined ? {} : { path: ctx.path }) };
  const what = `Cannot ${VERBS[ctx.op]} ${ctx.target}`;
  if (e instanceof TransferError) {
    if (e.path !== undefined || ctx.path === undefined) return e;
    // A connection-level failure learns which file it interrupted.
    return new TransferError(e.kind, `${e.message} (${ctx.op} ${ctx.target})`, {
      ...opts,
      retryable: e.retryable,
      ...(e.retryAfterMs === undefined ? {} : { retryAfterMs: e.retryAfterMs }),
    });
  }
  if (!(e instanceof Error)) return new TransferError('protocol', `${what}: ${String(e)}`, opts);
  if (e.name === 'AbortError') return new TransferError('cancelled', `Cancelled: ${ctx.op} ${ctx.target}`, opts);

  const status = numericCode(e);
  if (status !== undefined && levelOf(e) === undefined) {
    const [kind, reason] = statusKind(status, ctx.op, e.message);
    return new TransferError(kind, `${what}: ${reason}`, opts);
  }
  const node = mapNodeError(e);
  if (node !== undefined) return new TransferError(node.kind, `${what}: ${node.message}`, opts);
  if (isConnectionLoss(e)) return new TransferError('network', `${what}: the connection was lost`, opts);
  return new TransferError('protocol', `${what}: ${e.message}`, opts);
}

function statusKind(code: number, op: SftpOperation, message: string): [TransferErrorKind, string] {
  const said = message === '' ? '' : ` (server said: ${message})`;
  switch (code) {
    case STATUS.NO_SUCH_FILE:
    case STATUS.NO_SUCH_PATH:
      return ['notFound', op === 'write' ? 'the file or its folder does not exist' : 'it does not exist'];
    case STATUS.NOT_A_DIRECTORY:
      return ['notFound', `a part of the path is not a folder${said}`];
    case STATUS.PERMISSION_DENIED:
    case STATUS.WRITE_PROTECT:
    case STATUS.CANNOT_DELETE:
      return ['permission', `permission denied${said}`];
    case STATUS.NO_SPACE_ON_FILESYSTEM:
    case STATUS.QUOTA_EXCEEDED:
      return ['quota', `the server is out of space or over quota${said}`];
    case STATUS.FILE_ALREADY_EXISTS:
      return ['exists', `something already exists there${said}`];
    case STATUS.DIR_NOT_EMPTY:
      return ['exists', `the folder is not empty${said}`];
    case STATUS.FILE_IS_A_DIRECTORY:
      return ['exists', `a folder stands there${said}`];
    case STATUS.INVALID_FILENAME:
      return ['validation', `the server does not accept this name${said}`];
    case STATUS.NO_CONNECTION:
    case STATUS.CONNECTION_LOST:
      return ['network', `the server lost its connection${said}`];
    case STATUS.OP_UNSUPPORTED:
      return ['unsupported', `the server does not support this operation${said}`];
    case STATUS.BAD_MESSAGE:
      // OpenSSH answers this for ENAMETOOLONG and EINVAL: the request was well-formed, the name was not.
      return ['validation', `the server rejected the request, often a name too long for it${said}`];
    case STATUS.FAILURE:
      return failureKind(op, message, said);
    case STATUS.EOF:
      return ['protocol', `unexpected end of file${said}`];
    default:
      return ['protocol', `SFTP status ${code}${said}`];
  }
}

/** FAILURE is the catch-all (OpenSSH sends it for every errno it has no code for); the operation narrows it. */
function failureKind(op: SftpOperation, message: string, said: string): [TransferErrorKind, string] {
  if (QUOTA_HINT.test(message)) return ['quota', `the server is out of space or over quota${said}`];
  switch (op) {
    case 'rmdir':
      return ['exists', `the folder is not empty or is in use${said}`];
    case 'mkdir':
      return ['exists', `something already exists there${said}`];
    case 'remove':
      return ['exists', `it is a folder or is in use${said}`];
    default:
      return ['protocol', `the server reported a failure${said}`];
  }
}

const CONNECTION_LOSS = /^(No response from server|Not connected|Channel is not open|No free channels available)/;

function isConnectionLoss(e: Error): boolean {
  return CONNECTION_LOSS.test(e.message);
}

/** SSH disconnect reason codes (RFC 4253 §11.1) that mean something other than "the link broke". */
const DISCONNECT = {
  HOST_KEY_NOT_VERIFIABLE: 9,
  TOO_MANY_CONNECTIONS: 12,
  AUTH_CANCELLED_BY_USER: 13,
  NO_MORE_AUTH_METHODS_AVAILABLE: 14,
  ILLEGAL_USER_NAME: 15,
} as const;

/**
 * Maps a failure to connect, authenticate, or keep an SSH connection alive. `where` is `user@host:port`.
 * A server that drops us before its banner is treated as a transient refusal (OpenSSH does that when
 * `MaxStartups` is reached), not as a protocol fault.
 */
export function mapConnectError(e: unknown, where: string): TransferError {
  const opts = { cause: e };
  if (e instanceof TransferError) return e;
  if (!(e instanceof Error)) return new TransferError('network', `Cannot connect to ${where}: ${String(e)}`, opts);
  if (e.name === 'AbortError') return new TransferError('cancelled', `Cancelled connecting to ${where}`, opts);
  const msg = e.message;

  if (msg.startsWith('Cannot parse privateKey') || msg.includes('does not contain a (valid) private key')) {
    const reason = /passphrase/i.test(msg)
      ? 'it is encrypted and the passphrase is missing or wrong'
      : 'it is not a private key in a supported format (OpenSSH, PEM or PPK)';
    return new TransferError('auth', `Cannot use the private key for ${where}: ${reason}`, opts);
  }

  switch (levelOf(e)) {
    case 'client-authentication':
      return new TransferError(
        'auth',
        `Authentication failed for ${where}: the server accepted none of the configured credentials`,
        opts,
      );
    case 'agent':
      return new TransferError('auth', `The SSH agent could not be used to log in to ${where}: ${msg}`, opts);
    case 'client-timeout':
      return msg.startsWith('Keepalive')
        ? new TransferError('timeout', `The connection to ${where} stopped answering`, opts)
        : new TransferError('timeout', `Timed out waiting for the SSH handshake with ${where}`, opts);
    case 'client-dns':
      return new TransferError('network', `Cannot resolve the host of ${where}`, opts);
    case 'handshake':
      if (msg.startsWith('Host denied')) {
        return new TransferError('hostKey', `The host key of ${where} was refused`, opts);
      }
      return new TransferError('protocol', `The SSH handshake with ${where} failed: ${msg}`, opts);
    case 'protocol':
      if (msg.startsWith('Connection lost before handshake')) {
        return new TransferError('network', `${where} closed the connection before the SSH handshake`, opts);
      }
      return new TransferError('protocol', `SSH protocol error with ${where}: ${msg}`, opts);
    default:
      break;
  }

  const reason = numericCode(e);
  if (reason !== undefined) {
    switch (reason) {
      case DISCONNECT.HOST_KEY_NOT_VERIFIABLE:
        return new TransferError('hostKey', `${where} disconnected: ${msg}`, opts);
      case DISCONNECT.TOO_MANY_CONNECTIONS:
        return new TransferError('rateLimited', `${where} has too many connections: ${msg}`, opts);
      case DISCONNECT.AUTH_CANCELLED_BY_USER:
      case DISCONNECT.NO_MORE_AUTH_METHODS_AVAILABLE:
      case DISCONNECT.ILLEGAL_USER_NAME:
        return new TransferError('auth', `Authentication failed for ${where}: ${msg}`, opts);
      default:
        if (/authentication/i.test(msg)) {
          return new TransferError('auth', `Authentication failed for ${where}: ${msg}`, opts);
        }
        return new TransferError('network', `${where} disconnected: ${msg}`, opts);
    }
  }

  if (msg.startsWith('Unable to start subsystem')) {
    return new TransferError('protocol', `${where} does not offer the SFTP subsystem`, opts);
  }
  const node = mapNodeError(e);
  if (node !== undefined) return new TransferError(node.kind, `Cannot reach ${where}: ${node.message}`, opts);
  if ((e as NodeJS.ErrnoException).code === 'ENOTFOUND') {
    return new TransferError('network', `Cannot resolve the host of ${where}`, opts);
  }
  return new TransferError('network', `Connection to ${where} failed: ${msg}`, opts);
}
