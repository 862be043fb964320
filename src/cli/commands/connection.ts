import { basename } from 'node:path';
import type { Command } from 'commander';
import { formatConnectionUrl } from '../../config/connectionUrl.js';
import type { ConnectionConfig } from '../../config/ConnectionStore.js';
import { readUserFile } from '../../config/readUserFile.js';
import { TransferError } from '../../connectors/errors.js';
import type { ServerReport } from '../../connectors/types.js';
import { clockWords, tlsSessionReuseWords } from '../../shared/serverProbeWords.js';
import type { OptionNames } from '../../workspace/connectionSetup.js';
import { MAX_SITE_FILE_CHARS } from '../../workspace/siteImport/site.js';
import type { Workspace } from '../../workspace/Workspace.js';
import { print, printJson, readSecretFromStdin, warn, type CliIo } from '../io.js';
import { registerConnectionLimitCommand } from './connectionLimit.js';
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
  const connection = program.command('connection').description('add, import, list, test and remove named connections');
  registerSalesforceConnectionCommand(connection, io, workspace, signal);
  registerConnectionLimitCommand(connection, io, workspace);

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
      const { addConnection, buildConnection } = await import('../../workspace/connectionSetup.js');
      const ws = workspace();
      const secret = opts.passwordStdin === true ? await readSecretFromStdin(io) : undefined;
      const built = await buildConnection(
        {
          name,
          url,
          ...(secret === undefined ? {} : { secret }),
          ...(opts.key === undefined ? {} : { keyFile: opts.key }),
          ...(opts.agent === true ? { agent: true } : {}),
          ...(opts.acceptNewHostKey === true ? { acceptNewHostKey: true } : {}),
          ...(opts.ca === undefined ? {} : { caFile: opts.ca }),
          ...(opts.tlsFingerprint === undefined ? {} : { tlsFingerprint: opts.tlsFingerprint }),
          ...parseMaxConnections(opts.maxConnections),
        },
        FLAGS,
      );
      const report = await addConnection(ws, built, opts.test);
      if (report === undefined) {
        print(io, `Saved connection "${name}" (not tested).`);
        return;
      }
      print(io, `Saved connection "${name}": ${report.description}`);
      printReport(io, report);
    });

  connection
    .command('import <file>')
    .description("import sites from FileZilla's sitemanager.xml or WinSCP's WinSCP.ini (stored passwords go to the secret store)")
    .option('--dry-run', 'show what each site would become; save nothing')
    .action(async (file: string, opts: { dryRun?: boolean }) => {
      const { applySiteImport, previewSiteImport } = await import('../../workspace/siteImport/siteImport.js');
      const ws = workspace();
      const text = (await readUserFile(file, 'site list', { maxBytes: MAX_SITE_FILE_CHARS })).toString('utf8');
      const fileName = basename(file);
      const preview = await previewSiteImport(ws, fileName, text);
      const importable = preview.sites.filter((s) => s.url !== undefined);
      print(io, `${fileName}: ${preview.sites.length} ${preview.sites.length === 1 ? 'site' : 'sites'} (${preview.format === 'filezilla' ? 'FileZilla' : 'WinSCP'})`);
      for (const site of preview.sites) {
        print(io, site.url === undefined ? `  ${site.source}: not imported` : `  ${site.source} → ${site.name}  ${site.url}`);
        if (site.clash !== undefined) print(io, `      ${site.clash}`);
        for (const line of site.notImported) print(io, `      not imported: ${line}`);
      }
      if (opts.dryRun === true) {
        print(io, `Dry run: nothing saved (${importable.length} would be imported).`);
        return;
      }
      if (importable.length === 0) throw new TransferError('config', `${fileName} holds no site Ferry can import`);
      const saved = await applySiteImport(ws, fileName, text, importable.map((s) => s.id));
      print(io, `Imported ${saved.length} ${saved.length === 1 ? 'connection' : 'connections'}; test each with "ferry connection test <name>".`);
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
      const { problemContext, testConnection } = await import('../../workspace/connectionSetup.js');
      const ws = workspace();
      let report: ServerReport;
      try {
        report = await testConnection(ws, name);
      } catch (e) {
        // The cause in plain words first; the error's own message follows as for any failed command.
        const config = await ws.connections.get(name);
        if (config !== undefined) {
          const { explainProblem } = await import('../../workspace/connectionProblem.js');
          const problem = explainProblem(e, problemContext(config));
          warn(io, problem.summary);
          warn(io, problem.advice);
        }
        throw e;
      }
      if (opts.json === true) printJson(io, report);
      else printReport(io, report);
    });
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
  if (r.tlsSessionReuse !== undefined) print(io, `  TLS session reuse:       ${tlsSessionReuseWords(r.tlsSessionReuse)}`);
  if (r.clock !== undefined) print(io, `  server clock:            ${clockWords(r.clock)}`);
}

/** The flags that set each option, for errors that name them. */
const FLAGS: OptionNames = {
  secret: '--password-stdin',
  keyFile: '--key',
  agent: '--agent',
  acceptNewHostKey: '--accept-new-host-key',
  caFile: '--ca',
  tlsFingerprint: '--tls-fingerprint',
};

function parseMaxConnections(value: string | undefined): { maxConnections?: number } {
  if (value === undefined) return {};
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new TransferError('config', '--max-connections takes a whole number from 1 to 64');
  return { maxConnections: n };
}

/** The settings a user may see (secrets are never in them); a connection reached by URL has it too. */
function publicView(c: ConnectionConfig): Record<string, unknown> {
  return c.kind === 'salesforce' ? { ...c } : { ...c, url: formatConnectionUrl(c) };
}

export function describeConfig(c: ConnectionConfig): string {
  if (c.kind !== 'salesforce') return formatConnectionUrl(c);
  return `salesforce ${c.auth === 'jwt' ? `${c.username ?? ''} (JWT)` : '(browser sign-in)'} via ${c.loginUrl}, API v${c.apiVersion}`;
}
