import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TransferFile, TransferRequestInput, TransferSnapshot } from '../../src/shared/contract/models.js';
import type { Wire } from '../../src/shared/contract/wire.js';
import type { RendererHost } from '../host/RendererHost.js';

/** Files shown under an expanded batch; a batch of more says how many are not listed. */
export const FILES_SHOWN = 500;

export interface BatchFiles {
  readonly total: number;
  readonly files: ReadonlyArray<TransferFile>;
}

export interface TransfersState {
  /** In the order they were first seen, which never changes: rows do not move under the pointer. */
  readonly batches: ReadonlyMap<string, TransferSnapshot>;
  readonly files: ReadonlyMap<string, BatchFiles>;
  readonly expanded: ReadonlySet<string>;
  readonly error: string | undefined;
  load(): Promise<void>;
  start(request: TransferRequestInput): Promise<Wire<{ readonly id: string }>>;
  cancel(id: string): Promise<void>;
  /** Takes finished batches (done, failed, cancelled) off the list. */
  clearFinished(): void;
  toggle(id: string): Promise<void>;
  applySnapshots(snapshots: ReadonlyArray<TransferSnapshot>): void;
  applyFile(id: string, index: number, file: TransferFile): void;
}

export type TransfersStore = StoreApi<TransfersState>;

export function isFinished(snapshot: TransferSnapshot): boolean {
  return snapshot.state === 'done' || snapshot.state === 'failed' || snapshot.state === 'cancelled';
}

export function createTransfersStore(host: RendererHost): TransfersStore {
  /** Cleared batches stay cleared when the host lists them again. */
  const cleared = new Set<string>();

  return createStore<TransfersState>()((set, get) => {
    const loadFiles = async (id: string): Promise<void> => {
      const answer = await host.invoke('transfers.files', { id, offset: 0, limit: FILES_SHOWN });
      if (answer.ok) set({ files: new Map(get().files).set(id, answer.value) });
      else set({ error: answer.error.message });
    };

    return {
      batches: new Map(),
      files: new Map(),
      expanded: new Set(),
      error: undefined,
      async load() {
        const answer = await host.invoke('transfers.list', {});
        if (answer.ok) get().applySnapshots(answer.value.transfers);
        else set({ error: answer.error.message });
      },
      async start(request) {
        const answer = await host.invoke('transfers.start', request);
        if (!answer.ok) set({ error: answer.error.message });
        return answer;
      },
      async cancel(id) {
        const answer = await host.invoke('transfers.cancel', { id });
        if (!answer.ok) set({ error: answer.error.message });
      },
      clearFinished() {
        const batches = new Map(get().batches);
        const files = new Map(get().files);
        for (const [id, snapshot] of batches) {
          if (!isFinished(snapshot)) continue;
          cleared.add(id);
          batches.delete(id);
          files.delete(id);
        }
        set({ batches, files, error: undefined });
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
        const fresh = snapshots.filter((s) => !cleared.has(s.id));
        if (fresh.length === 0) return;
        const batches = new Map(get().batches);
        for (const snapshot of fresh) batches.set(snapshot.id, snapshot);
        set({ batches });
        // An expanded batch that just settled is listed again, for the files no event named.
        for (const snapshot of fresh) if (get().expanded.has(snapshot.id) && isFinished(snapshot)) void loadFiles(snapshot.id);
      },
      applyFile(id, index, file) {
        const current = get().files.get(id);
        if (current === undefined || index >= current.files.length) return;
        const files = current.files.slice();
        files[index] = file;
        set({ files: new Map(get().files).set(id, { ...current, files }) });
      },
    };
  });
}
