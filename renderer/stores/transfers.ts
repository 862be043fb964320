import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TransferFile, TransferRequestInput, TransferSnapshot } from '../../src/shared/contract/models.js';
import type { Wire } from '../../src/shared/contract/wire.js';
import type { RendererHost } from '../host/RendererHost.js';

/** Files shown under an expanded batch; a batch of more says how many are not listed. */
export const FILES_SHOWN = 500;

/** A batch that is over sooner than this never shows a progress bar: a bar that flashes and goes reads as a glitch. */
export const PROGRESS_DELAY_MS = 150;

/** Where the store reads the time and waits; tests give their own, so that no test waits on a real clock. */
export interface Clock {
  now(): number;
  after(ms: number, run: () => void): void;
}

const REAL_CLOCK: Clock = {
  now: () => performance.now(),
  after: (ms, run) => {
    setTimeout(run, ms);
  },
};

export interface BatchFiles {
  readonly total: number;
  readonly files: ReadonlyArray<TransferFile>;
}

export interface TransfersState {
  /** In the order they were first seen, which never changes: rows do not move under the pointer. */
  readonly batches: ReadonlyMap<string, TransferSnapshot>;
  readonly files: ReadonlyMap<string, BatchFiles>;
  readonly expanded: ReadonlySet<string>;
  /** When this window first saw each batch running, by its clock (the host's may differ). */
  readonly runningSince: ReadonlyMap<string, number>;
  /** The queue holds new starts: running files finish, nothing new begins. */
  readonly paused: boolean;
  /** Bumped when a batch's progress bar becomes due, so that rows look at the clock again. */
  readonly tick: number;
  readonly error: string | undefined;
  readonly clock: Clock;
  load(): Promise<void>;
  start(request: TransferRequestInput): Promise<Wire<{ readonly id: string }>>;
  cancel(id: string): Promise<void>;
  cancelFile(id: string, source: string): Promise<void>;
  /** Sends the batch's failed files again: all, or the one named. */
  retry(id: string, source?: string): Promise<void>;
  setPaused(paused: boolean): Promise<void>;
  /** Takes finished batches (done, failed, cancelled) off the queue, in every window. */
  clearFinished(): Promise<void>;
  toggle(id: string): Promise<void>;
  applySnapshots(snapshots: ReadonlyArray<TransferSnapshot>): void;
  /** A batch changed state: its files may have changed too (listed, retried), so an open list is read again. */
  applyState(snapshot: TransferSnapshot): void;
  applyFile(id: string, index: number, file: TransferFile): void;
  applyPaused(paused: boolean): void;
  applyRemoved(ids: ReadonlyArray<string>): void;
}

export type TransfersStore = StoreApi<TransfersState>;

export function isFinished(snapshot: TransferSnapshot): boolean {
  return snapshot.state === 'done' || snapshot.state === 'failed' || snapshot.state === 'cancelled';
}

/** The 150 ms rule: a bar only for a batch still under way that this window has seen running for a while. */
export function progressVisible(snapshot: TransferSnapshot, runningSince: number | undefined, now: number): boolean {
  return !isFinished(snapshot) && runningSince !== undefined && now - runningSince >= PROGRESS_DELAY_MS;
}

