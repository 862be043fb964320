import type { Command } from 'commander';
import { formatConnectionUrl, parseConnectionUrl } from '../../config/connectionUrl.js';
import { isValidConnectionName, type ConnectionConfig } from '../../config/ConnectionStore.js';
import { readUserFile } from '../../config/readUserFile.js';
import { TransferError } from '../../connectors/errors.js';
import type { ServerReport } from '../../connectors/types.js';
import { formatPin, loadTlsTrust, parseFingerprints } from '../../security/tlsTrust.js';
import { assertNever } from '../../shared/util/assertNever.js';
import type { Workspace } from '../../workspace/Workspace.js';
import { print, printJson, readSecretFromStdin, type CliIo } from '../io.js';
import { registerSalesforceConnectionCommand } from './salesforce.js';

interface AddOptions {
  readonly passwordStdin?: boolean;
  readonly key?: string;
  readonly agent?: boolean;
  readonly acceptNewHostKey?: boolean;
  readonly ca?: string;
  readonly tlsFingerprint?: string;
  readonly maxConnections?: string;
  readonly test: boolean;
}

export function registerConnectionCommands(program: Command, io: CliIo, workspace: () => Workspace, signal: AbortSignal): void {
  const connection = program.command('connection').description('add, list, test and remove named connections');
  registerSalesforceConnectionCommand(connection, io, workspace, signal);

  connection
    .command('add <name> <url>')
    .description('add a connection: sftp://user@host[:port]/root, ftp://, ftpes:// (explicit TLS), ftps:// (implicit TLS) or file:///path')
    .option('--password-stdin', 'read the password (or, with --key, the key passphrase) from standard input')
    .option('--key <file>', 'SFTP: private key file (OpenSSH or PEM)')
    .option('--agent', 'SFTP: authenticate with the running ssh-agent (SSH_AUTH_SOCK)')
    .option('--accept-new-host-key', 'SFTP: trust and record the server key on first contact (as OpenSSH accept-new)')
    .option('--ca <file>', 'FTPS: trust certificates issued by this CA certificate (PEM)')
    .option('--tls-fingerprint <sha256>', 'FTPS: trust exactly the certificate with this SHA-256 fingerprint')
    .option('--max-connections <n>', 'most connections Ferry opens to this server at once')
    .option('--no-test', 'save without connecting first')
    .action(async (name: string, url: string, opts: AddOptions) => {
      const ws = workspace();
      const { config, secrets } = await buildConfig(name, url, opts, io);
      const existed = (await ws.connections.get(name)) !== undefined;
      await ws.saveConnection(config, secrets);
      if (!opts.test) {
        print(io, `Saved connection "${name}" (not tested).`);
        return;
      }
      try {
        const report = await testConnection(ws, name);
        print(io, `Saved connection "${name}": ${report.description}`);
        printReport(io, report);
      } catch (e) {
        // A connection that cannot be reached is not saved, unless it already existed.
        if (!existed) await ws.removeConnection(name);
        throw e;
      }
    });

  connection
    .command('list')
    .description('list connections (secrets are never shown)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const all = await workspace().connections.list();
      if (opts.json === true) {
        printJson(io, all.map(publicView));
        return;
      }
      if (all.length === 0) print(io, 'No connections yet: add one with "ferry connection add <name> <url>".');
      for (const c of all) print(io, `${c.name.padEnd(20)} ${describeConfig(c)}`);
    });

  connection
    .command('remove <name>')
    .description('remove a connection and its stored secrets')
    .action(async (name: string) => {
      if (!(await workspace().removeConnection(name))) {
        throw new TransferError('config', `No connection named "${name}"`);
      }
      print(io, `Removed connection "${name}".`);
    });

  connection
    .command('test <name>')
    .description('connect and report what the server supports')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const report = await testConnection(workspace(), name);
      if (opts.json === true) printJson(io, report);
      else printReport(io, report);
    });
}

async function testConnection(ws: Workspace, name: string): Promise<ServerReport> {
  const fs = await ws.open(name);
  try {
    if (fs.report !== undefined) return await fs.report();
    await fs.list('');
    return { connector: fs.kind, description: fs.description, features: [], capabilities: fs.capabilities };
  } finally {
    await fs.close();
  }
}

function printReport(io: CliIo, r: ServerReport): void {
  print(io, `  server:       ${r.description}`);
  if (r.banner !== undefined) print(io, `  banner:       ${r.banner}`);
  if (r.security !== undefined) print(io, `  security:     ${r.security}`);
  if (r.features.length > 0) print(io, `  features:     ${r.features.join(' ')}`);
  const c = r.capabilities;
  print(io, `  resume:       ${c.resume ? 'yes' : 'no'}`);
  print(io, `  atomic publish (rename): ${c.rename ? 'yes' : 'no'}`);
  print(io, `  set modification time:   ${c.mtimePrecisionMs > 0 ? 'yes' : 'no'}`);
  print(io, `  server-side hashes:      ${c.hashes.length > 0 ? c.hashes.join(', ') : 'none (verified by size)'}`);
  print(io, `  parallel operations:     ${c.maxConcurrency}`);
}

