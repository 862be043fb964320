import { createStore, type StoreApi } from 'zustand/vanilla';
import { NAMING_TYPED_NAMES, type NamingRoute, type NamingTry } from '../../src/shared/contract/namingCommands.js';
import type { RendererHost } from '../host/RendererHost.js';
import { latestListing, messageOf, unwrap } from './listing.js';

/** A Salesforce connection and object folder, or a source connection and folder; an empty connection is none chosen. */
export interface NamingPlace {
  readonly connection: string;
  readonly path: string;
}

export interface NamingDraft {
  readonly rule: string;
  /** The Salesforce connection and its object folder (`path`, e.g. `Account`). */
  readonly target: NamingPlace;
  readonly source: NamingPlace;
  /** Names typed by hand, one a line. */
  readonly typed: string;
}

export interface NamingState extends NamingDraft {
  readonly result: NamingTry | undefined;
  readonly trying: boolean;
  readonly error: string | undefined;
  readonly routes: ReadonlyArray<NamingRoute>;
  /** Job files that did not load, with why, so that a missing route is explained. */
  readonly unreadable: ReadonlyArray<{ readonly file: string; readonly reason: string }>;
  /** The route whose rule is loaded, by `routeKey`; saving writes back into it. */
  readonly route: string | undefined;
  /** What the last save did, in words. */
  readonly saved: string | undefined;
  edit(change: Partial<NamingDraft>): void;
  /** Tries the draft as it stands; an answer to an older draft is dropped. */
  tryDraft(): Promise<void>;
  loadRoutes(): Promise<void>;
  /** Loads a route's rule, Salesforce object and source folder into the draft. */
  pickRoute(key: string): void;
  saveRule(): Promise<void>;
}

export type NamingStore = StoreApi<NamingState>;

export function routeKey(route: Pick<NamingRoute, 'file' | 'route'>): string {
  return `${route.file}#${route.route}`;
}

/** The typed names: one a line, blank lines left out, at most as many as one try takes. */
export function typedNames(typed: string): string[] {
  return typed
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(0, NAMING_TYPED_NAMES);
}

/** A draft can be tried once it has a rule and a Salesforce object to find records in. */
export function canTry(draft: NamingDraft): boolean {
  return draft.rule !== '' && draft.target.connection !== '' && draft.target.path !== '';
}

export function createNamingStore(host: RendererHost): NamingStore {
  const latest = latestListing();
  return createStore<NamingState>()((set, get) => ({
    rule: '',
    target: { connection: '', path: 'Account' },
    source: { connection: '', path: '' },
    typed: '',
    result: undefined,
    trying: false,
    error: undefined,
    routes: [],
    unreadable: [],
    route: undefined,
    saved: undefined,
    edit: (change) => set({ ...change, saved: undefined }),
    tryDraft: async () => {
      const draft = get();
      if (!canTry(draft)) {
        set({ result: undefined, trying: false, error: undefined });
        return;
      }
      set({ trying: true });
      const { rule, target, source } = draft;
      await latest(
        'new',
        async () =>
          unwrap(
            await host.invoke('naming.try', {
              rule,
              target: { connection: target.connection, object: target.path },
              ...(source.connection === '' ? {} : { source: { connection: source.connection, path: source.path } }),
              names: typedNames(draft.typed),
            }),
          ),
        (result) => set({ result, trying: false, error: undefined }),
        (error) => set({ result: undefined, trying: false, error }),
      );
    },
    loadRoutes: async () => {
      try {
        const { routes, unreadable } = unwrap(await host.invoke('naming.routes', {}));
        set({ routes, unreadable });
      } catch (e) {
        set({ error: messageOf(e) });
      }
    },
    pickRoute: (key) => {
      const route = get().routes.find((r) => routeKey(r) === key);
      if (route === undefined) return set({ route: undefined, saved: undefined });
      set({
        route: key,
        rule: route.rule,
        target: { connection: route.target.connection, path: route.target.object },
        source: route.source ?? { connection: '', path: '' },
        saved: undefined,
      });
    },
    saveRule: async () => {
      const { routes, route: key, rule } = get();
      const route = routes.find((r) => routeKey(r) === key);
      if (route === undefined) return;
      try {
        const saved = unwrap(await host.invoke('naming.save', { file: route.file, route: route.route, rule })).route;
        set({ routes: routes.map((r) => (routeKey(r) === key ? saved : r)), saved: `Saved in ${route.file}, route ${route.route}.`, error: undefined });
      } catch (e) {
        set({ saved: undefined, error: messageOf(e) });
      }
    },
  }));
}
