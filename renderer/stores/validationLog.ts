import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ValidationActionResult, ValidationCursor, ValidationEntryView, ValidationFilterInput } from '../../src/shared/contract/validationCommands.js';
import type { RendererHost } from '../host/RendererHost.js';
import { clampedFocus, latestListing, messageOf, unwrap } from './listing.js';

/** Entries asked for at a time; "Show more" asks for the next page by key. */
export const VALIDATION_PAGE = 200;

export type ValidationAction = 'revalidate' | 'release' | 'return';

export interface OpenedEntry {
  readonly entry: ValidationEntryView;
  readonly firstLines: ReadonlyArray<string>;
  readonly binary: boolean;
}

export interface ValidationLogState {
  readonly filter: ValidationFilterInput;
  readonly entries: ReadonlyArray<ValidationEntryView>;
  readonly next: ValidationCursor | undefined;
  readonly loading: boolean;
  readonly error: string | undefined;
  readonly focus: number;
  /** Ids of the entries ticked for a bulk action. */
  readonly selected: ReadonlySet<number>;
  readonly opened: OpenedEntry | undefined;
  readonly busy: boolean;
  /** What the last action did to each file. */
  readonly results: ReadonlyArray<ValidationActionResult>;
  show(filter: ValidationFilterInput): Promise<void>;
  more(): Promise<void>;
  setFocus(index: number): void;
  toggle(id: number): void;
  open(index: number): Promise<void>;
  /** Opens the entry a resubmission link names, wherever it is in the log. */
  openLinked(id: number): Promise<void>;
  /** Lists `filter` and opens entry `id` in it, wherever it is in the log (a notice leads there). */
  openEntry(filter: ValidationFilterInput, id: number): Promise<void>;
  /** Acts on the ticked entries, or on the opened one when none is ticked, then lists again. */
  act(action: ValidationAction, note?: string): Promise<void>;
}

export type ValidationLogStore = StoreApi<ValidationLogState>;

export function createValidationLogStore(host: RendererHost): ValidationLogStore {
  const fetchFor = latestListing();
  const page = async (filter: ValidationFilterInput, before: ValidationCursor | undefined) =>
    unwrap(await host.invoke('validation.log', { filter, limit: VALIDATION_PAGE, ...(before === undefined ? {} : { before }) }));

  return createStore<ValidationLogState>()((set, get) => ({
    filter: {},
    entries: [],
    next: undefined,
    loading: false,
    error: undefined,
    focus: 0,
    selected: new Set(),
    opened: undefined,
    busy: false,
    results: [],
    show: async (filter) => {
      set({ filter, entries: [], next: undefined, loading: true, error: undefined, focus: 0, selected: new Set() });
      await fetchFor(
        'new',
        () => page(filter, undefined),
        (first) => set({ entries: first.entries, next: first.next, loading: false }),
        (error) => set({ loading: false, error }),
      );
    },
    more: async () => {
      const { next, loading, filter } = get();
      if (next === undefined || loading) return;
      set({ loading: true });
      await fetchFor(
        'current',
        () => page(filter, next),
        (following) => set((s) => ({ entries: [...s.entries, ...following.entries], next: following.next, loading: false })),
        (error) => set({ loading: false, error }),
      );
    },
    setFocus: (index) => {
      const focus = clampedFocus(index, get().entries.length);
      if (focus !== undefined) set({ focus });
    },
    toggle: (id) =>
      set((s) => {
        const selected = new Set(s.selected);
        if (!selected.delete(id)) selected.add(id);
        return { selected };
      }),
    open: async (index) => {
      const entry = get().entries[index];
      if (entry === undefined) return;
      set({ focus: index, error: undefined });
      try {
        const opened = unwrap(await host.invoke('validation.entry', { id: entry.id }));
        if (get().entries[get().focus]?.id === entry.id) set({ opened });
      } catch (e) {
        set({ error: messageOf(e) });
      }
    },
    openLinked: async (id) => {
      set({ error: undefined });
      try {
        const opened = unwrap(await host.invoke('validation.entry', { id }));
        const index = get().entries.findIndex((e) => e.id === id);
        // The linked entry may be on a later page or outside the filter: the details show it all the same.
        set({ opened, ...(index === -1 ? {} : { focus: index }) });
      } catch (e) {
        set({ error: messageOf(e) });
      }
    },
    openEntry: async (filter, id) => {
      await get().show(filter);
      const index = get().entries.findIndex((e) => e.id === id);
      if (index >= 0) {
        await get().open(index);
        return;
      }
      try {
        set({ opened: unwrap(await host.invoke('validation.entry', { id })) });
      } catch (e) {
        set({ error: messageOf(e) });
      }
    },
    act: async (action, note) => {
      const { selected, opened } = get();
      const ids = selected.size > 0 ? [...selected] : opened === undefined ? [] : [opened.entry.id];
      if (ids.length === 0) return;
      set({ busy: true, error: undefined, results: [] });
      try {
        const answer =
          action === 'return'
            ? await host.invoke('validation.return', { ids, ...(note === undefined || note.trim() === '' ? {} : { note: note.trim() }) })
            : await host.invoke('validation.release', { ids, revalidate: action === 'revalidate' });
        set({ results: unwrap(answer).results, opened: undefined });
        await get().show(get().filter);
      } catch (e) {
        set({ error: messageOf(e) });
      } finally {
        set({ busy: false });
      }
    },
  }));
}
