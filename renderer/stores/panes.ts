import { createStore, type StoreApi } from 'zustand/vanilla';
import { THIS_COMPUTER, type Entry, type Sort } from '../../src/shared/contract/models.js';
import type { WireError } from '../../src/shared/contract/wire.js';
import type { RendererHost } from '../host/RendererHost.js';
import { parentOf } from './paths.js';
import { all, clamped, isSelected, NOTHING, only, span, toggled, union, type Selection } from './selection.js';

export type Side = 'left' | 'right';
export const SIDES: ReadonlyArray<Side> = ['left', 'right'];

export function otherSide(side: Side): Side {
  return side === 'left' ? 'right' : 'left';
}

/** Rows per `files.list` request while scrolling: a few screens, so a fast scroll asks seldom. */
export const PAGE_SIZE = 100;
/** Rows per request when every selected path is needed at once (a copy of "all except …"). */
const BULK_PAGE = 5000;

export interface Pane {
  readonly connection: string;
  readonly path: string;
  readonly sort: Sort;
  readonly filter: string;
  /** Bumped whenever what the rows are changes; answers asked for an older listing are dropped. */
  readonly listing: number;
  /** Rows in the whole (filtered) folder; -1 until the first page arrives. */
  readonly total: number;
  readonly pages: ReadonlyMap<number, ReadonlyArray<Entry>>;
  readonly error: WireError | undefined;
  readonly refused: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
  readonly selection: Selection;
  /** Where a Shift-extension starts. */
  readonly anchor: number;
  readonly focus: number;
}

/** How a key or click moves the focus: alone, making it the only selected row, or extending from the anchor. */
export type FocusMode = 'focus' | 'select' | 'extend';

export interface PanesState {
  readonly left: Pane;
  readonly right: Pane;
  readonly active: Side;
  setActive(side: Side): void;
  setConnection(side: Side, connection: string): void;
  open(side: Side, path: string): void;
  /** Enter or double-click: a folder (or a Salesforce object or record) opens; a file stays. */
  openRow(side: Side, index: number): void;
  up(side: Side): void;
  setSort(side: Side, by: Sort['by']): void;
  setFilter(side: Side, filter: string): void;
  /** Re-lists the folder; `fromServer` skips the host's copy of the listing (Ctrl+R). */
  refresh(side: Side, fromServer?: boolean): void;
  /** Asks for the pages holding rows `first`..`last` that are not there yet. */
  ensureRows(side: Side, first: number, last: number): void;
  moveFocus(side: Side, index: number, mode: FocusMode): void;
  click(side: Side, index: number, modifiers: { readonly ctrl: boolean; readonly shift: boolean }): void;
  toggleRow(side: Side, index: number): void;
  selectAll(side: Side): void;
  clearSelection(side: Side): void;
  /** The paths an action applies to: the selection, else the focused row; fetches rows not loaded yet. */
  targetPaths(side: Side): Promise<ReadonlyArray<string>>;
}

export type PanesStore = StoreApi<PanesState>;

export function entryAt(pane: Pane, index: number): Entry | undefined {
  return pane.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
}

function freshPane(connection: string, path: string, sort: Sort = { by: 'name', direction: 'asc' }): Pane {
  return { connection, path, sort, filter: '', listing: 0, total: -1, pages: new Map(), error: undefined, refused: [], selection: NOTHING, anchor: 0, focus: 0 };
}

