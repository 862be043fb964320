import { parseConnectionUrl } from '../config/connectionUrl.js';
import { isValidConnectionName, type ConnectionConfig } from '../config/ConnectionStore.js';
import { readUserFile } from '../config/readUserFile.js';
import { TransferError } from '../connectors/errors.js';
import type { ServerReport } from '../connectors/types.js';
import { formatPin, loadTlsTrust, parseFingerprints } from '../security/tlsTrust.js';
import { assertNever } from '../shared/util/assertNever.js';
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

/** Connects and describes the server; a connector without a report is listed once to prove access. */
export async function testConnection(ws: Workspace, name: string): Promise<ServerReport> {
  const fs = await ws.open(name);
  try {
    if (fs.report !== undefined) return await fs.report();
    await fs.list('');
    return { connector: fs.kind, description: fs.description, features: [], capabilities: fs.capabilities };
  } finally {
    await fs.close();
  }
}

/**
 * Saves a connection, tested first where asked: a new connection that cannot be reached is not kept
 * (an existing one keeps its new settings, so a fix can be tried again).
 */
export async function addConnection(ws: Workspace, built: Awaited<ReturnType<typeof buildConnection>>, test: boolean): Promise<ServerReport | undefined> {
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
