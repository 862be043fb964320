import type { Command } from 'commander';
import { resolve } from 'node:path';
import { ferryPaths } from '../../config/ferryHome.js';
import type { Prompts } from '../../host/Prompts.js';
import type { Workspace } from '../../workspace/Workspace.js';
import { print, warn, type CliIo } from '../io.js';

/**
 * `ferry demo` (what `npm start` runs): the demo's servers and Salesforce sandbox, connected, and Ferry's
 * window over them, in the desktop app where it is installed and in the browser elsewhere, until the
 * window closes or Ctrl-C.
 */
export function registerDemoCommand(program: Command, io: CliIo, signal: AbortSignal): void {
  program
    .command('demo')
    .description('open Ferry on a demo: partner SFTP and FTP servers with sample files and a Salesforce sandbox, all on this machine (Ctrl-C stops it)')
    .option('--browser', 'open the window in the browser even where the desktop app is installed')
    .action(async (opts: { readonly browser?: boolean }) => {
      // Loaded on use: every other command starts without the servers' libraries.
      const { startDemo } = await import('../../demo/startDemo.js');
      const { DEMO_CONNECTIONS } = await import('../../demo/demoConnections.js');
      const { electronBinary, runDesktopShell } = await import('../../demo/desktopShell.js');
      const { ferryPackageFolder } = await import('../../host/http/ferryPackage.js');
      const { Prompts } = await import('../../host/Prompts.js');
      const { Workspace } = await import('../../workspace/Workspace.js');
      // As in `ferry serve`: the window, not the terminal, asks about a server key it has not seen.
      const prompts = new Prompts();
      const ws = new Workspace(ferryPaths(io.env), io.env, prompts);
      try {
        const demo = await startDemo(ws);
        try {
          print(io, `Demo ready in ${ws.paths.home}: ${DEMO_CONNECTIONS.sftp}, ${DEMO_CONNECTIONS.ftp} and ${DEMO_CONNECTIONS.salesforce} are connected.`);
          const electron = opts.browser === true ? undefined : electronBinary();
          if (electron !== undefined) {
            await runDesktopShell(electron, ferryPackageFolder(), { ...process.env, FERRY_HOME: ws.paths.home }, signal);
            return;
          }
          if (opts.browser !== true) print(io, "The desktop app (Electron) is not installed here, so Ferry's window opens in your browser.");
          await serveWindow(io, ws, prompts, signal);
        } finally {
          await demo.close();
          warn(io, 'Demo stopped.');
        }
      } finally {
        ws.close();
      }
    });
}

/** The window in a browser, served as `ferry serve` serves it, until `signal`. */
async function serveWindow(io: CliIo, ws: Workspace, prompts: Prompts, signal: AbortSignal): Promise<void> {
  const { createFerryHost } = await import('../../host/FerryHost.js');
  const { defaultRendererFolder, ferryVersion } = await import('../../host/http/ferryPackage.js');
  const { startWebHost } = await import('../../host/http/startWebHost.js');
  const core = createFerryHost({ workspace: ws, host: 'web', version: await ferryVersion(), prompts });
  try {
    const web = await startWebHost({
      core,
      port: 0,
      staticDir: resolve(defaultRendererFolder()),
      onError: (e) => warn(io, `ferry demo: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
    });
    print(io, `Ferry is open at ${web.url} (Ctrl-C stops it)`);
    await new Promise<void>((done) => {
      if (signal.aborted) done();
      else signal.addEventListener('abort', () => done(), { once: true });
    });
    await web.close();
  } finally {
    await core.close();
  }
}
