import type { Command } from 'commander';
import { join } from 'node:path';
import { ferryPaths } from '../../config/ferryHome.js';
import { TransferError } from '../../connectors/errors.js';
import { print, type CliIo } from '../io.js';

interface SandboxOptions {
  readonly port: string;
  readonly data?: string;
  readonly seed: string;
  readonly sdrive?: boolean;
}

/** The port the sandbox listens on by default: fixed, so that a saved connection still works after a restart. */
export const DEFAULT_SANDBOX_PORT = 7717;

export function registerSandboxCommand(program: Command, io: CliIo, signal: AbortSignal): void {
  program
    .command('sandbox')
    .description('run a local Salesforce API sandbox (REST, OAuth, Files, limits) for trying Ferry without an org')
    .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', String(DEFAULT_SANDBOX_PORT))
    .option('--data <dir>', 'folder that keeps the org between runs (default: <Ferry data folder>/sandbox)')
    .option('--seed <kind>', 'demo (realistic records) or empty, for a new data folder', 'demo')
    .option('--sdrive', 'also serve the S-Drive objects, Apex REST resource and S3-style bucket')
    .action(async (opts: SandboxOptions) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new TransferError('config', '--port takes a port number (0 picks a free one)');
      if (opts.seed !== 'demo' && opts.seed !== 'empty') throw new TransferError('config', '--seed takes demo or empty');
      const dataDir = opts.data ?? join(ferryPaths(io.env).home, 'sandbox');
      const { startSandbox } = await import('../../sandbox/server.js');
      const sandbox = await startSandbox({ port, dataDir, seed: opts.seed, sdrive: opts.sdrive === true });
      const user = sandbox.context.defaultUser.username;
      print(io, `Salesforce API sandbox listening on ${sandbox.url} (org kept in ${dataDir})`);
      print(io, '');
      print(io, 'Add it as a connection (no browser needed):');
      print(io, `  ferry connection salesforce sandbox --login ${sandbox.url} --client-id ${sandbox.jwt.clientId} --jwt-key ${quote(sandbox.jwt.keyFile)} --username ${user}`);
      print(io, '');
      print(io, 'Then, for example:');
      print(io, '  ferry ls sandbox:Account/');
      print(io, "  ferry copy ./invoices/ sandbox:Account/ --recursive --attach-by 'INV-{AccountNumber}-{*}'");
      print(io, '');
      print(io, `Test controls: send "X-Sandbox-Admin: ${sandbox.adminKey}" to ${sandbox.url}/__sandbox/state, /settings, /faults.`);
      print(io, 'Press Ctrl-C to stop.');
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await sandbox.close();
      print(io, 'Sandbox stopped.');
    });
}

function quote(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}
