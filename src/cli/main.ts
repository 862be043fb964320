import { Command, CommanderError } from 'commander';
import { ferryPaths } from '../config/ferryHome.js';
import { isTransferError } from '../connectors/errors.js';
import type { Workspace } from '../workspace/Workspace.js';
import { registerConnectionCommands } from './commands/connection.js';
import { registerCopyCommands, type CopyOutcome } from './commands/copy.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerHistoryCommand } from './commands/history.js';
import { registerJobCommands } from './commands/jobs.js';
import { registerDaemonCommand } from './commands/daemon.js';
import { registerProfileCommands } from './commands/profile.js';
import { registerQuarantineCommands } from './commands/quarantine.js';
import { registerSecretCommands } from './commands/secret.js';
import { registerLsCommand } from './commands/ls.js';
import { registerSandboxCommand } from './commands/sandbox.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSyncCommand } from './commands/sync.js';
import { askYesNo, isInteractive, ReaderSafeOutput, warn, type CliIo } from './io.js';
import type { HostKeyAnswer, UnknownHostKey } from '../security/KnownHosts.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Runs one CLI invocation and returns its exit code: 0 all done, 1 something failed, 2 usage or configuration. */
export async function runCli(argv: ReadonlyArray<string>, io: CliIo, signal: AbortSignal): Promise<number> {
  let ws: Workspace | undefined;
  const confirmHostKey = isInteractive(io)
    ? async (q: UnknownHostKey): Promise<HostKeyAnswer> =>
        (await askYesNo(
          io,
          `The host key of ${q.host}:${q.port} is not known.\n${q.keyType} key fingerprint is ${q.fingerprint}.\n` +
            "Compare it with the fingerprint the server's administrator gives you. Trust it and connect?",
        ))
          ? 'trust'
          : 'refuse'
    : undefined;
  // Loaded when a command's action starts (the preAction hook below), so that --help and usage errors never load it.
  let WorkspaceClass: typeof Workspace | undefined;
  const workspace = (): Workspace => {
    if (WorkspaceClass === undefined) throw new Error('The workspace is opened only from inside a command');
    return (ws ??= new WorkspaceClass(ferryPaths(io.env), io.env, confirmHostKey === undefined ? {} : { confirmHostKey }));
  };
  const outcome: CopyOutcome = { anyFailed: false };
  const program = new Command('ferry')
    .description('Ferry: managed file exchange between FTP, FTPS, SFTP, local folders and Salesforce')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError()
    .hook('preAction', async () => {
      ({ Workspace: WorkspaceClass } = await import('../workspace/Workspace.js'));
    });
  registerConnectionCommands(program, io, workspace, signal);
  registerLsCommand(program, io, workspace);
  registerCopyCommands(program, io, workspace, outcome, signal);
  registerSyncCommand(program, io, workspace, outcome, signal);
  registerDemoCommand(program, io, signal);
  registerHistoryCommand(program, io, workspace);
  registerJobCommands(program, io, workspace, outcome, signal);
  registerQuarantineCommands(program, io, workspace, outcome, signal);
  registerProfileCommands(program, io, outcome);
  registerDaemonCommand(program, io, workspace, signal);
  registerSecretCommands(program, io, workspace);
  registerSandboxCommand(program, io, signal);
  registerServeCommand(program, io, signal);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return outcome.anyFailed ? EXIT_FAILED : EXIT_OK;
  } catch (caught) {
    // SQLite's word for a damaged file names no file: when it is the history, Ferry says so and what to do.
    const e = ws?.historyDamageBehind(caught) ?? caught;
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (isTransferError(e)) {
      warn(io, `ferry: ${e.message}`);
      return e.kind === 'config' || e.kind === 'validation' ? EXIT_USAGE : EXIT_FAILED;
    }
    warn(io, `ferry: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return EXIT_FAILED;
  } finally {
    ws?.close();
  }
}

/** Entry point for the `ferry` binary. */
export async function main(): Promise<void> {
  const abort = new AbortController();
  // First Ctrl-C cancels cleanly (partial files removed); a second one exits at once.
  process.once('SIGINT', () => {
    abort.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  process.once('SIGTERM', () => abort.abort());
  const io: CliIo = {
    stdout: new ReaderSafeOutput(process.stdout),
    stderr: new ReaderSafeOutput(process.stderr),
    stdin: process.stdin,
    env: process.env,
  };
  process.exitCode = await runCli(process.argv.slice(2), io, abort.signal);
}
