import type { Readable } from 'node:stream';
import { formatConnectionUrl } from '../config/connectionUrl.js';
import type { ConnectionConfig } from '../config/ConnectionStore.js';
import { TransferError } from '../connectors/errors.js';
import { joinRelative, normalizeRelative, parentOf, unsafeNameReason } from '../connectors/paths.js';
import type { ServerReport } from '../connectors/types.js';
import { copyFile } from '../engine/copyFile.js';
import { DEFAULT_RETRY, toTransferError } from '../engine/retry.js';
import { TransferStats } from '../engine/TransferStats.js';
import { COMMANDS, isCommandName, type CommandInput, type CommandName, type CommandOutput } from '../shared/contract/commands.js';
import type { EventMessage } from '../shared/contract/events.js';
import type { ConnectionSummary, Location, ServerReportView } from '../shared/contract/models.js';
import { fail, ok, type Wire, type WireError } from '../shared/contract/wire.js';
import { addConnection, buildConnection, testConnection, type OptionNames } from '../workspace/connectionSetup.js';
import type { Workspace } from '../workspace/Workspace.js';
import type { CoreHost } from './CoreHost.js';
import { EventHub } from './EventHub.js';
import { FolderListings } from './FolderListings.js';
import { OpenConnections } from './OpenConnections.js';
import { Prompts } from './Prompts.js';
import { StreamSource } from './StreamSource.js';
import { TransferQueue } from './TransferQueue.js';

export interface FerryHostOptions {
  readonly workspace: Workspace;
  /** Which transport serves it, as `app.info` reports. */
  readonly host: 'web' | 'electron';
  readonly version: string;
  /** Where the workspace's connections put their questions; the window shows and answers them. */
  readonly prompts?: Prompts;
  readonly now?: () => number;
}

type Handlers = { readonly [C in CommandName]: (input: CommandInput<C>) => Promise<CommandOutput<C>> };

/** The names of the site manager's fields, for errors that say which one is wrong. */
const FIELDS: OptionNames = {
  secret: 'a password',
  keyFile: 'a key file',
  agent: 'the SSH agent',
  acceptNewHostKey: 'accepting a new host key',
  caFile: 'a CA file',
  tlsFingerprint: 'a certificate fingerprint',
};

/**
 * The core behind the window: every command of the contract, built from the same workspace services
 * the command line uses, and the events the window follows. Transports only carry it.
 */
