import { parseConnectionUrl } from '../config/connectionUrl.js';
import { isValidConnectionName, type ConnectionConfig } from '../config/ConnectionStore.js';
import { readUserFile } from '../config/readUserFile.js';
import { isTransferError, TransferError } from '../connectors/errors.js';
import type { RemoteFs, ServerReport } from '../connectors/types.js';
import { SECRET_KINDS, secretKey, type SecretKind } from '../security/secretKeys.js';
import { formatPin, loadTlsTrust, parseFingerprints } from '../security/tlsTrust.js';
import { assertNever } from '../shared/util/assertNever.js';
import { DataConnectionError, type ProblemContext } from './connectionProblem.js';
import type { Workspace } from './Workspace.js';

/** A connection as a user describes it, from the command line or the window's site manager. */
export interface ConnectionRequest {
  readonly name: string;
  /** sftp://user@host[:port]/root, ftp://, ftpes://, ftps:// or file:///path */
  readonly url: string;
  /** The password, or with `keyFile` the key's passphrase. */
  readonly secret?: string;
  readonly keyFile?: string;
  readonly agent?: boolean;
  readonly acceptNewHostKey?: boolean;
  readonly caFile?: string;
  readonly tlsFingerprint?: string;
  readonly maxConnections?: number;
}

type Option = Exclude<keyof ConnectionRequest, 'name' | 'url' | 'maxConnections'>;

/** What each option is called where the user gave it (a flag, a field), for errors that name it. */
export type OptionNames = Readonly<Record<Option, string>>;

/**
 * Checks a connection request and turns it into settings and secrets: every mistake is refused before
 * anything is saved, naming the option at fault.
 */
export async function buildConnection(
  req: ConnectionRequest,
  names: OptionNames,
): Promise<{ config: ConnectionConfig; secrets: { password?: string; keyPassphrase?: string } }> {
  const { name, url } = req;
  if (!isValidConnectionName(name)) {
    throw new TransferError('config', `Invalid connection name "${name}": use letters, digits, '.', '_' or '-'`);
  }
  const parsed = parseConnectionUrl(url);
  if (req.maxConnections !== undefined && (!Number.isInteger(req.maxConnections) || req.maxConnections < 1 || req.maxConnections > 64)) {
    throw new TransferError('config', 'The most connections at once is a whole number from 1 to 64');
  }
  const maxConnections = req.maxConnections === undefined ? {} : { maxConnections: req.maxConnections };
  const refuse = (options: ReadonlyArray<Option>, scheme: string): void => {
    for (const o of options) {
      if (req[o] !== undefined && req[o] !== false) throw new TransferError('config', `${names[o]} does not apply to ${scheme} connections`);
    }
  };
  switch (parsed.kind) {
    case 'local':
      refuse(['keyFile', 'agent', 'acceptNewHostKey', 'caFile', 'tlsFingerprint', 'secret'], 'file://');
      return { config: { name, kind: 'local', root: parsed.root, ...maxConnections }, secrets: {} };
    case 'sftp': {
      refuse(['caFile', 'tlsFingerprint'], 'sftp://');
      if (req.keyFile !== undefined) await readUserFile(req.keyFile, 'private key');
      if (req.secret === undefined && req.keyFile === undefined && req.agent !== true) {
        throw new TransferError('config', `SFTP needs ${names.secret}, ${names.keyFile} or ${names.agent}`);
      }
      const keyPassphrase = req.keyFile !== undefined ? req.secret : undefined;
      const password = req.keyFile === undefined ? req.secret : undefined;
      return {
        config: {
          name,
          kind: 'sftp',
          host: parsed.host,
          port: parsed.port,
          user: parsed.user,
          root: parsed.root,
          hasPassword: password !== undefined,
          ...(req.keyFile === undefined ? {} : { keyFile: req.keyFile }),
          hasKeyPassphrase: keyPassphrase !== undefined,
          useAgent: req.agent === true,
          hostKeyPolicy: req.acceptNewHostKey === true ? 'accept-new' : 'strict',
          ...maxConnections,
        },
        secrets: {
          ...(password === undefined ? {} : { password }),
          ...(keyPassphrase === undefined ? {} : { keyPassphrase }),
        },
      };
    }
    case 'ftp': {
      refuse(['keyFile', 'agent', 'acceptNewHostKey'], `${url.split(':')[0] ?? 'ftp'}://`);
      if (parsed.security === 'none' && (req.caFile !== undefined || req.tlsFingerprint !== undefined)) {
        throw new TransferError('config', 'ftp:// is plain FTP: use ftpes:// or ftps:// for TLS');
      }
      if (req.caFile !== undefined && req.tlsFingerprint !== undefined) {
        throw new TransferError('config', `Give either ${names.caFile} or ${names.tlsFingerprint}, not both`);
      }
      // Parsed now, so that a wrong file fails before anything is saved.
      if (req.caFile !== undefined) await loadTlsTrust({ caFile: req.caFile });
      if (req.secret === undefined) throw new TransferError('config', `FTP needs ${names.secret}`);
      return {
        config: {
          name,
          kind: 'ftp',
          security: parsed.security,
          host: parsed.host,
          port: parsed.port,
          user: parsed.user,
          root: parsed.root,
          hasPassword: true,
          ...(req.caFile === undefined ? {} : { caFile: req.caFile }),
          ...(req.tlsFingerprint === undefined ? {} : { tlsFingerprint: parseFingerprints(req.tlsFingerprint).map(formatPin).join(',') }),
          ...maxConnections,
        },
        secrets: { password: req.secret },
      };
    }
    default:
      return assertNever(parsed, 'connection URL');
  }
}

