import { THIS_COMPUTER, type ConnectionSummary } from '../../src/shared/contract/models.js';
import type { AppStores } from './appStores.js';
import { browserStorage, openRememberedPanes, type PaneStorage } from './paneMemory.js';

/**
 * First paint: each pane where it was when Ferry last ran; the first time, where files usually come from
 * on the left (the first partner server), where they go on the right (the first Salesforce org), so that
 * the day's first drag needs no set-up; this computer fills a side that has no such connection. The
 * queue is read as it is.
 */
export async function startApp(stores: AppStores, storage: PaneStorage | undefined = browserStorage()): Promise<void> {
  await Promise.all([stores.connections.getState().load(), stores.transfers.getState().load(), stores.prompts.getState().load()]);
  await openRememberedPanes(stores, storage, firstPanes(stores.connections.getState().connections));
}

export function firstPanes(connections: ReadonlyArray<ConnectionSummary>): { readonly left: string; readonly right: string } {
  const saved = connections.filter((c) => c.name !== THIS_COMPUTER);
  const server = saved.find((c) => c.kind === 'sftp' || c.kind === 'ftp') ?? saved.find((c) => c.kind === 'local');
  const org = saved.find((c) => c.kind === 'salesforce');
  if (server !== undefined && org !== undefined) return { left: server.name, right: org.name };
  return { left: THIS_COMPUTER, right: (server ?? org)?.name ?? THIS_COMPUTER };
}
