import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CommandInput, CommandOutput } from '../../src/shared/contract/commands.js';
import type { ConnectionProblemView, ConnectionStatus, TestOutcome } from '../../src/shared/contract/connectionModels.js';
import { THIS_COMPUTER, type ConnectionSummary, type ServerReportView } from '../../src/shared/contract/models.js';
import type { Wire } from '../../src/shared/contract/wire.js';
import type { RendererHost } from '../host/RendererHost.js';

const COMPUTER: ConnectionSummary = { name: THIS_COMPUTER, kind: 'local', location: 'file:///', sdrive: false };

export interface ConnectionsState {
  /** Every connection a pane can show, this computer first. */
  readonly connections: ReadonlyArray<ConnectionSummary>;
  readonly loaded: boolean;
  readonly error: string | undefined;
  /** The last test of each connection, by name: what it supports, or why it failed. */
  readonly outcomes: ReadonlyMap<string, TestOutcome>;
  /** Connections the host could not open, by name, with the reason; cleared when one connects or closes. */
  readonly problems: ReadonlyMap<string, NonNullable<ConnectionStatus['problem']>>;
  /** Browser sign-ins started from this window, by connection name, until the host says how they ended. */
  readonly signIns: ReadonlyMap<string, SignInState>;
  load(): Promise<void>;
  add(input: CommandInput<'connections.add'>): Promise<Wire<{ readonly report?: ServerReportView }>>;
  edit(input: CommandInput<'connections.edit'>): Promise<Wire<{ readonly report?: ServerReportView }>>;
  get(name: string): Promise<Wire<CommandOutput<'connections.get'>>>;
  test(name: string): Promise<Wire<TestOutcome>>;
  probe(input: CommandInput<'connections.probe'>): Promise<Wire<TestOutcome>>;
  remove(name: string): Promise<Wire<object>>;
  previewImport(input: CommandInput<'connections.import.preview'>): Promise<Wire<CommandOutput<'connections.import.preview'>>>;
  applyImport(input: CommandInput<'connections.import.apply'>): Promise<Wire<CommandOutput<'connections.import.apply'>>>;
  signIn(input: CommandInput<'connections.salesforce.signIn'>): Promise<Wire<CommandOutput<'connections.salesforce.signIn'>>>;
  /** A `connection.status` event from the host. */
  applyStatus(status: ConnectionStatus): void;
}

export type SignInState = { readonly state: 'waiting' } | { readonly state: 'connected' } | { readonly state: 'failed'; readonly problem: ConnectionProblemView };

export type ConnectionsStore = StoreApi<ConnectionsState>;

export function kindOf(connections: ReadonlyArray<ConnectionSummary>, name: string): ConnectionSummary['kind'] | undefined {
  return connections.find((c) => c.name === name)?.kind;
}

export function createConnectionsStore(host: RendererHost): ConnectionsStore {
  return createStore<ConnectionsState>()((set, get) => {
    const remember = (name: string, outcome: TestOutcome): void => set({ outcomes: new Map(get().outcomes).set(name, outcome) });
    const forget = (name: string): void => {
      const outcomes = new Map(get().outcomes);
      const problems = new Map(get().problems);
      outcomes.delete(name);
      problems.delete(name);
      set({ outcomes, problems });
    };
    const saved = async <T extends { readonly report?: ServerReportView }>(name: string, answer: Wire<T>): Promise<Wire<T>> => {
      if (answer.ok) {
        forget(name);
        if (answer.value.report !== undefined) remember(name, { outcome: 'connected', report: answer.value.report });
        await get().load();
      }
      return answer;
    };
    return {
      connections: [COMPUTER],
      loaded: false,
      error: undefined,
      outcomes: new Map(),
      problems: new Map(),
      signIns: new Map(),
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
        return saved(input.name, await host.invoke('connections.add', input));
      },
      async edit(input) {
        return saved(input.name, await host.invoke('connections.edit', input));
      },
      get: (name) => host.invoke('connections.get', { name }),
      async test(name) {
        const answer = await host.invoke('connections.test', { name });
        if (answer.ok) remember(name, answer.value);
        return answer;
      },
      probe: (input) => host.invoke('connections.probe', input),
      async remove(name) {
        const answer = await host.invoke('connections.remove', { name });
        if (answer.ok) {
          forget(name);
          await get().load();
        }
        return answer;
      },
      previewImport: (input) => host.invoke('connections.import.preview', input),
      async applyImport(input) {
        const answer = await host.invoke('connections.import.apply', input);
        if (answer.ok) await get().load();
        return answer;
      },
      async signIn(input) {
        const answer = await host.invoke('connections.salesforce.signIn', input);
        if (answer.ok) set({ signIns: new Map(get().signIns).set(input.name, { state: 'waiting' }) });
        return answer;
      },
      applyStatus(status) {
        const problems = new Map(get().problems);
        if (status.state === 'failed' && status.problem !== undefined) problems.set(status.name, status.problem);
        else problems.delete(status.name);
        set({ problems });
        if (get().signIns.get(status.name)?.state === 'waiting' && status.state !== 'closed') {
          const ended: SignInState = status.state === 'failed' && status.problem !== undefined ? { state: 'failed', problem: status.problem } : { state: 'connected' };
          set({ signIns: new Map(get().signIns).set(status.name, ended) });
        }
        // A sign-in finishing elsewhere (the browser) adds a connection this window has not listed yet.
        if (status.state === 'connected' && !get().connections.some((c) => c.name === status.name)) void get().load();
      },
    };
  });
}