/**
 * Connects, describes the server and lists its folder, so that FTP's data connections are tried too,
 * then tries what servers do not announce (TLS session reuse, their clock).
 */
export async function testConnection(ws: Workspace, name: string): Promise<ServerReport> {
  return describe(await ws.open(name));
}

/** Tests settings before they are saved: the form's fields, its secrets, nothing written. */
export async function probeConnection(ws: Workspace, built: BuiltConnection): Promise<ServerReport> {
  return describe(await ws.openUnsaved(built.config, built.secrets));
}

async function describe(fs: RemoteFs): Promise<ServerReport> {
  try {
    const report = fs.report === undefined ? { connector: fs.kind, description: fs.description, features: [], capabilities: fs.capabilities } : await fs.report();
    try {
      await fs.list('');
    } catch (e) {
      throw isTransferError(e) ? new DataConnectionError(e) : e;
    }
    return fs.probeServer === undefined ? report : { ...report, ...(await fs.probeServer()) };
  } finally {
    await fs.close();
  }
}

export type BuiltConnection = Awaited<ReturnType<typeof buildConnection>>;

/**
 * Saves a connection, tested first where asked: a new connection that cannot be reached is not kept
 * (an existing one keeps its new settings, so a fix can be tried again).
 */
export async function addConnection(ws: Workspace, built: BuiltConnection, test: boolean): Promise<ServerReport | undefined> {
  const before = await ws.connections.get(built.config.name);
  const existed = before !== undefined;
  // A connection saved again with new settings keeps the bandwidth limit it had: that is set on its own.
  const kept = before?.bandwidth === undefined || built.config.bandwidth !== undefined ? built.config : { ...built.config, bandwidth: before.bandwidth };
  await ws.saveConnection(kept, built.secrets);
  if (!test) return undefined;
  try {
    return await testConnection(ws, built.config.name);
  } catch (e) {
    if (!existed) await ws.removeConnection(built.config.name);
    throw e;
  }
}

/**
 * New settings for a saved connection. A secret left empty is the stored one, where the new settings
 * sign in the same way; with `test`, the settings are tried before anything changes, so a failed edit
 * leaves the connection as it was. Secrets the new settings no longer use are removed.
 */
export async function editConnection(ws: Workspace, req: ConnectionRequest, names: OptionNames, test: boolean): Promise<{ built: BuiltConnection; report?: ServerReport }> {
  const before = await ws.config(req.name);
  if (before.kind === 'salesforce') throw new TransferError('config', `"${req.name}" is a Salesforce org: sign in to it again to change it`);
  const built = await buildConnection(await withSavedSettings(ws, req, before), names);
  const report = test ? await probeConnection(ws, built) : undefined;
  await ws.saveConnection(built.config, built.secrets);
  const c = built.config;
  const keeps: Record<SecretKind, boolean> = {
    password: (c.kind === 'ftp' || c.kind === 'sftp') && c.hasPassword,
    keyPassphrase: c.kind === 'sftp' && c.hasKeyPassphrase,
    refreshToken: false,
  };
  for (const kind of SECRET_KINDS) if (!keeps[kind]) await ws.secrets.delete(secretKey(c.name, kind));
  return { built, ...(report === undefined ? {} : { report }) };
}

/**
 * The request completed from the saved connection of its name: the stored password or passphrase where
 * the field was left empty and still applies, and the settings the site manager's form does not show
 * (a CA file, a host-key policy, a connection budget), so that an edit loses none of them.
 */
export async function withSavedSettings(ws: Workspace, req: ConnectionRequest, saved: ConnectionConfig | undefined): Promise<ConnectionRequest> {
  if (saved === undefined || saved.kind === 'local' || saved.kind === 'salesforce') return req;
  const scheme = req.url.split(':')[0]?.toLowerCase() ?? '';
  const kept: Pick<ConnectionRequest, 'acceptNewHostKey' | 'caFile' | 'maxConnections'> = {
    ...(saved.maxConnections === undefined || req.maxConnections !== undefined ? {} : { maxConnections: saved.maxConnections }),
    ...(saved.kind === 'sftp' && scheme === 'sftp' && saved.hostKeyPolicy === 'accept-new' && req.acceptNewHostKey === undefined ? { acceptNewHostKey: true } : {}),
    ...(saved.kind === 'ftp' && saved.caFile !== undefined && (scheme === 'ftpes' || scheme === 'ftps') && req.tlsFingerprint === undefined && req.caFile === undefined ? { caFile: saved.caFile } : {}),
  };
  const completed: ConnectionRequest = { ...req, ...kept };
  if (req.secret !== undefined || req.agent === true) return completed;
  const kind: SecretKind | undefined =
    req.keyFile !== undefined ? (saved.kind === 'sftp' && saved.hasKeyPassphrase ? 'keyPassphrase' : undefined) : saved.hasPassword && (saved.kind === 'ftp' || saved.keyFile === undefined) ? 'password' : undefined;
  const secret = kind === undefined ? undefined : await ws.secrets.get(secretKey(saved.name, kind));
  return secret === undefined ? completed : { ...completed, secret };
}

/** How a connection signs in, for telling a wrong password from a refused key. */
export function problemContext(config: ConnectionConfig): ProblemContext {
  return { protocol: config.kind, signsInWithKey: config.kind === 'sftp' && (config.keyFile !== undefined || config.useAgent) };
}
