import { isAbsolute, resolve } from 'node:path';
import { loadSettings } from '../config/settings.js';
import { namedSecretKey } from '../security/secretKeys.js';
import { parseLocation } from '../cli/location.js';
import type { JobServices, RunEvent } from '../jobs/JobServices.js';
import { processOwner } from '../history/runOwner.js';
import type { Notification } from '../notify/Notification.js';
import { Notifier } from '../notify/Notifier.js';
import { ConnectionBudget } from '../schedule/ConnectionBudget.js';
import { bandwidthLimits } from './bandwidth.js';
import type { Workspace } from './Workspace.js';

export interface JobServiceOptions {
  readonly onEvent?: (event: RunEvent) => void;
  /** The app's desktop notifications; absent in headless runs. */
  readonly desktop?: (n: Notification) => void | Promise<void>;
}

/** What runs need, from the workspace: its connections, history, secrets, settings and folders. */
export async function jobServices(ws: Workspace, options: JobServiceOptions = {}): Promise<JobServices> {
  const settings = await loadSettings(ws.paths.settings);
  const secret = (name: string): Promise<string | undefined> => ws.secrets.get(namedSecretKey(name));
  return {
    history: await ws.history(),
    open: async (text, baseDir) => {
      const location = parseLocation(text);
      if (location.kind === 'connection') {
        return { ...(await ws.openLocation(location)), connection: location.connection };
      }
      const path = isAbsolute(location.path) || location.path.startsWith('~') ? location.path : resolve(baseDir, location.path);
      return { ...(await ws.openLocation({ kind: 'local', path })), connection: 'local' };
    },
    notifier: new Notifier({
      smtpServers: (name) => settings.smtp[name],
      secret,
      ...(options.desktop === undefined ? {} : { desktop: options.desktop }),
    }),
    secret,
    stagingDir: ws.paths.staging,
    quarantineDir: ws.paths.quarantine,
    resumeJournal: ws.journal,
    written: await ws.written(),
    owner: processOwner(),
    budget: new ConnectionBudget(new Map(Object.entries(settings.connectionLimits))),
    bandwidth: () => bandwidthLimits(ws),
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  };
}