export function createFerryHost(opts: FerryHostOptions): CoreHost {
  const { workspace } = opts;
  const events = new EventHub();
  const prompts = opts.prompts ?? new Prompts();
  prompts.attach((message) => events.emit(message));
  const connections = new OpenConnections(workspace);
  const listings = new FolderListings();
  const transfers = new TransferQueue(workspace, connections, events, opts.now);
  events.subscribe((message) => {
    if (message.event === 'files.changed') listings.invalidate(message.payload.connection, message.payload.path);
  });
  const changed = (connection: string, path: string): void => events.emit({ event: 'files.changed', payload: { connection, path } });

  const handlers: Handlers = {
    'app.info': async () => ({ version: opts.version, host: opts.host, dataFolder: workspace.paths.home }),
    'connections.list': async () => ({ connections: (await workspace.connections.list()).map(summaryOf) }),
    'connections.add': async (input) => {
      const built = await buildConnection(
        {
          name: input.name,
          url: input.url,
          ...(input.password === undefined || input.password === '' ? {} : { secret: input.password }),
          ...(input.keyFile === undefined || input.keyFile === '' ? {} : { keyFile: input.keyFile }),
          ...(input.agent === true ? { agent: true } : {}),
          ...(input.tlsFingerprint === undefined || input.tlsFingerprint === '' ? {} : { tlsFingerprint: input.tlsFingerprint }),
        },
        FIELDS,
      );
      await connections.forget(input.name);
      const report = await addConnection(workspace, built, input.test);
      return { connection: summaryOf(built.config), ...(report === undefined ? {} : { report: reportView(report) }) };
    },
    'connections.test': async ({ name }) => ({ report: reportView(await testConnection(workspace, name)) }),
    'connections.remove': async ({ name }) => {
      await connections.forget(name);
      if (!(await workspace.removeConnection(name))) throw new TransferError('notFound', `No connection named "${name}"`);
      return {};
    },
    'files.list': async (input) => {
      const fs = await connections.get(input.connection);
      const path = normalizeRelative(input.path);
      const page = await listings.page(input.connection, fs, path, input);
      return { path, total: page.total, offset: input.offset, entries: [...page.entries], refused: [...page.refused] };
    },
    'files.mkdir': async ({ connection, path }) => {
      const fs = await connections.get(connection);
      await fs.mkdir(normalizeRelative(path));
      changed(connection, parentOf(normalizeRelative(path)));
      return {};
    },
    'files.rename': async ({ connection, from, to }) => {
      const fs = await connections.get(connection);
      const rename = fs.rename?.bind(fs);
      if (rename === undefined) throw new TransferError('unsupported', `${fs.description} cannot rename files`);
      const target = normalizeRelative(to);
      // Renaming onto an existing name would replace that file without a word.
      if ((await fs.stat(target)) !== undefined) throw new TransferError('exists', `${target} already exists: choose another name`, { path: target });
      await rename(normalizeRelative(from), target);
      changed(connection, parentOf(normalizeRelative(from)));
      changed(connection, parentOf(target));
      return {};
    },
    'files.delete': async ({ connection, paths }) => {
      const fs = await connections.get(connection);
      const deleted: string[] = [];
      const failed: Array<{ path: string; message: string }> = [];
      for (const raw of paths) {
        const path = normalizeRelative(raw);
        try {
          const entry = await fs.stat(path);
          if (entry === undefined) throw new TransferError('notFound', `${path} is no longer there`, { path });
          if (entry.kind === 'dir') await fs.rmdir(path);
          else await fs.remove(path);
          deleted.push(path);
        } catch (e) {
          failed.push({ path, message: toTransferError(e).message });
        }
      }
      for (const folder of new Set(paths.map((p) => parentOf(normalizeRelative(p))))) changed(connection, folder);
      return { deleted, failed };
    },
    'transfers.preview': async (input) => ({ items: [...(await transfers.preview(input))] }),
    'transfers.start': async (input) => ({ id: transfers.start(input) }),
    'transfers.list': async () => ({ transfers: [...transfers.snapshots()] }),
    'transfers.files': async ({ id, offset, limit }) => {
      const files = transfers.files(id);
      return { total: files.length, files: files.slice(offset, offset + limit) };
    },
    'prompts.answer': async ({ id, answer }) => {
      prompts.answer(id, answer);
      return {};
    },
    'transfers.cancel': async ({ id }) => {
      transfers.cancel(id);
      return {};
    },
  };

  return {
    invoke: (command, input) => invoke(handlers, command, input),
    subscribe: (listener: (message: EventMessage) => void) => events.subscribe(listener),
    receive: async (target, name, data, size) => {
      try {
        const path = await receive(await connections.get(target.connection), target, name, data, size, workspace);
        changed(target.connection, normalizeRelative(target.path));
        return ok({ path });
      } catch (e) {
        data.resume();
        return fail(wireErrorOf(e));
      }
    },
    close: async () => {
      prompts.refuseAll();
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

function summaryOf(c: ConnectionConfig): ConnectionSummary {
  return {
    name: c.name,
    kind: c.kind,
    location: c.kind === 'salesforce' ? (c.instanceUrl ?? c.loginUrl) : formatConnectionUrl(c),
    sdrive: c.kind === 'salesforce' && c.mode === 'sdrive',
  };
}

function reportView(r: ServerReport): ServerReportView {
  return {
    description: r.description,
    ...(r.banner === undefined ? {} : { banner: r.banner }),
    features: [...r.features],
    ...(r.security === undefined ? {} : { security: r.security }),
    capabilities: {
      rename: r.capabilities.rename,
      resume: r.capabilities.resume,
      hashes: [...r.capabilities.hashes],
      keepsTimes: r.capabilities.mtimePrecisionMs > 0,
      maxConcurrency: r.capabilities.maxConcurrency,
    },
  };
}

/** A file dropped into the browser: streamed through the engine's copy (partial name, size check, publish). */
async function receive(
  fs: Awaited<ReturnType<OpenConnections['get']>>,
  target: Location,
  name: string,
  data: Readable,
  size: number | undefined,
  workspace: Workspace,
): Promise<string> {
  const unsafe = unsafeNameReason(name);
  if (unsafe !== undefined) throw new TransferError('unsafeName', `The dropped file's name cannot be used: ${unsafe}`);
  const folder = normalizeRelative(target.path);
  const targetPath = joinRelative(folder, name);
  if ((await fs.stat(targetPath)) !== undefined) throw new TransferError('exists', `${name} already exists in ${folder === '' ? 'this folder' : folder}: rename it or remove the other first`, { path: targetPath });
  const source = new StreamSource(name, data, size);
  await copyFile({
    source,
    entry: source.entry,
    target: fs,
    decision: { kind: 'copy', targetPath, mode: 'new', reason: 'dropped from the desktop' },
    meter: new TransferStats().start(name, size ?? -1),
    journal: workspace.journal,
    retry: { ...DEFAULT_RETRY, attempts: 1 },
    preserveModifiedTime: false,
  });
  return targetPath;
}
