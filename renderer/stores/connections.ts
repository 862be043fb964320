import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CommandInput } from '../../src/shared/contract/commands.js';
import { THIS_COMPUTER, type ConnectionSummary, type ServerReportView } from '../../src/shared/contract/models.js';
import type { Wire } from '../../src/shared/contract/wire.js';
import type { RendererHost } from '../host/RendererHost.js';

const COMPUTER: ConnectionSummary = { name: THIS_COMPUTER, kind: 'local', location: 'file:///', sdrive: false };

export interface ConnectionsState {
  /** Every connection a pane can show, this computer first. */
  readonly connections: ReadonlyArray<ConnectionSummary>;
  readonly loaded: boolean;
  readonly error: string | undefined;
  /** The last test of each connection, by name. */
  readonly reports: ReadonlyMap<string, ServerReportView>;
  load(): Promise<void>;
  add(input: CommandInput<'connections.add'>): Promise<Wire<{ readonly report?: ServerReportView }>>;
  test(name: string): Promise<Wire<{ readonly report: ServerReportView }>>;
  remove(name: string): Promise<Wire<object>>;
}

export type ConnectionsStore = StoreApi<ConnectionsState>;

export function kindOf(connections: ReadonlyArray<ConnectionSummary>, name: string): ConnectionSummary['kind'] | undefined {
  return connections.find((c) => c.name === name)?.kind;
}

export function createConnectionsStore(host: RendererHost): ConnectionsStore {
  return createStore<ConnectionsState>()((set, get) => {
    const remember = (name: string, report: ServerReportView | undefined): void => {
      if (report !== undefined) set({ reports: new Map(get().reports).set(name, report) });
    };
    return {
      connections: [COMPUTER],
      loaded: false,
      error: undefined,
      reports: new Map(),
      async load() {
        const answer = await host.invoke('connections.list', {});
        if (!answer.ok) {
          set({ error: answer.error.message, loaded: true });
          return;
        }
        const others = answer.value.connections.filter((c) => c.name !== THIS_COMPUTER);
        set({ connections: [COMPUTER, ...others], loaded: true, error: undefined });
      },
      async add(input) {
        const answer = await host.invoke('connections.add', input);
        if (answer.ok) {
          remember(input.name, answer.value.report);
          await get().load();
        }
        return answer;
      },
      async test(name) {
        const answer = await host.invoke('connections.test', { name });
        if (answer.ok) remember(name, answer.value.report);
        return answer;
      },
      async remove(name) {
        const answer = await host.invoke('connections.remove', { name });
        if (answer.ok) await get().load();
        return answer;
      },
    };
  });
}
