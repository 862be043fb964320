import { createStore, type StoreApi } from 'zustand/vanilla';
import { THIS_COMPUTER, type Entry, type Sort } from '../../src/shared/contract/models.js';
import type { WireError } from '../../src/shared/contract/wire.js';
import type { RendererHost } from '../host/RendererHost.js';
import { compareFolders, type CompareMark } from './compare.js';
import { joinPath, parentOf } from './paths.js';
import { all, clamped, isSelected, NOTHING, only, span, toggled, union, type Selection } from './selection.js';

export type Side = 'left' | 'right';
export const SIDES: ReadonlyArray<Side> = ['left', 'right'];

/** A connection as the window names it: the local disk is "This computer". */
export function connectionLabel(name: string): string {
  return name === THIS_COMPUTER ? 'This computer' : name;
}

export function paneTitle(side: Side): string {
  return side === 'left' ? 'Left pane' : 'Right pane';
}

export function otherSide(side: Side): Side {
  return side === 'left' ? 'right' : 'left';
}

/** Rows per `files.list` request while scrolling: a few screens, so a fast scroll asks seldom. */
export const PAGE_SIZE = 100;
/** Rows per request when every selected path is needed at once (a copy of "all except …"). */
const BULK_PAGE = 5000;
/** Compare mode reads both folders whole; past this many entries a side is compared by its first ones. */
const COMPARED_ENTRIES = 200_000;

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
  /** In compare mode, how each entry (by name) differs from the other pane's; undefined while not compared. */
  readonly marks: ReadonlyMap<string, CompareMark> | undefined;
}

/** What a pane shows, as the window remembers it across restarts. */
export type PanePlace = Pick<Pane, 'connection' | 'path' | 'sort' | 'filter'>;

/** How a key or click moves the focus: alone, making it the only selected row, or extending from the anchor. */
export type FocusMode = 'focus' | 'select' | 'extend';

export interface PanesState {
  readonly left: Pane;
  readonly right: Pane;
  readonly active: Side;
  /** Compare mode: both folders' entries are marked by how they differ from the other's. */
  readonly compare: boolean;
  /** Synchronized browsing: opening or leaving a folder in one pane does the same in the other. */
  readonly sync: boolean;
  /** Why the other pane did not follow, for as long as the panes are out of step. */
  readonly syncNote: string | undefined;
  setActive(side: Side): void;
  toggleCompare(): void;
  toggleSync(): void;
  /** Type-ahead: focuses the first row whose name starts with `prefix`, wherever it is; false if none does. */
  locate(side: Side, prefix: string): Promise<boolean>;
  /** A folder opened by hovering over it while dragging; the pane goes back if the drag is cancelled. */
  springOpen(side: Side, path: string): void;
  /** The drag ended: dropped, the panes stay where they are; cancelled, spring-opened panes go back. */
  springEnd(dropped: boolean): void;
  setConnection(side: Side, connection: string): void;
  /** Opens a remembered place whole: its connection, folder, sort and filter. */
  show(side: Side, place: PanePlace): void;
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
  return { connection, path, sort, filter: '', listing: 0, total: -1, pages: new Map(), error: undefined, refused: [], selection: NOTHING, anchor: 0, focus: 0, marks: undefined };
}

