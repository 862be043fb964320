import type { ConnectionConfig } from '../config/ConnectionStore.js';
import { TransferError } from '../connectors/errors.js';
import { KnownHosts } from '../security/KnownHosts.js';
import type { Workspace } from '../workspace/Workspace.js';
import { DEMO_USER } from './credentials.js';

/** The connections the demo makes, by the names the window shows. */
export const DEMO_CONNECTIONS = {
  sftp: 'partner-sftp',
  ftp: 'partner-ftp',
  salesforce: 'salesforce-demo',
} as const;

const LOOPBACK = '127.0.0.1';

export interface DemoEndpoints {
  readonly sftp: { readonly port: number; readonly password: string; readonly hostKey: Buffer };
  readonly ftp: { readonly port: number; readonly password: string };
  readonly salesforce: { readonly url: string; readonly clientId: string; readonly keyFile: string; readonly username: string; readonly apiVersion: string };
}

/**
 * Refuses to start when a connection has one of the demo's names but is not the demo's (someone's real
 * partner server): the demo would overwrite it.
 */
export async function assertDemoNamesFree(ws: Workspace): Promise<void> {
  for (const name of Object.values(DEMO_CONNECTIONS)) {
    const existing = await ws.connections.get(name);
    if (existing !== undefined && !isDemos(existing)) {
      throw new TransferError('config', `A connection named "${name}" is not the demo's: rename or remove it to run the demo`);
    }
  }
}

/**
 * Saves the demo's connections for this start (ports and passwords are new each time), passwords in the
 * secret store as any connection's, and trusts the SFTP server's key for its new port only.
 */
export async function saveDemoConnections(ws: Workspace, at: DemoEndpoints): Promise<void> {
  const knownHosts = new KnownHosts({ path: ws.paths.knownHosts, policy: 'strict' });
  const previous = await ws.connections.get(DEMO_CONNECTIONS.sftp);
  if (previous?.kind === 'sftp' && previous.port !== at.sftp.port) await knownHosts.forget(previous.host, previous.port);
  await knownHosts.record(LOOPBACK, at.sftp.port, at.sftp.hostKey);

  await ws.saveConnection(
    {
      name: DEMO_CONNECTIONS.sftp,
      kind: 'sftp',
      host: LOOPBACK,
      port: at.sftp.port,
      user: DEMO_USER,
      root: '/',
      hasPassword: true,
      hasKeyPassphrase: false,
      useAgent: false,
      hostKeyPolicy: 'strict',
    },
    { password: at.sftp.password },
  );
  await ws.saveConnection(
    { name: DEMO_CONNECTIONS.ftp, kind: 'ftp', security: 'none', host: LOOPBACK, port: at.ftp.port, user: DEMO_USER, root: '/', hasPassword: true },
    { password: at.ftp.password },
  );
  await ws.saveConnection(
    {
      name: DEMO_CONNECTIONS.salesforce,
      kind: 'salesforce',
      loginUrl: at.salesforce.url,
      clientId: at.salesforce.clientId,
      auth: 'jwt',
      username: at.salesforce.username,
      jwtKeyFile: at.salesforce.keyFile,
      apiVersion: at.salesforce.apiVersion,
      root: '',
      mode: 'files',
    },
    {},
  );
}

/** Whether a saved connection is one the demo made: the kind its name has in the demo, on this machine. */
function isDemos(existing: ConnectionConfig): boolean {
  switch (existing.kind) {
    case 'sftp':
      return existing.name === DEMO_CONNECTIONS.sftp && existing.host === LOOPBACK && existing.user === DEMO_USER;
    case 'ftp':
      return existing.name === DEMO_CONNECTIONS.ftp && existing.host === LOOPBACK && existing.user === DEMO_USER;
    case 'salesforce':
      return existing.name === DEMO_CONNECTIONS.salesforce && new URL(existing.loginUrl).hostname === LOOPBACK;
    case 'local':
      return false;
  }
}