export function createPanesStore(host: RendererHost, initial: { readonly left?: string; readonly right?: string } = {}): PanesStore {
  /** Page requests in flight, by side, listing and page, so scrolling does not ask twice. */
  const inFlight = new Set<string>();
  /** The folder just left, by listing: going up puts the focus back on it, as commanders do. */
  const reveal = new Map<number, string>();
  let listings = 0;

  return createStore<PanesState>()((set, get) => {
    const patch = (side: Side, change: Partial<Pane>): void => {
      set({ [side]: { ...get()[side], ...change } } as Pick<PanesState, Side>);
    };

    const fetchPage = async (side: Side, listing: number, page: number, fromServer: boolean): Promise<void> => {
      const key = `${side}:${listing}:${page}`;
      if (inFlight.has(key)) return;
      inFlight.add(key);
      const pane = get()[side];
      const answer = await host.invoke('files.list', {
        connection: pane.connection,
        path: pane.path,
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
        sort: pane.sort,
        ...(pane.filter === '' ? {} : { filter: pane.filter }),
        ...(fromServer ? { refresh: true } : {}),
      });
      inFlight.delete(key);
      const now = get()[side];
      if (now.listing !== listing) return;
      if (!answer.ok) {
        patch(side, { error: answer.error, total: 0, pages: new Map() });
        return;
      }
      const { total, entries, refused } = answer.value;
      // A listing that changed length under a refresh keeps only the pages that still agree with it.
      const pages = now.total === total || now.total === -1 ? new Map(now.pages) : new Map<number, ReadonlyArray<Entry>>();
      pages.set(page, entries);
      const last = Math.max(0, total - 1);
      const left = reveal.get(listing);
      reveal.delete(listing);
      // Found only if it is among the first rows; further down, the focus stays at the top.
      const found = left === undefined ? -1 : entries.findIndex((e) => e.path === left);
      if (found >= 0) {
        patch(side, { total, pages, refused, error: undefined, focus: page * PAGE_SIZE + found, anchor: page * PAGE_SIZE + found, selection: only(page * PAGE_SIZE + found) });
        return;
      }
      patch(side, {
        total,
        pages,
        refused,
        error: undefined,
        selection: clamped(now.selection, total),
        focus: Math.min(now.focus, last),
        anchor: Math.min(now.anchor, last),
      });
    };

    /** Starts a new listing of the pane as it now is; `keep` holds on to the rows until the new ones come. */
    const relist = (side: Side, change: Partial<Pane>, keep = false, fromServer = false): void => {
      const listing = ++listings;
      const pane = get()[side];
      const reset: Partial<Pane> = keep ? {} : { total: -1, pages: new Map(), selection: NOTHING, focus: 0, anchor: 0, refused: [] };
      patch(side, { ...reset, ...change, listing, error: undefined });
      const first = keep ? Math.floor(pane.focus / PAGE_SIZE) : 0;
      void fetchPage(side, listing, first, fromServer);
    };

    return {
      left: freshPane(initial.left ?? THIS_COMPUTER, ''),
      right: freshPane(initial.right ?? THIS_COMPUTER, ''),
      active: 'left',
      setActive(side) {
        if (get().active !== side) set({ active: side });
      },
      // Going to a folder reads it afresh, as a commander does; sorting, filtering and scrolling use
      // the host's copy of that listing.
      setConnection(side, connection) {
        relist(side, { connection, path: '', filter: '' }, false, true);
      },
      open(side, path) {
        relist(side, { path, filter: '' }, false, true);
      },
      openRow(side, index) {
        const entry = entryAt(get()[side], index);
        if (entry?.kind === 'dir') get().open(side, entry.path);
      },
      up(side) {
        const { path } = get()[side];
        if (path === '') return;
        get().open(side, parentOf(path));
        reveal.set(get()[side].listing, path);
      },
      setSort(side, by) {
        const { sort } = get()[side];
        const direction = sort.by === by && sort.direction === 'asc' ? 'desc' : 'asc';
        relist(side, { sort: { by, direction } });
      },
      setFilter(side, filter) {
        relist(side, { filter });
      },
      refresh(side, fromServer = false) {
        const pane = get()[side];
        relist(side, { pages: pane.pages }, true, fromServer);
        // The other loaded pages are re-read too, so what is on screen is not left stale.
        const listing = get()[side].listing;
        for (const page of pane.pages.keys()) if (page !== Math.floor(pane.focus / PAGE_SIZE)) void fetchPage(side, listing, page, false);
      },
      ensureRows(side, first, last) {
        const pane = get()[side];
        if (pane.total <= 0) return;
        const end = Math.min(last, pane.total - 1);
        for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(end / PAGE_SIZE); page++) {
          if (!pane.pages.has(page)) void fetchPage(side, pane.listing, page, false);
        }
      },
      moveFocus(side, index, mode) {
        const pane = get()[side];
        if (pane.total <= 0) return;
        const focus = Math.max(0, Math.min(index, pane.total - 1));
        if (mode === 'focus') patch(side, { focus });
        else if (mode === 'select') patch(side, { focus, anchor: focus, selection: only(focus) });
        else patch(side, { focus, selection: span(pane.anchor, focus) });
      },
      click(side, index, { ctrl, shift }) {
        const pane = get()[side];
        set({ active: side });
        if (shift) patch(side, { focus: index, selection: ctrl ? union(pane.selection, span(pane.anchor, index)) : span(pane.anchor, index) });
        else if (ctrl) patch(side, { focus: index, anchor: index, selection: toggled(pane.selection, index) });
        else patch(side, { focus: index, anchor: index, selection: only(index) });
      },
      toggleRow(side, index) {
        const pane = get()[side];
        patch(side, { anchor: index, selection: toggled(pane.selection, index) });
      },
      selectAll(side) {
        patch(side, { selection: all(get()[side].total) });
      },
      clearSelection(side) {
        patch(side, { selection: NOTHING });
      },
      async targetPaths(side) {
        const pane = get()[side];
        const ranges = pane.selection.length > 0 ? pane.selection : pane.total > 0 ? only(pane.focus) : NOTHING;
        const paths: string[] = [];
        for (const [start, end] of ranges) {
          let index = start;
          while (index < end) {
            const loaded = entryAt(pane, index);
            if (loaded !== undefined) {
              paths.push(loaded.path);
              index++;
              continue;
            }
            // Rows never scrolled to are fetched in bulk, in the listing's own order.
            const answer = await host.invoke('files.list', {
              connection: pane.connection,
              path: pane.path,
              offset: index,
              limit: Math.min(BULK_PAGE, end - index),
              sort: pane.sort,
              ...(pane.filter === '' ? {} : { filter: pane.filter }),
            });
            if (!answer.ok || answer.value.entries.length === 0) return paths;
            for (const entry of answer.value.entries) paths.push(entry.path);
            index += answer.value.entries.length;
          }
        }
        return paths;
      },
    };
  });
}

export function isRowSelected(pane: Pane, index: number): boolean {
  return isSelected(pane.selection, index);
}
