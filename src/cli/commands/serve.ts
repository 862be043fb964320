import type { Command } from 'commander';
import { resolve } from 'node:path';
import { TransferError } from '../../connectors/errors.js';
import { ferryPaths } from '../../config/ferryHome.js';
import { print, warn, type CliIo } from '../io.js';

interface ServeOptions {
  readonly port: string;
  readonly ui?: string;
}

/**
 * `ferry serve`: Ferry's window in a browser on this machine, until SIGTERM or Ctrl-C. The address it
 * prints carries the key; it is the only place the key is ever shown.
 */
export function registerServeCommand(program: Command, io: CliIo, signal: AbortSignal): void {
  program
    .command('serve')
    .description("open Ferry's window in a browser on this machine (127.0.0.1 only; Ctrl-C stops it)")
    .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', '0')
    .option('--ui <folder>', "the built window to serve (default: out/renderer-web in Ferry's folder)")
    .action(async (opts: ServeOptions) => {
      const port = Number(opts.port);
      if (!/^\d+$/.test(opts.port) || port > 65_535) throw new TransferError('config', '--port takes a port number (0 picks a free one)');
      const { createFerryHost } = await import('../../host/FerryHost.js');
      const { defaultRendererFolder, ferryVersion } = await import('../../host/http/ferryPackage.js');
      const { startWebHost } = await import('../../host/http/startWebHost.js');
      const { Prompts } = await import('../../host/Prompts.js');
      const { Workspace } = await import('../../workspace/Workspace.js');
      // The window asks about an unknown server key, not the terminal it was started from.
      const prompts = new Prompts();
      const ws = new Workspace(ferryPaths(io.env), io.env, prompts);
      const core = createFerryHost({ workspace: ws, host: 'web', version: await ferryVersion(), prompts });
      const web = await startWebHost({
        core,
        port,
        staticDir: resolve(opts.ui ?? defaultRendererFolder()),
        onError: (e) => warn(io, `ferry serve: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
      }).catch(async (e: unknown) => {
        await core.close();
        ws.close();
        if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new TransferError('config', `Port ${port} of 127.0.0.1 is taken: choose another with --port, or 0 for a free one`);
        throw e;
      });
      print(io, `Ferry is open at ${web.url} (Ctrl-C stops it)`);
      await new Promise<void>((done) => {
        if (signal.aborted) done();
        else signal.addEventListener('abort', () => done(), { once: true });
      });
      await web.close();
      await core.close();
      ws.close();
      warn(io, 'Ferry stopped.');
    });
}
