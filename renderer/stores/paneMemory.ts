import { z } from 'zod';
import { connectionName, relativePath, sortSchema } from '../../src/shared/contract/models.js';
import type { AppStores } from './appStores.js';
import { SIDES, connectionLabel, paneTitle, type Pane, type PanePlace, type PanesState, type PanesStore, type Side } from './panes.js';

/** Where the window keeps its panes between runs, in the renderer's own `localStorage`. */
export const PANE_MEMORY_KEY = 'ferry.panes';
/** Raised whenever what is kept changes shape: an older memory is then ignored, never misread. */
const VERSION = 1;

const placeSchema = z.strictObject({ connection: connectionName, path: relativePath, sort: sortSchema, filter: z.string().max(500) });
const memorySchema = z.strictObject({ version: z.literal(VERSION), left: placeSchema, right: placeSchema });
type PaneMemory = z.infer<typeof memorySchema>;

/** The part of Web Storage the panes use, so that a test can hand in its own, or one that fails. */
export type PaneStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The page's `localStorage`; undefined where the browser refuses even to hand it out (storage disabled). */
export function browserStorage(): PaneStorage | undefined {
  try {
    const storage: Storage | undefined = globalThis.localStorage;
    return storage;
  } catch {
    return undefined;
  }
}

/** The panes as last kept; undefined when nothing valid is: corrupt, older or unreadable memory is ignored. */
export function recallPanes(storage: PaneStorage | undefined): PaneMemory | undefined {
  try {
    const text = storage?.getItem(PANE_MEMORY_KEY);
    if (text === null || text === undefined) return undefined;
    const memory = memorySchema.safeParse(JSON.parse(text));
    return memory.success ? memory.data : undefined;
  } catch {
    // Not JSON, or storage refused to be read: the window starts on its first panes.
    return undefined;
  }
}

function placeOf(pane: Pane): PanePlace {
  return { connection: pane.connection, path: pane.path, sort: pane.sort, filter: pane.filter };
}

function samePlace(a: PanePlace, b: PanePlace): boolean {
  return a.connection === b.connection && a.path === b.path && a.filter === b.filter && a.sort.by === b.sort.by && a.sort.direction === b.sort.direction;
}

/**
 * Keeps both panes' places in `storage` from now on. The panes store changes on every focus move and
 * page of rows, so the places are compared first and written only when one of them changed.
 */
export function rememberPanes(panes: PanesStore, storage: PaneStorage | undefined): () => void {
  let kept: Readonly<Record<Side, PanePlace>> | undefined;
  const keep = (state: PanesState): void => {
    if (kept !== undefined && samePlace(kept.left, state.left) && samePlace(kept.right, state.right)) return;
    kept = { left: placeOf(state.left), right: placeOf(state.right) };
    const memory: PaneMemory = { version: VERSION, ...kept };
    try {
      storage?.setItem(PANE_MEMORY_KEY, JSON.stringify(memory));
    } catch {
      // Storage full or disabled: the window works on, and the next start opens on its first panes.
    }
  };
  keep(panes.getState());
  return panes.subscribe(keep);
}

/** The pane once its current listing has answered, or undefined if the user moved it elsewhere first. */
function firstAnswer(panes: PanesStore, side: Side): Promise<Pane | undefined> {
  const { listing } = panes.getState()[side];
  return new Promise((resolve) => {
    const settled = (state: PanesState): boolean => {
      const pane = state[side];
      if (pane.listing !== listing) resolve(undefined);
      else if (pane.total !== -1) resolve(pane);
      else return false;
      return true;
    };
    if (settled(panes.getState())) return;
    const stop = panes.subscribe((state) => {
      if (settled(state)) stop();
    });
  });
}

/**
 * Opens each pane where it was when Ferry last ran, or on `defaults` when nothing was kept, and keeps
 * the panes from then on. A kept connection that no longer exists gives way to the default pane, a kept
 * folder that is gone to its connection's top folder; the notice line says which.
 */
export async function openRememberedPanes(stores: Pick<AppStores, 'connections' | 'panes' | 'ui'>, storage: PaneStorage | undefined, defaults: Readonly<Record<Side, string>>): Promise<void> {
  const memory = recallPanes(storage);
  const { connections, error } = stores.connections.getState();
  // A list that could not be read proves nothing gone: the pane then shows the connection's own error.
  const exists = (name: string): boolean => error !== undefined || connections.some((c) => c.name === name);
  const notes: string[] = [];
  const say = (note: string): void => {
    notes.push(note);
    stores.ui.getState().notify(notes.join(' '));
  };
  const panes = stores.panes.getState();
  const restored = SIDES.filter((side) => {
    const place = memory?.[side];
    if (place !== undefined && exists(place.connection)) {
      panes.show(side, place);
      return true;
    }
    panes.setConnection(side, defaults[side]);
    if (place !== undefined) say(`${paneTitle(side)}: the connection ${place.connection} no longer exists, so it shows ${connectionLabel(defaults[side])}.`);
    return false;
  });
  rememberPanes(stores.panes, storage);
  await Promise.all(
    restored.map(async (side) => {
      const pane = await firstAnswer(stores.panes, side);
      if (pane?.error?.kind !== 'notFound' || pane.path === '') return;
      stores.panes.getState().setConnection(side, pane.connection);
      say(`${paneTitle(side)}: the folder /${pane.path} is gone from ${connectionLabel(pane.connection)}, so it shows its top folder.`);
    }),
  );
}