async function buildConfig(
  name: string,
  url: string,
  opts: AddOptions,
  io: CliIo,
): Promise<{ config: ConnectionConfig; secrets: { password?: string; keyPassphrase?: string } }> {
  if (!isValidConnectionName(name)) {
    throw new TransferError('config', `Invalid connection name "${name}": use letters, digits, '.', '_' or '-'`);
  }
  const parsed = parseConnectionUrl(url);
  const maxConnections = parseMaxConnections(opts.maxConnections);
  const stdinSecret = opts.passwordStdin === true ? await readSecretFromStdin(io) : undefined;
  switch (parsed.kind) {
    case 'local':
      refuseOptions(opts, ['key', 'agent', 'acceptNewHostKey', 'ca', 'tlsFingerprint', 'passwordStdin'], 'file://');
      return { config: { name, kind: 'local', root: parsed.root, ...maxConnections }, secrets: {} };
    case 'sftp': {
      refuseOptions(opts, ['ca', 'tlsFingerprint'], 'sftp://');
      if (opts.key !== undefined) await readUserFile(opts.key, 'private key');
      if (stdinSecret === undefined && opts.key === undefined && opts.agent !== true) {
        throw new TransferError('config', 'SFTP needs --password-stdin, --key <file> or --agent');
      }
      const keyPassphrase = opts.key !== undefined ? stdinSecret : undefined;
      const password = opts.key === undefined ? stdinSecret : undefined;
      return {
        config: {
          name,
          kind: 'sftp',
          host: parsed.host,
          port: parsed.port,
          user: parsed.user,
          root: parsed.root,
          hasPassword: password !== undefined,
          ...(opts.key === undefined ? {} : { keyFile: opts.key }),
          hasKeyPassphrase: keyPassphrase !== undefined,
          useAgent: opts.agent === true,
          hostKeyPolicy: opts.acceptNewHostKey === true ? 'accept-new' : 'strict',
          ...maxConnections,
        },
        secrets: {
          ...(password === undefined ? {} : { password }),
          ...(keyPassphrase === undefined ? {} : { keyPassphrase }),
        },
      };
    }
    case 'ftp': {
      refuseOptions(opts, ['key', 'agent', 'acceptNewHostKey'], `${url.split(':')[0] ?? 'ftp'}://`);
      if (parsed.security === 'none' && (opts.ca !== undefined || opts.tlsFingerprint !== undefined)) {
        throw new TransferError('config', 'ftp:// is plain FTP: use ftpes:// or ftps:// for TLS');
      }
      if (opts.ca !== undefined && opts.tlsFingerprint !== undefined) {
        throw new TransferError('config', 'Give either --ca or --tls-fingerprint, not both');
      }
      // Parsed now, so that a wrong file fails before anything is saved.
      if (opts.ca !== undefined) await loadTlsTrust({ caFile: opts.ca });
      if (stdinSecret === undefined) throw new TransferError('config', 'FTP needs --password-stdin');
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
          ...(opts.ca === undefined ? {} : { caFile: opts.ca }),
          ...(opts.tlsFingerprint === undefined ? {} : { tlsFingerprint: parseFingerprints(opts.tlsFingerprint).map(formatPin).join(',') }),
          ...maxConnections,
        },
        secrets: { password: stdinSecret },
      };
    }
    default:
      return assertNever(parsed, 'connection URL');
  }
}

function parseMaxConnections(value: string | undefined): { maxConnections?: number } {
  if (value === undefined) return {};
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new TransferError('config', '--max-connections takes a whole number from 1 to 64');
  return { maxConnections: n };
}

function refuseOptions(opts: AddOptions, names: ReadonlyArray<keyof AddOptions>, scheme: string): void {
  for (const n of names) {
    if (opts[n] !== undefined) {
      const flag = n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      throw new TransferError('config', `--${flag} does not apply to ${scheme} connections`);
    }
  }
}

/** The settings a user may see (secrets are never in them); a connection reached by URL has it too. */
function publicView(c: ConnectionConfig): Record<string, unknown> {
  return c.kind === 'salesforce' ? { ...c } : { ...c, url: formatConnectionUrl(c) };
}

export function describeConfig(c: ConnectionConfig): string {
  if (c.kind !== 'salesforce') return formatConnectionUrl(c);
  return `salesforce ${c.auth === 'jwt' ? `${c.username ?? ''} (JWT)` : '(browser sign-in)'} via ${c.loginUrl}, API v${c.apiVersion}`;
}
