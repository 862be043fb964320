import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HomeSummary } from '../../src/shared/contract/homeCommands.js';
import type { RendererHost } from '../host/RendererHost.js';
import { latestListing, messageOf, unwrap } from './listing.js';

export interface HomeState {
  readonly summary: HomeSummary | undefined;
  readonly loading: boolean;
  readonly error: string | undefined;
  /** What the last action on an attention item came to, by the item's key ("Connected.", the reason it did not). */
  readonly outcomes: Readonly<Record<string, string>>;
  load(): Promise<void>;
  /** Sets a failed run aside, then lists again. */
  dismiss(runId: number): Promise<void>;
  /** Tries a saved connection again; its item says how it went. */
  testConnection(key: string, name: string): Promise<void>;
  resumeSchedules(): Promise<void>;
}

export type HomeStore = StoreApi<HomeState>;

export function createHomeStore(host: RendererHost): HomeStore {
  const fetchFor = latestListing();
  return createStore<HomeState>()((set, get) => {
    /** Runs an action, then shows the summary as it now is; a failure is shown where the summary's errors are. */
    const act = async (action: () => Promise<void>): Promise<void> => {
      set({ error: undefined });
      try {
        await action();
      } catch (e) {
        set({ error: messageOf(e) });
      }
      await get().load();
    };
    return {
      summary: undefined,
      loading: false,
      error: undefined,
      outcomes: {},
      load: async () => {
        set({ loading: true });
        await fetchFor(
          'new',
          async () => unwrap(await host.invoke('home.summary', {})),
          (summary) => set({ summary, loading: false, error: undefined }),
          (error) => set({ loading: false, error }),
        );
      },
      dismiss: (runId) => act(async () => void unwrap(await host.invoke('home.dismiss', { runId }))),
      testConnection: (key, name) =>
        act(async () => {
          const tested = unwrap(await host.invoke('home.testConnection', { name }));
          set((s) => ({ outcomes: { ...s.outcomes, [key]: tested.connected ? `${name} connected.` : `${name} still fails: ${tested.message}` } }));
        }),
      resumeSchedules: () => act(async () => void unwrap(await host.invoke('home.resumeSchedules', {}))),
    };
  });
}
