import type { ConnectionConfig, SalesforceConnectionConfig } from '../config/ConnectionStore.js';
import { readUserFile } from '../config/readUserFile.js';
import { KnownHosts, defaultReadOnlyKnownHostsPaths, type HostKeyAnswer, type UnknownHostKey } from '../security/KnownHosts.js';
import { secretKey, type SecretKind } from '../security/secretKeys.js';
import type { SecretStore } from '../security/SecretStore.js';
import { loadTlsTrust, type CertificateAnswer, type UntrustedCertificate } from '../security/tlsTrust.js';
import { assertNever } from '../shared/util/assertNever.js';
import { TransferError } from './errors.js';
import { LocalFs } from './local/LocalFs.js';
import type { ApiBudgetOptions } from './salesforce/ApiBudget.js';
import type { RemoteFs } from './types.js';

export interface OpenDeps {
  readonly secrets: SecretStore;
  /** Ferry's own known_hosts file. */
  readonly knownHostsFile: string;
  /** Asks a person about an unknown SSH host key; absent when nobody is at a terminal. */
  readonly confirmHostKey?: (question: UnknownHostKey) => Promise<HostKeyAnswer>;
  /** Asks a person about an FTPS certificate nothing vouches for; absent, such a certificate is refused. */
  readonly confirmCertificate?: (certificate: UntrustedCertificate) => Promise<CertificateAnswer>;
  /** How a Salesforce connection behaves near the daily API limit: reserve, recheck interval, pause notices. */
  readonly salesforceBudget?: Partial<ApiBudgetOptions>;
}

/** Builds the connector for a saved connection, fetching its secrets from the secret store. */
export async function openConnection(config: ConnectionConfig, deps: OpenDeps): Promise<RemoteFs> {
  switch (config.kind) {
    case 'local':
      return new LocalFs(config.root);
    case 'sftp': {
      const password = config.hasPassword ? await requireSecret(deps.secrets, config.name, 'password') : undefined;
      const passphrase = config.hasKeyPassphrase ? await requireSecret(deps.secrets, config.name, 'keyPassphrase') : undefined;
      const privateKey = config.keyFile === undefined ? undefined : await readUserFile(config.keyFile, 'private key');
      const agent = config.useAgent ? process.env['SSH_AUTH_SOCK'] : undefined;
      if (config.useAgent && agent === undefined) {
        throw new TransferError('config', `Connection "${config.name}" uses ssh-agent, but SSH_AUTH_SOCK is not set`);
      }
      // Each protocol library is loaded only when a connection needs it: every command starts faster.
      const { SftpFs } = await import('./sftp/SftpFs.js');
      return new SftpFs({
        host: config.host,
        port: config.port,
        username: config.user,
        root: config.root,
        hostKeys: new KnownHosts({
          path: deps.knownHostsFile,
          readOnlyPaths: defaultReadOnlyKnownHostsPaths(),
          policy: config.hostKeyPolicy,
          ...(deps.confirmHostKey === undefined ? {} : { confirmUnknown: deps.confirmHostKey }),
        }),
        ...(password === undefined ? {} : { password }),
        ...(privateKey === undefined ? {} : { privateKey }),
        ...(passphrase === undefined ? {} : { passphrase }),
        ...(agent === undefined ? {} : { agent }),
        ...(config.maxConnections === undefined ? {} : { maxConnections: config.maxConnections }),
      });
    }
    case 'ftp': {
      const password = await requireSecret(deps.secrets, config.name, 'password');
      const trust = await loadTlsTrust({
        ...(config.caFile === undefined ? {} : { caFile: config.caFile }),
        ...(config.tlsFingerprint === undefined ? {} : { fingerprint: config.tlsFingerprint }),
      });
      const { FtpFs } = await import('./ftp/FtpFs.js');
      return new FtpFs({
        host: config.host,
        port: config.port,
        username: config.user,
        password,
        root: config.root,
        security: config.security,
        trust,
        ...(deps.confirmCertificate === undefined ? {} : { confirmCertificate: deps.confirmCertificate }),
        ...(config.maxConnections === undefined ? {} : { maxConnections: config.maxConnections }),
      });
    }
    case 'salesforce':
      return openSalesforce(config, deps);
    default:
      return assertNever(config, 'connection');
  }
}

async function openSalesforce(config: SalesforceConnectionConfig, deps: OpenDeps): Promise<RemoteFs> {
  const { SalesforceSession } = await import('./salesforce/SalesforceSession.js');
  const { ApiBudget, DEFAULT_BUDGET } = await import('./salesforce/ApiBudget.js');
  const auth =
    config.auth === 'oauth'
      ? { kind: 'oauth' as const, clientId: config.clientId, loginUrl: config.loginUrl, refreshToken: await requireSecret(deps.secrets, config.name, 'refreshToken') }
      : {
          kind: 'jwt' as const,
          clientId: config.clientId,
          loginUrl: config.loginUrl,
          username: config.username ?? '',
          privateKeyPem: (await readUserFile(config.jwtKeyFile ?? '', 'JWT private key')).toString('utf8'),
        };
  const session = new SalesforceSession({
    auth,
    apiVersion: config.apiVersion,
    budget: new ApiBudget({ ...DEFAULT_BUDGET, ...deps.salesforceBudget }),
  });
  await session.ensureSignedIn();
  const description = `salesforce://${config.username ?? config.name}@${new URL(session.instanceUrl).host}`;
  const parallel = config.maxConnections === undefined ? {} : { maxParallelUploads: config.maxConnections };
  if (config.mode === 'sdrive') {
    const { SDriveFs } = await import('./salesforce/sdrive/SDriveFs.js');
    const { PACKAGED_OBJECTS } = await import('./salesforce/sdrive/fileObjects.js');
    const custom = config.sdriveObjects ?? [];
    const objects = [...PACKAGED_OBJECTS.filter((p) => !custom.some((c) => c.object === p.object)), ...custom];
    return new SDriveFs({ session, description: `${description} (S-Drive)`, objects, ...parallel });
  }
  const { SalesforceFilesFs } = await import('./salesforce/SalesforceFilesFs.js');
  return new SalesforceFilesFs({ session, description, root: config.root, ...parallel });
}

async function requireSecret(secrets: SecretStore, name: string, what: SecretKind): Promise<string> {
  const value = await secrets.get(secretKey(name, what));
  if (value === undefined) {
    const label = what === 'keyPassphrase' ? 'key passphrase' : what === 'refreshToken' ? 'Salesforce sign-in' : what;
    throw new TransferError('config', `The ${label} of connection "${name}" is missing from the secret store: add the connection again`);
  }
  return value;
}