export function createPanesStore(host: RendererHost, initial: { readonly left?: string; readonly right?: string } = {}): PanesStore {
  /** Page requests in flight, by side, listing and page, so scrolling does not ask twice. */
  const inFlight = new Set<string>();
  /** The folder just left, by listing: going up puts the focus back on it, as commanders do. */
  const reveal = new Map<number, string>();
  /** Where each pane was before a drag opened folders in it. */
  const springOrigins = new Map<Side, string>();
  /** The pair of listings last compared (or being compared), so each pair is read once. */
  let compared = '';
  let listings = 0;

  return createStore<PanesState>()((set, get) => {
    const patch = (side: Side, change: Partial<Pane>): void => {
      set({ [side]: { ...get()[side], ...change } } as Pick<PanesState, Side>);
    };

    /** Every entry of a pane's folder, in name order, for comparing; undefined if it cannot be read. */
    const wholeFolder = async (pane: Pane): Promise<Entry[] | undefined> => {
      const entries: Entry[] = [];
      for (;;) {
        const answer = await host.invoke('files.list', { connection: pane.connection, path: pane.path, offset: entries.length, limit: BULK_PAGE, sort: { by: 'name', direction: 'asc' } });
        if (!answer.ok) return undefined;
        entries.push(...answer.value.entries);
        if (answer.value.entries.length === 0 || entries.length >= Math.min(answer.value.total, COMPARED_ENTRIES)) return entries;
      }
    };

    const markBoth = async (): Promise<void> => {
      const { left, right, compare } = get();
      const pair = `${left.listing}:${right.listing}`;
      if (!compare || compared === pair) return;
      compared = pair;
      const [leftEntries, rightEntries] = await Promise.all([wholeFolder(left), wholeFolder(right)]);
      const now = get();
      if (!now.compare || `${now.left.listing}:${now.right.listing}` !== pair || leftEntries === undefined || rightEntries === undefined) return;
      const marks = compareFolders(leftEntries, rightEntries);
      set({ left: { ...now.left, marks: marks.left }, right: { ...now.right, marks: marks.right } });
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
      void markBoth();
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
      patch(side, { ...reset, ...change, listing, error: undefined, marks: undefined });
      const first = keep ? Math.floor(pane.focus / PAGE_SIZE) : 0;
      void fetchPage(side, listing, first, fromServer);
    };

    /** Synchronized browsing: the other pane makes the same move, from `from` to `to`, if it can. */
    const follow = async (side: Side, from: string, to: string): Promise<void> => {
      const other = otherSide(side);
      const pane = get()[other];
      const target = sameMove(from, to, pane.path);
      const name = other === 'left' ? 'left' : 'right';
      if (target === undefined) {
        set({ syncNote: `Synchronized browsing: the ${name} pane has no folder matching /${to}, so it stayed in /${pane.path}.` });
        return;
      }
      const answer = await host.invoke('files.list', { connection: pane.connection, path: target, offset: 0, limit: 1, sort: pane.sort });
      if (get()[other].listing !== pane.listing) return;
      if (!answer.ok) {
        set({ syncNote: `Synchronized browsing: the ${name} pane has no folder /${target}, so it stayed in /${pane.path}.` });
        return;
      }
      set({ syncNote: undefined });
      relist(other, { path: target, filter: '' }, false, true);
      if (isBelow(pane.path, target)) reveal.set(get()[other].listing, pane.path);
    };

    return {
      left: freshPane(initial.left ?? THIS_COMPUTER, ''),
      right: freshPane(initial.right ?? THIS_COMPUTER, ''),
      active: 'left',
      compare: false,
      sync: false,
      syncNote: undefined,
      setActive(side) {
        if (get().active !== side) set({ active: side });
      },
      toggleCompare() {
        const compare = !get().compare;
        compared = '';
        set({ compare, left: { ...get().left, marks: undefined }, right: { ...get().right, marks: undefined } });
        void markBoth();
      },
      toggleSync() {
        set({ sync: !get().sync, syncNote: undefined });
      },
      async locate(side, prefix) {
        const pane = get()[side];
        const answer = await host.invoke('files.locate', { connection: pane.connection, path: pane.path, sort: pane.sort, prefix, ...(pane.filter === '' ? {} : { filter: pane.filter }) });
        if (!answer.ok || answer.value.index === null || get()[side].listing !== pane.listing) return false;
        get().moveFocus(side, answer.value.index, 'select');
        return true;
      },
      springOpen(side, path) {
        if (!springOrigins.has(side)) springOrigins.set(side, get()[side].path);
        relist(side, { path, filter: '' }, false, true);
      },
      springEnd(dropped) {
        if (!dropped) for (const [side, path] of springOrigins) relist(side, { path, filter: '' }, false, true);
        springOrigins.clear();
      },
      // Going to a folder reads it afresh, as a commander does; sorting, filtering and scrolling use
      // the host's copy of that listing.
      setConnection(side, connection) {
        relist(side, { connection, path: '', filter: '' }, false, true);
      },
      show(side, { connection, path, sort, filter }) {
        relist(side, { connection, path, sort, filter }, false, true);
      },
      open(side, path) {
        const from = get()[side].path;
        relist(side, { path, filter: '' }, false, true);
        if (get().sync && from !== path) void follow(side, from, path);
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

function isBelow(ancestor: string, path: string): boolean {
  return ancestor === '' ? path !== '' : path.startsWith(`${ancestor}/`);
}

/**
 * Where a pane at `otherPath` goes to make the move `from` → `to`: into the same subfolders, or up as
 * many levels; undefined for a jump that is neither (a path typed elsewhere) or that goes above its root.
 */
export function sameMove(from: string, to: string, otherPath: string): string | undefined {
  if (isBelow(from, to)) return to.slice(from === '' ? 0 : from.length + 1).split('/').reduce(joinPath, otherPath);
  if (!isBelow(to, from)) return undefined;
  let target = otherPath;
  for (let levels = from.split('/').length - (to === '' ? 0 : to.split('/').length); levels > 0; levels--) {
    if (target === '') return undefined;
    target = parentOf(target);
  }
  return target;
}
