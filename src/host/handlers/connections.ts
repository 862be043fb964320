import { formatConnectionUrl } from '../../config/connectionUrl.js';
import type { ConnectionConfig } from '../../config/ConnectionStore.js';
import { TransferError } from '../../connectors/errors.js';
import type { ServerReport } from '../../connectors/types.js';
import type { CONNECTIONS_COMMANDS } from '../../shared/contract/connectionCommands.js';
import type { ConnectionStatus, EditableConnection, TestOutcome } from '../../shared/contract/connectionModels.js';
import type { ConnectionSummary, ServerReportView } from '../../shared/contract/models.js';
import { explainProblem, type ProblemContext } from '../../workspace/connectionProblem.js';
import {
  addConnection,
  buildConnection,
  editConnection,
  probeConnection,
  problemContext,
  testConnection,
  withSavedSettings,
  type ConnectionRequest,
  type OptionNames,
} from '../../workspace/connectionSetup.js';
import { startSalesforceSignIn } from '../../workspace/salesforceSignIn.js';
import { applySiteImport, previewSiteImport } from '../../workspace/siteImport/siteImport.js';
import { openInBrowser } from '../../workspace/systemBrowser.js';
import type { Workspace } from '../../workspace/Workspace.js';
import type { EventHub } from '../EventHub.js';
import type { HandlersOf, HostContext } from './HostContext.js';

/** The names of the site manager's fields, for errors that say which one is wrong. */
const FIELDS: OptionNames = {
  secret: 'a password',
  keyFile: 'a key file',
  agent: 'the SSH agent',
  acceptNewHostKey: 'accepting a new host key',
  caFile: 'a CA file',
  tlsFingerprint: 'a certificate fingerprint',
};

interface FormFields {
  readonly name: string;
  readonly url: string;
  readonly password?: string | undefined;
  readonly keyFile?: string | undefined;
  readonly agent?: boolean | undefined;
  readonly tlsFingerprint?: string | undefined;
}

function requestOf(input: FormFields): ConnectionRequest {
  return {
    name: input.name,
    url: input.url,
    ...(input.password === undefined || input.password === '' ? {} : { secret: input.password }),
    ...(input.keyFile === undefined || input.keyFile === '' ? {} : { keyFile: input.keyFile }),
    ...(input.agent === true ? { agent: true } : {}),
    ...(input.tlsFingerprint === undefined || input.tlsFingerprint === '' ? {} : { tlsFingerprint: input.tlsFingerprint }),
  };
}