export function createTransfersStore(host: RendererHost, clock: Clock = REAL_CLOCK): TransfersStore {
  return createStore<TransfersState>()((set, get) => {
    const loadFiles = async (id: string): Promise<void> => {
      const answer = await host.invoke('transfers.files', { id, offset: 0, limit: FILES_SHOWN });
      if (answer.ok) set({ files: new Map(get().files).set(id, answer.value) });
      else set({ error: answer.error.message });
    };
    const asked = (answer: Wire<unknown>): void => {
      set({ error: answer.ok ? undefined : answer.error.message });
    };

    return {
      batches: new Map(),
      files: new Map(),
      expanded: new Set(),
      runningSince: new Map(),
      paused: false,
      tick: 0,
      error: undefined,
      clock,
      async load() {
        const answer = await host.invoke('transfers.list', {});
        if (!answer.ok) {
          set({ error: answer.error.message });
          return;
        }
        // Batches cleared meanwhile (in another window, or by a restarted host) are not listed any more.
        const listed = new Set(answer.value.transfers.map((t) => t.id));
        get().applyRemoved([...get().batches.keys()].filter((id) => !listed.has(id)));
        // The host's order is the queue's: a batch whose progress arrived before the list takes its place in it.
        const batches = new Map(answer.value.transfers.map((t) => [t.id, get().batches.get(t.id) ?? t]));
        set({ batches, paused: answer.value.paused });
        get().applySnapshots(answer.value.transfers);
      },
      async start(request) {
        const answer = await host.invoke('transfers.start', request);
        if (!answer.ok) set({ error: answer.error.message });
        return answer;
      },
      cancel: async (id) => asked(await host.invoke('transfers.cancel', { id })),
      cancelFile: async (id, source) => asked(await host.invoke('transfers.cancelFile', { id, source })),
      retry: async (id, source) => asked(await host.invoke('transfers.retry', source === undefined ? { id } : { id, source })),
      async setPaused(paused) {
        const answer = await host.invoke('transfers.pause', { paused });
        if (answer.ok) set({ paused, error: undefined });
        else set({ error: answer.error.message });
      },
      async clearFinished() {
        const answer = await host.invoke('transfers.clearFinished', {});
        if (answer.ok) get().applyRemoved(answer.value.ids);
        asked(answer);
      },
      async toggle(id) {
        const expanded = new Set(get().expanded);
        if (expanded.delete(id)) {
          set({ expanded });
          return;
        }
        set({ expanded: expanded.add(id) });
        await loadFiles(id);
      },
      applySnapshots(snapshots) {
        if (snapshots.length === 0) return;
        const batches = new Map(get().batches);
        let runningSince: Map<string, number> | undefined;
        for (const snapshot of snapshots) {
          batches.set(snapshot.id, snapshot);
          const under = snapshot.state === 'running' || snapshot.state === 'paused';
          if (under && !get().runningSince.has(snapshot.id)) {
            runningSince ??= new Map(get().runningSince);
            runningSince.set(snapshot.id, clock.now());
            clock.after(PROGRESS_DELAY_MS, () => set({ tick: get().tick + 1 }));
          } else if (snapshot.state === 'queued' && get().runningSince.has(snapshot.id)) {
            // Queued again (a retry): its next run earns its bar anew.
            runningSince ??= new Map(get().runningSince);
            runningSince.delete(snapshot.id);
          }
        }
        set(runningSince === undefined ? { batches } : { batches, runningSince });
        // An expanded batch is listed again when it settles (for the files no event named) or when the
        // host has listed more of its files (a selected folder's contents).
        for (const snapshot of snapshots) {
          if (!get().expanded.has(snapshot.id)) continue;
          const shown = get().files.get(snapshot.id);
          if (isFinished(snapshot) || (shown !== undefined && shown.total !== snapshot.filesTotal && shown.total < FILES_SHOWN)) void loadFiles(snapshot.id);
        }
      },
      applyState(snapshot) {
        get().applySnapshots([snapshot]);
        if (get().expanded.has(snapshot.id) && !isFinished(snapshot)) void loadFiles(snapshot.id);
      },
      applyFile(id, index, file) {
        const current = get().files.get(id);
        if (current === undefined || index > current.files.length || index >= FILES_SHOWN) return;
        const files = current.files.slice();
        files[index] = file;
        set({ files: new Map(get().files).set(id, { total: Math.max(current.total, files.length), files }) });
      },
      applyPaused(paused) {
        set({ paused });
      },
      applyRemoved(ids) {
        if (ids.length === 0) return;
        const batches = new Map(get().batches);
        const files = new Map(get().files);
        const expanded = new Set(get().expanded);
        const runningSince = new Map(get().runningSince);
        for (const id of ids) {
          batches.delete(id);
          files.delete(id);
          expanded.delete(id);
          runningSince.delete(id);
        }
        set({ batches, files, expanded, runningSince });
      },
    };
  });
}
