import type { TransferSnapshot } from '../../src/shared/contract/models.js';
import type { AppStores } from './appStores.js';
import { openTarget } from './openTarget.js';
import { SIDES } from './panes.js';

/**
 * Routes every event of the host into the stores, once, at start. Progress snapshots are kept until the
 * next animation frame and applied together, so ten batches reporting ten times a second cost one
 * render per frame; a state change is applied at once, and drops the older progress it supersedes.
 */
export function bindHostEvents(stores: AppStores): () => void {
  const { host, transfers, panes, prompts, connections, ui, attention, home } = stores;
  const pending = new Map<string, TransferSnapshot>();
  let frame: number | undefined;

  const flush = (): void => {
    frame = undefined;
    const snapshots = [...pending.values()];
    pending.clear();
    transfers.getState().applySnapshots(snapshots);
  };

  const unsubscribe = [
    host.onReconnect(() => {
      void transfers.getState().load();
      void prompts.getState().load();
      const state = panes.getState();
      for (const side of SIDES) state.refresh(side);
    }),
    host.subscribe('transfer.progress', (snapshot) => {
      pending.set(snapshot.id, snapshot);
      frame ??= requestAnimationFrame(flush);
    }),
    host.subscribe('transfer.state', ({ id, snapshot }) => {
      pending.delete(id);
      transfers.getState().applyState(snapshot);
    }),
    host.subscribe('transfers.paused', ({ paused }) => transfers.getState().applyPaused(paused)),
    host.subscribe('transfers.removed', ({ ids }) => {
      for (const id of ids) pending.delete(id);
      transfers.getState().applyRemoved(ids);
    }),
    host.subscribe('transfer.file', ({ id, index, file }) => {
      transfers.getState().applyFile(id, index, file);
    }),
    host.subscribe('prompt', (prompt) => prompts.getState().asked(prompt)),
    host.subscribe('prompt.settled', ({ id }) => prompts.getState().settled(id)),
    host.subscribe('connection.status', (status) => connections.getState().applyStatus(status)),
    host.subscribe('attention.raised', (notice) => {
      const looking = ui.getState().section;
      attention.getState().raised(notice, looking);
      if (looking === 'home') void home.getState().load();
    }),
    // A desktop notification or a tray item was clicked: its target opens as from Home's card for it.
    host.subscribe('window.navigate', (target) => void openTarget(stores, target)),
    // A screen looked at has no news left on its link.
    ui.subscribe((now, before) => {
      if (now.section !== before.section) attention.getState().seen(now.section);
    }),
    host.subscribe('files.changed', ({ connection, path }) => {
      const state = panes.getState();
      for (const side of SIDES) {
        const pane = state[side];
        if (pane.connection === connection && pane.path === path) state.refresh(side);
      }
    }),
  ];

  return () => {
    for (const stop of unsubscribe) stop();
    if (frame !== undefined) cancelAnimationFrame(frame);
  };
}
