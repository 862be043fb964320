import { formatConnectionUrl } from '../../config/connectionUrl.js';
import type { ConnectionConfig } from '../../config/ConnectionStore.js';
import { TransferError } from '../../connectors/errors.js';
import type { ServerReport } from '../../connectors/types.js';
import type { CONNECTIONS_COMMANDS } from '../../shared/contract/connectionCommands.js';
import type { ConnectionSummary, ServerReportView } from '../../shared/contract/models.js';
import { addConnection, buildConnection, testConnection, type OptionNames } from '../../workspace/connectionSetup.js';
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

export function connectionHandlers({ workspace, connections }: HostContext): HandlersOf<typeof CONNECTIONS_COMMANDS> {
  return {
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
  };
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