export function connectionHandlers({ workspace, connections, events, host }: HostContext): HandlersOf<typeof CONNECTIONS_COMMANDS> {
  const status = (payload: ConnectionStatus): void => events.emit({ event: 'connection.status', payload });
  /** A sign-in still waiting for its browser, by connection name: a second one for the same name replaces it. */
  const signIns = new Map<string, AbortController>();

  const outcome = async (name: string, context: ProblemContext, run: () => Promise<ServerReport>, announce: boolean): Promise<TestOutcome> => {
    try {
      const report = reportView(await run());
      if (announce) status({ name, state: 'connected' });
      return { outcome: 'connected', report };
    } catch (e) {
      const problem = explainProblem(e, context);
      if (announce) status({ name, state: 'failed', problem });
      return { outcome: 'failed', problem };
    }
  };

  return {
    'connections.list': async () => ({ connections: (await workspace.connections.list()).map(summaryOf) }),
    'connections.add': async (input) => {
      const built = await buildConnection(requestOf(input), FIELDS);
      await connections.forget(input.name);
      const report = await addConnection(workspace, built, input.test);
      return { connection: summaryOf(built.config), ...(report === undefined ? {} : { report: reportView(report) }) };
    },
    'connections.get': async ({ name }) => editableOf(await workspace.config(name)),
    'connections.edit': async (input) => {
      const { built, report } = await editConnection(workspace, requestOf(input), FIELDS, input.test);
      await connections.forget(input.name);
      return { connection: summaryOf(built.config), ...(report === undefined ? {} : { report: reportView(report) }) };
    },
    'connections.test': async ({ name }) => {
      const config = await workspace.config(name);
      return outcome(name, problemContext(config), () => testConnection(workspace, name), true);
    },
    'connections.probe': async (input) => {
      const saved = await workspace.connections.get(input.name);
      const built = await buildConnection(await withSavedSettings(workspace, requestOf(input), saved), FIELDS);
      return outcome(input.name, problemContext(built.config), () => probeConnection(workspace, built), false);
    },
    'connections.remove': async ({ name }) => {
      await connections.forget(name);
      if (!(await workspace.removeConnection(name))) throw new TransferError('notFound', `No connection named "${name}"`);
      return {};
    },
    'connections.import.preview': async ({ fileName, text }) => {
      const preview = await previewSiteImport(workspace, fileName, text);
      return { format: preview.format, sites: preview.sites.map((s) => ({ ...s, imported: [...s.imported], notImported: [...s.notImported] })) };
    },
    'connections.import.apply': async ({ fileName, text, sites }) => ({ saved: await applySiteImport(workspace, fileName, text, sites) }),
    'connections.salesforce.signIn': async (input) => {
      signIns.get(input.name)?.abort();
      const controller = new AbortController();
      signIns.set(input.name, controller);
      const settle = (): void => {
        if (signIns.get(input.name) === controller) signIns.delete(input.name);
      };
      try {
        return await startSalesforceSignIn(workspace, { name: input.name, login: input.login, sdrive: input.sdrive, ...(input.loginUrl === undefined ? {} : { loginUrl: input.loginUrl }) }, {
          signal: controller.signal,
          // The web host's page opens the address in a tab of its own; the desktop app has no such page.
          open: (url) => (host === 'electron' ? openInBrowser(url) : Promise.resolve(false)),
          done: (error) => {
            settle();
            void connections.forget(input.name);
            status(error === undefined ? { name: input.name, state: 'connected' } : { name: input.name, state: 'failed', problem: explainProblem(error, { protocol: 'salesforce', signsInWithKey: false }) });
          },
        });
      } catch (e) {
        settle();
        throw e;
      }
    },
  };
}

/**
 * Tells every window when the host opens a connection, fails to, or closes it, so that the status bar
 * shows the servers in trouble.
 */
export function connectionStatusReporter(workspace: Workspace, events: EventHub): (name: string, change: { readonly opened: boolean } | { readonly error: unknown }) => void {
  return (name, change) => {
    if ('opened' in change) {
      events.emit({ event: 'connection.status', payload: { name, state: change.opened ? 'connected' : 'closed' } });
      return;
    }
    void workspace.connections.get(name).then((config) => {
      const context: ProblemContext = config === undefined ? { protocol: 'local', signsInWithKey: false } : problemContext(config);
      events.emit({ event: 'connection.status', payload: { name, state: 'failed', problem: explainProblem(change.error, context) } });
    });
  };
}

function editableOf(c: ConnectionConfig): EditableConnection {
  switch (c.kind) {
    case 'salesforce':
      return { name: c.name, url: c.loginUrl, signIn: 'salesforce', secretStored: c.auth === 'oauth', sdrive: c.mode === 'sdrive' };
    case 'local':
      return { name: c.name, url: formatConnectionUrl(c), signIn: 'none', secretStored: false, sdrive: false };
    case 'ftp':
      return {
        name: c.name,
        url: formatConnectionUrl(c),
        signIn: 'password',
        ...(c.tlsFingerprint === undefined ? {} : { tlsFingerprint: c.tlsFingerprint }),
        secretStored: c.hasPassword,
        sdrive: false,
      };
    case 'sftp':
      return {
        name: c.name,
        url: formatConnectionUrl(c),
        signIn: c.useAgent ? 'agent' : c.keyFile !== undefined ? 'key' : 'password',
        ...(c.keyFile === undefined ? {} : { keyFile: c.keyFile }),
        secretStored: c.keyFile !== undefined ? c.hasKeyPassphrase : c.hasPassword,
        sdrive: false,
      };
  }
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
    ...(r.tlsSessionReuse === undefined ? {} : { tlsSessionReuse: r.tlsSessionReuse }),
    ...(r.clock === undefined ? {} : { clock: { ...r.clock } }),
    capabilities: {
      rename: r.capabilities.rename,
      resume: r.capabilities.resume,
      hashes: [...r.capabilities.hashes],
      keepsTimes: r.capabilities.mtimePrecisionMs > 0,
      maxConcurrency: r.capabilities.maxConcurrency,
    },
  };
}
