import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ferryPaths } from '../../src/config/ferryHome.js';
import type { CoreHost } from '../../src/host/CoreHost.js';
import { createFerryHost } from '../../src/host/FerryHost.js';
import type { CommandInput, CommandName, CommandOutput } from '../../src/shared/contract/commands.js';
import type { EventMessage } from '../../src/shared/contract/events.js';
import type { Wire } from '../../src/shared/contract/wire.js';
import { Workspace } from '../../src/workspace/Workspace.js';

/** Runs a command through the core and gives its value; an error answer fails the test with its kind and message. */
export type CallCommand = <C extends CommandName>(command: C, input: CommandInput<C>) => Promise<CommandOutput<C>>;

/** Calls `core` as a transport would, with the command's own input and output types. */
export function commandCaller(core: () => CoreHost): CallCommand {
  return async (command, input) => {
    const answer = (await core().invoke(command, input)) as Wire<CommandOutput<typeof command>>;
    if (!answer.ok) throw new Error(`${command} failed: ${answer.error.kind}: ${answer.error.message}`);
    return answer.value;
  };
}

/** The core a window talks to, on a workspace of its own in a fresh home, with a scratch folder beside it. */
export interface OpenHost {
  readonly home: string;
  /** Files the tests copy from and to, apart from Ferry's home. */
  readonly work: string;
  readonly workspace: Workspace;
  readonly core: CoreHost;
  /** Every event the core sent, oldest first (emptied by a restart). */
  readonly seen: EventMessage[];
  readonly call: CallCommand;
  /**
   * Closes the core and the workspace and opens both again on the same home, as quitting and starting
   * Ferry would; `whileClosed` runs in between, for what happens to the files while Ferry is not running.
   */
  restart(whileClosed?: () => Promise<void>): Promise<void>;
  /** Closes the core and the workspace, then removes the home and the scratch folder. */
  close(): Promise<void>;
}

/**
 * Opens a core on a new home named after `prefix`. `prepare` runs on the workspace before each core is
 * built, for state Ferry would find already there when it starts (a trusted host key, say).
 */
export async function openHost(prefix: string, prepare?: (workspace: Workspace) => Promise<void>): Promise<OpenHost> {
  const home = await mkdtemp(join(tmpdir(), `${prefix}home-`));
  const work = await mkdtemp(join(tmpdir(), `${prefix}work-`));
  const start = async (): Promise<{ workspace: Workspace; core: CoreHost; seen: EventMessage[] }> => {
    const workspace = new Workspace(ferryPaths({ FERRY_HOME: home }), { FERRY_HOME: home });
    await prepare?.(workspace);
    const core = createFerryHost({ workspace, host: 'web', version: '0.1.0' });
    const seen: EventMessage[] = [];
    core.subscribe((m) => seen.push(m));
    return { workspace, core, seen };
  };
  let running = await start();
  const stop = async (): Promise<void> => {
    await running.core.close();
    running.workspace.close();
  };
  return {
    home,
    work,
    get workspace() {
      return running.workspace;
    },
    get core() {
      return running.core;
    },
    get seen() {
      return running.seen;
    },
    call: commandCaller(() => running.core),
    async restart(whileClosed) {
      await stop();
      await whileClosed?.();
      running = await start();
    },
    async close() {
      await stop();
      await rm(home, { recursive: true, force: true });
      await rm(work, { recursive: true, force: true });
    },
  };
}
