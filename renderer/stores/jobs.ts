import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DryRunView, JobSummary } from '../../src/shared/contract/jobCommands.js';
import type { RendererHost } from '../host/RendererHost.js';
import { clampedFocus, messageOf, unwrap } from './listing.js';

export type DryRunState =
  | { readonly status: 'loading'; readonly job: string }
  | { readonly status: 'ready'; readonly job: string; readonly plan: DryRunView }
  | { readonly status: 'failed'; readonly job: string; readonly message: string };

export interface JobsState {
  readonly jobs: ReadonlyArray<JobSummary>;
  /** Every schedule is paused ("Pause all"). */
  readonly paused: boolean;
  readonly loaded: boolean;
  readonly loading: boolean;
  readonly error: string | undefined;
  /** What the last action did or why it failed, in words, for the status line. */
  readonly message: { readonly text: string; readonly tone: 'info' | 'error' } | undefined;
  readonly focus: number;
  /** The dry run on show, if any. */
  readonly dryRun: DryRunState | undefined;
  load(): Promise<void>;
  setFocus(index: number): void;
  run(name: string): Promise<void>;
  preview(name: string): Promise<void>;
  closeDryRun(): void;
  setEnabled(name: string, enabled: boolean): Promise<void>;
  pauseAll(paused: boolean): Promise<void>;
}

export type JobsStore = StoreApi<JobsState>;

export function createJobsStore(host: RendererHost): JobsStore {
  let asked = 0;
  return createStore<JobsState>()((set, get) => {
    const act = async (work: () => Promise<string>): Promise<void> => {
      try {
        set({ message: { text: await work(), tone: 'info' } });
      } catch (e) {
        set({ message: { text: messageOf(e), tone: 'error' } });
      }
      await get().load();
    };
    return {
      jobs: [],
      paused: false,
      loaded: false,
      loading: false,
      error: undefined,
      message: undefined,
      focus: 0,
      dryRun: undefined,
      load: async () => {
        // Events can ask for the list several times at once: only the newest answer is kept.
        const mine = ++asked;
        set({ loading: true });
        try {
          const { jobs, paused } = unwrap(await host.invoke('jobs.list', {}));
          if (mine !== asked) return;
          const focus = Math.min(get().focus, Math.max(jobs.length - 1, 0));
          set({ jobs, paused, loaded: true, loading: false, error: undefined, focus });
        } catch (e) {
          if (mine === asked) set({ loading: false, loaded: true, error: `The jobs could not be listed: ${messageOf(e)}` });
        }
      },
      setFocus: (index) => {
        const focus = clampedFocus(index, get().jobs.length);
        if (focus !== undefined) set({ focus });
      },
      run: (name) =>
        act(async () => {
          const { runId } = unwrap(await host.invoke('jobs.run', { name }));
          return `${name} is running (run ${runId}).`;
        }),
      preview: async (name) => {
        set({ dryRun: { status: 'loading', job: name } });
        try {
          const plan = unwrap(await host.invoke('jobs.dryRun', { name }));
          if (get().dryRun?.job === name) set({ dryRun: { status: 'ready', job: name, plan } });
        } catch (e) {
          if (get().dryRun?.job === name) set({ dryRun: { status: 'failed', job: name, message: messageOf(e) } });
        }
      },
      closeDryRun: () => set({ dryRun: undefined }),
      setEnabled: (name, enabled) =>
        act(async () => {
          unwrap(await host.invoke('jobs.setEnabled', { name, enabled }));
          return enabled ? `${name} is enabled: it runs on its schedule.` : `${name} is disabled: its schedule does not run it.`;
        }),
      pauseAll: (paused) =>
        act(async () => {
          unwrap(await host.invoke('jobs.pauseSchedules', { paused }));
          return paused ? 'All schedules are paused.' : 'Schedules run again.';
        }),
    };
  });
}

const stores = new WeakMap<RendererHost, JobsStore>();

/** One jobs store per host, kept while the user looks at other screens, and refreshed by `jobs.changed`. */
export function jobsStoreFor(host: RendererHost): JobsStore {
  let store = stores.get(host);
  if (store === undefined) {
    const created = createJobsStore(host);
    host.subscribe('jobs.changed', () => void created.getState().load());
    host.onReconnect(() => void created.getState().load());
    stores.set(host, created);
    store = created;
  }
  return store;
}
