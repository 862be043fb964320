import { existsSync } from 'node:fs';
import { TransferError } from '../connectors/errors.js';
import { normalizeRelative } from '../connectors/paths.js';
import { toTransferError } from '../engine/retry.js';
import { COMMANDS, isCommandName, type CommandInput, type CommandName, type CommandOutput } from '../shared/contract/commands.js';
import type { EventMessage } from '../shared/contract/events.js';
import { fail, ok, type Wire, type WireError } from '../shared/contract/wire.js';
import { systemClock, type Clock } from '../schedule/Clock.js';
import type { Workspace } from '../workspace/Workspace.js';
import type { CoreHost } from './CoreHost.js';
import { EventHub } from './EventHub.js';
import { FolderListings } from './FolderListings.js';
import { appHandlers } from './handlers/app.js';
import { connectionHandlers, connectionStatusReporter } from './handlers/connections.js';
import { fileHandlers, receiveDropped } from './handlers/files.js';
import { historyHandlers } from './handlers/history.js';
import type { HandlersOf, HostContext } from './handlers/HostContext.js';
import { limitHandlers } from './handlers/limits.js';
import { promptHandlers } from './handlers/prompts.js';
import { recordHandlers } from './handlers/records.js';
import { transferHandlers } from './handlers/transfers.js';
import { validationHandlers } from './handlers/validation.js';
import { mappingHandlers } from './handlers/mapping.js';
import { namingHandlers } from './handlers/naming.js';
import { homeHandlers } from './handlers/home.js';
import { AttentionWatch } from './AttentionWatch.js';
import { ConnectionHealth } from './home/ConnectionHealth.js';
import { savedJobs } from './home/savedJobs.js';
import { jobFileHandlers } from './handlers/jobFiles.js';
import { jobHandlers } from './handlers/jobs.js';
import { JobRuns } from './JobRuns.js';
import { OpenConnections } from './OpenConnections.js';
import { Prompts } from './Prompts.js';
import { TransferQueue } from './TransferQueue.js';

export interface FerryHostOptions {
  readonly workspace: Workspace;
  /** Which transport serves it, as `app.info` reports. */
  readonly host: 'web' | 'electron';
  readonly version: string;
  /** Where the workspace's connections put their questions; the window shows and answers them. */
  readonly prompts?: Prompts;
  readonly now?: () => number;
  /** The attention watch's time and timers (the system's by default). */
  readonly clock?: Clock;
}

type Handlers = HandlersOf<typeof COMMANDS>;

/**
 * The core behind the window: every command of the contract, built from the same workspace services
 * the command line uses, and the events the window follows. Transports only carry it.
 */
export function createFerryHost(opts: FerryHostOptions): CoreHost {
  const { workspace } = opts;
  const events = new EventHub();
  const prompts = opts.prompts ?? new Prompts();
  prompts.attach((message) => events.emit(message));
  const connections = new OpenConnections(workspace, connectionStatusReporter(workspace, events));
  const listings = new FolderListings();
  const transfers = new TransferQueue(workspace, connections, events, prompts, opts.now);
  const clock = opts.clock ?? systemClock;
  const health = new ConnectionHealth(events, () => clock.now());
  const attention = new AttentionWatch({
    historyExists: () => existsSync(workspace.paths.history),
    history: () => workspace.history(),
    jobs: () => savedJobs(workspace.paths.jobs),
    clock,
    notify: (notice) => events.emit({ event: 'attention.raised', payload: notice }),
  });
  attention.start();
  events.subscribe((message) => {
    if (message.event === 'files.changed') listings.invalidate(message.payload.connection, message.payload.path);
  });
  const jobRuns = new JobRuns(workspace, (job) => events.emit({ event: 'jobs.changed', payload: { job } }));
  const ctx: HostContext = {
    workspace,
    events,
    prompts,
    connections,
    listings,
    transfers,
    host: opts.host,
    version: opts.version,
    changed: (connection, path) => events.emit({ event: 'files.changed', payload: { connection, path } }),
  };
  const handlers: Handlers = {
    ...appHandlers(ctx),
    ...connectionHandlers(ctx),
    ...fileHandlers(ctx),
    ...recordHandlers(ctx),
    ...transferHandlers(ctx),
    ...promptHandlers(ctx),
    ...limitHandlers(ctx),
    ...historyHandlers(ctx),
    ...validationHandlers(ctx),
    ...mappingHandlers(ctx),
    ...namingHandlers(ctx),
    ...homeHandlers(ctx, health, () => clock.now()),
    ...jobFileHandlers(ctx),
    ...jobHandlers(ctx, jobRuns),
  };

  return {
    invoke: (command, input) => invoke(handlers, command, input),
    subscribe: (listener: (message: EventMessage) => void) => events.subscribe(listener),
    receive: async (target, name, data, size) => {
      try {
        const path = await receiveDropped(await connections.get(target.connection), target, name, data, size, workspace);
        ctx.changed(target.connection, normalizeRelative(target.path));
        return ok({ path });
      } catch (e) {
        data.resume();
        return fail(wireErrorOf(e));
      }
    },
    close: async () => {
      await attention.stop();
      health.close();
      prompts.refuseAll();
      await jobRuns.close();
      await transfers.close();
      await connections.closeAll();
    },
  };
}

async function invoke(handlers: Handlers, command: string, raw: unknown): Promise<Wire<unknown>> {
  if (!isCommandName(command)) return fail({ kind: 'unknownCommand', message: `Ferry has no command "${command}"`, retryable: false });
  return run(handlers, command, raw);
}

async function run<C extends CommandName>(handlers: Handlers, command: C, raw: unknown): Promise<Wire<unknown>> {
  const spec = COMMANDS[command];
  const input = spec.input.safeParse(raw);
  if (!input.success) {
    const issue = input.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : ` (${issue.path.join('.')})`;
    return fail({ kind: 'badRequest', message: `${command}: ${issue?.message ?? 'the request does not match the contract'}${where}`, retryable: false });
  }
  try {
    const handler: (input: CommandInput<C>) => Promise<CommandOutput<C>> = handlers[command];
    // The schema just checked the input; TypeScript cannot tie a generic schema's result to C.
    return ok(spec.output.parse(await handler(input.data as CommandInput<C>)));
  } catch (e) {
    return fail(wireErrorOf(e));
  }
}

function wireErrorOf(e: unknown): WireError {
  if (e instanceof TransferError) {
    return { kind: e.kind, message: e.message, retryable: e.retryable, ...(e.path === undefined ? {} : { path: e.path }) };
  }
  const error = toTransferError(e);
  // toTransferError keeps TransferErrors and maps known failures; anything else is Ferry's own bug.
  if (error.kind !== 'protocol' || e instanceof Error === false) return { kind: error.kind, message: error.message, retryable: error.retryable };
  return { kind: 'internal', message: `Something went wrong inside Ferry: ${error.message}`, retryable: false };
}
