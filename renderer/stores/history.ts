import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HistoryView, ItemHitView, ItemView, RunFilterInput, RunView, TrailStepView } from '../../src/shared/contract/historyCommands.js';
import type { RendererHost } from '../host/RendererHost.js';
import { clampedFocus, latestListing, messageOf, unwrap } from './listing.js';

/** Rows asked for at a time; the grid asks for the next page as its last rows come into view. */
export const HISTORY_PAGE = 200;

export type HistoryRow =
  | { readonly kind: 'run'; readonly run: RunView }
  | { readonly kind: 'item'; readonly item: ItemView }
  | { readonly kind: 'hit'; readonly hit: ItemHitView }
  | { readonly kind: 'step'; readonly step: TrailStepView };

export interface HistoryState {
  /** What the grid lists: runs (filtered), one run's files, a file-name search, one file's trail. */
  readonly view: HistoryView;
  readonly filter: RunFilterInput;
  /** The run whose files are listed, once its first page came. */
  readonly run: RunView | undefined;
  readonly rows: ReadonlyArray<HistoryRow>;
  /** Where the next page starts; undefined once the last page is in. */
  readonly next: number | string | undefined;
  readonly loading: boolean;
  readonly error: string | undefined;
  readonly focus: number;
  /** The view to go back to from a run's files or a trail. */
  readonly back: HistoryView | undefined;
  readonly exporting: boolean;
  /** Lists runs matching the filter, from the newest. */
  showRuns(filter: RunFilterInput): Promise<void>;
  showRun(runId: number): Promise<void>;
  search(text: string): Promise<void>;
  showTrail(name: string): Promise<void>;
  goBack(): Promise<void>;
  /** Asks for the next page, unless one is on its way or none is left. */
  more(): Promise<void>;
  setFocus(index: number): void;
  /** Opens the focused row: a run's files, or a file's trail. */
  open(index: number): Promise<void>;
  /** The whole view as CSV, built by the core and joined here a part at a time. */
  exportCsv(): Promise<{ readonly name: string; readonly parts: ReadonlyArray<string>; readonly rows: number } | undefined>;
}

export type HistoryStore = StoreApi<HistoryState>;

const EVERYTHING: HistoryView = { kind: 'runs', filter: {} };

/** A file's name: the last segment of its path. */
export function fileNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function csvName(view: HistoryView): string {
  switch (view.kind) {
    case 'runs':
      return 'ferry-runs.csv';
    case 'items':
      return `ferry-run-${view.runId}.csv`;
    case 'search':
      return `ferry-search-${view.text.replace(/[^\w.-]+/g, '_')}.csv`;
    case 'trail':
      return `ferry-trail-${view.name.replace(/[^\w.-]+/g, '_')}.csv`;
  }
}

export function createHistoryStore(host: RendererHost): HistoryStore {
  const fetchFor = latestListing();

  const page = async (view: HistoryView, cursor: number | string | undefined): Promise<{ rows: HistoryRow[]; next: number | string | undefined; run?: RunView }> => {
    switch (view.kind) {
      case 'runs': {
        const value = unwrap(await host.invoke('history.runs', { filter: view.filter, limit: HISTORY_PAGE, ...(typeof cursor === 'number' ? { before: cursor } : {}) }));
        return { rows: value.runs.map((run) => ({ kind: 'run', run })), next: value.next };
      }
      case 'items': {
        const value = unwrap(await host.invoke('history.items', { runId: view.runId, limit: HISTORY_PAGE, ...(typeof cursor === 'string' ? { after: cursor } : {}) }));
        return { rows: value.items.map((item) => ({ kind: 'item', item })), next: value.next, run: value.run };
      }
      case 'search': {
        const value = unwrap(await host.invoke('history.search', { text: view.text, limit: HISTORY_PAGE, ...(typeof cursor === 'number' ? { before: cursor } : {}) }));
        return { rows: value.hits.map((hit) => ({ kind: 'hit', hit })), next: value.next };
      }
      case 'trail': {
        const value = unwrap(await host.invoke('history.trail', { name: view.name, limit: HISTORY_PAGE, ...(typeof cursor === 'number' ? { after: cursor } : {}) }));
        return { rows: value.steps.map((step) => ({ kind: 'step', step })), next: value.next };
      }
    }
  };

  return createStore<HistoryState>()((set, get) => {
    const show = async (view: HistoryView, back: HistoryView | undefined): Promise<void> => {
      set({ view, back, rows: [], next: undefined, run: undefined, loading: true, error: undefined, focus: 0 });
      await fetchFor(
        'new',
        () => page(view, undefined),
        (first) => set({ rows: first.rows, next: first.next, run: first.run, loading: false }),
        (error) => set({ loading: false, error }),
      );
    };
    return {
      view: EVERYTHING,
      filter: {},
      run: undefined,
      rows: [],
      next: undefined,
      loading: false,
      error: undefined,
      focus: 0,
      back: undefined,
      exporting: false,
      showRuns: (filter) => {
        set({ filter });
        return show({ kind: 'runs', filter }, undefined);
      },
      showRun: (runId) => show({ kind: 'items', runId }, get().view.kind === 'items' ? get().back : get().view),
      search: (text) => (text.trim() === '' ? show({ kind: 'runs', filter: get().filter }, undefined) : show({ kind: 'search', text: text.trim() }, undefined)),
      showTrail: (name) => show({ kind: 'trail', name }, get().view.kind === 'trail' ? get().back : get().view),
      goBack: () => show(get().back ?? { kind: 'runs', filter: get().filter }, undefined),
      more: async () => {
        const { next, loading, view } = get();
        if (next === undefined || loading) return;
        set({ loading: true });
        await fetchFor(
          'current',
          () => page(view, next),
          (following) => set((s) => ({ rows: [...s.rows, ...following.rows], next: following.next, loading: false })),
          (error) => set({ loading: false, error }),
        );
      },
      setFocus: (index) => {
        const focus = clampedFocus(index, get().rows.length);
        if (focus !== undefined) set({ focus });
      },
      open: async (index) => {
        const row = get().rows[index];
        if (row === undefined) return;
        switch (row.kind) {
          case 'run':
            return get().showRun(row.run.id);
          case 'item':
            return get().showTrail(fileNameOf(row.item.sourcePath));
          case 'hit':
            return get().showTrail(fileNameOf(row.hit.sourcePath));
          case 'step':
            return row.step.kind === 'run' ? get().showRun(row.step.item.runId) : get().showRun(row.step.runId);
        }
      },
      exportCsv: async () => {
        const { view } = get();
        set({ exporting: true, error: undefined });
        try {
          const parts: string[] = [];
          let rows = 0;
          let cursor: string | undefined;
          do {
            const part = unwrap(await host.invoke('history.csv', { view, ...(cursor === undefined ? {} : { cursor }) }));
            parts.push(part.csv);
            rows += part.rows;
            cursor = part.next;
          } while (cursor !== undefined);
          return { name: csvName(view), parts, rows };
        } catch (e) {
          set({ error: `The export failed: ${messageOf(e)}` });
          return undefined;
        } finally {
          set({ exporting: false });
        }
      },
    };
  });
}
