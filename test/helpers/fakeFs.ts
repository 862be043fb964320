import type { Capabilities, HashKind, RemoteEntry, RemoteFs } from '../../src/connectors/types.js';

export interface FakeFsOptions {
  readonly description?: string;
  /** What `stat` answers, by path (an FTP server's MDTM, for example). */
  readonly stats?: Readonly<Record<string, RemoteEntry>>;
  /** What `hash` answers, by path; without it the connector has no `hash`. */
  readonly hashes?: Readonly<Record<string, string>>;
  readonly hashKinds?: ReadonlyArray<HashKind>;
}

/** A connector that only answers questions about files (stat, hash), for decisions that need no bytes. */
export function fakeFs(opts: FakeFsOptions = {}): RemoteFs & { readonly asked: string[] } {
  const asked: string[] = [];
  const capabilities: Capabilities = {
    rename: true,
    resume: true,
    hashes: opts.hashKinds ?? [],
    mtimePrecisionMs: 1000,
    caseInsensitive: false,
    maxConcurrency: 1,
  };
  const unused = (): never => {
    throw new Error('not used by this test');
  };
  const hashes = opts.hashes;
  return {
    asked,
    kind: 'local',
    capabilities,
    description: opts.description ?? 'fake://',
    storageKey: 'fake',
    fileKey: async (path) => path,
    list: async () => [],
    stat: async (path) => {
      asked.push(`stat ${path}`);
      return opts.stats?.[path];
    },
    read: unused,
    write: unused,
    mkdir: unused,
    remove: unused,
    rmdir: unused,
    ...(hashes === undefined
      ? {}
      : {
          hash: async (path: string) => {
            asked.push(`hash ${path}`);
            const h = hashes[path];
            if (h === undefined) throw new Error(`no hash for ${path}`);
            return h;
          },
        }),
    close: async () => undefined,
  };
}
