import { THIS_COMPUTER } from '../../src/shared/contract/models.js';
import type { AppStores } from './appStores.js';

/** First paint: this computer on the left, the first saved server on the right, and the queue as it is. */
export async function startApp(stores: AppStores): Promise<void> {
  await Promise.all([stores.connections.getState().load(), stores.transfers.getState().load()]);
  const remote = stores.connections.getState().connections.find((c) => c.name !== THIS_COMPUTER);
  const panes = stores.panes.getState();
  panes.setConnection('left', panes.left.connection);
  panes.setConnection('right', remote?.name ?? THIS_COMPUTER);
}
