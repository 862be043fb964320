import { TransferError } from '../connectors/errors.js';
import { assertNever } from '../shared/util/assertNever.js';

export type FtpSecurity = 'none' | 'explicit' | 'implicit';

export type ParsedUrl =
  | { readonly kind: 'local'; readonly root: string }
  | {
      readonly kind: 'sftp';
      readonly host: string;
      readonly port: number;
      readonly user: string;
      /** Absolute remote folder, or a folder relative to the login folder ('' is the login folder). */
      readonly root: string;
    }
  | {
      readonly kind: 'ftp';
      readonly security: FtpSecurity;
      readonly host: string;
      readonly port: number;
      readonly user: string;
      readonly root: string;
    };

const FTP_SCHEMES: Readonly<Record<string, { security: FtpSecurity; port: number }>> = {
  'ftp:': { security: 'none', port: 21 },
  'ftpes:': { security: 'explicit', port: 21 },
  'ftps:': { security: 'implicit', port: 990 },
};

/**
 * Reads a connection URL the way FileZilla, curl and lftp do: `sftp://user@host:port/root`, `ftp://`
 * (plain), `ftpes://` (explicit TLS, required), `ftps://` (implicit TLS) and `file:///path`. A password
 * in the URL is refused: it would end up in shell history; it belongs on standard input.
 */
export function parseConnectionUrl(text: string): ParsedUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TransferError('config', `Not a connection URL: ${JSON.stringify(text)} (e.g. sftp://user@host/folder)`);
  }
  if (url.password !== '') {
    throw new TransferError('config', 'Do not put a password in the URL: pass it with --password-stdin');
  }
  if (url.protocol === 'file:') {
    if (url.host !== '' && url.host !== 'localhost') throw new TransferError('config', 'file:// URLs name a local folder');
    return { kind: 'local', root: decodeURIComponent(url.pathname) };
  }
  const user = decodeURIComponent(url.username);
  if (url.hostname === '') throw new TransferError('config', `The URL ${text} names no host`);
  if (user === '') throw new TransferError('config', `The URL ${text} names no user (write user@${url.hostname})`);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const root = rootOf(url.pathname);
  if (url.protocol === 'sftp:') {
    return { kind: 'sftp', host, port: url.port === '' ? 22 : Number(url.port), user, root };
  }
  const ftp = FTP_SCHEMES[url.protocol];
  if (ftp === undefined) {
    throw new TransferError('config', `Unsupported scheme ${url.protocol} (use sftp, ftp, ftpes, ftps or file)`);
  }
  return { kind: 'ftp', security: ftp.security, host, port: url.port === '' ? ftp.port : Number(url.port), user, root };
}

function rootOf(pathname: string): string {
  const decoded = decodeURIComponent(pathname);
  if (decoded.split('/').includes('..')) {
    throw new TransferError('config', `The root folder may not contain "..": ${decoded}`);
  }
  // curl's convention: /~/ starts at the login folder; anything else is absolute. Read before decoding, so
  // that /%7E/ can name a folder called "~" at the top.
  const homeRelative = pathname === '/~' || pathname.startsWith('/~/');
  const trimmed = (homeRelative ? decoded.slice(2) : decoded).replace(/\/+$/, '');
  if (homeRelative) return trimmed.replace(/^\/+/, '');
  return trimmed;
}

/**
 * The URL that `parseConnectionUrl` reads back as exactly these settings: user name and folders
 * percent-encoded (an `@`, `#`, `?`, `%` or space in them is data, not syntax), an IPv6 host in brackets,
 * the port always shown. Never a password: settings do not hold one.
 */
export function formatConnectionUrl(settings: ParsedUrl): string {
  switch (settings.kind) {
    case 'local':
      return `file://${encodePath(settings.root)}`;
    case 'sftp':
      return `sftp://${authority(settings)}${encodeRoot(settings.root)}`;
    case 'ftp':
      return `${FTP_SCHEME_OF[settings.security]}://${authority(settings)}${encodeRoot(settings.root)}`;
    default:
      return assertNever(settings, 'connection settings');
  }
}

const FTP_SCHEME_OF: Readonly<Record<FtpSecurity, string>> = { none: 'ftp', explicit: 'ftpes', implicit: 'ftps' };

function authority(s: { readonly user: string; readonly host: string; readonly port: number }): string {
  const host = s.host.includes(':') ? `[${s.host}]` : s.host;
  return `${encodeURIComponent(s.user)}@${host}:${s.port}`;
}

/** A remote root: '' is the login folder, a relative root is below it (`/~/…`), anything else is absolute. */
function encodeRoot(root: string): string {
  if (root === '') return '/';
  if (!root.startsWith('/')) return `/~/${encodePath(root)}`;
  return encodePath(root).replace(/^\/~(?=\/|$)/, '/%7E');
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
