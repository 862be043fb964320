import { parentOf } from '../../connectors/paths.js';
import type { RemoteEntry, RemoteFs } from '../../connectors/types.js';
import { isPartialName } from '../copyFile.js';
import { mapWithConcurrency } from '../concurrency.js';
import { toTransferError } from '../retry.js';

/** What a sync finds in the destination folder. Paths are relative to the connector root. */
export interface DestinationTree {
  /** Files a sync may replace or delete. */
  readonly files: ReadonlyArray<RemoteEntry>;
  /** Every folder below the destination folder, parents before children. */
  readonly dirs: ReadonlyArray<string>;
  /**
   * Folders that hold something a sync leaves alone — Ferry's own partial files (the bytes a later run
   * resumes from), excluded names, names refused as unsafe — and so are never removed.
   */
  readonly held: ReadonlySet<string>;
}

export interface DestinationWalk {
  readonly fs: RemoteFs;
  readonly root: string;
  /** Whether a path below the root takes part in the sync; what it refuses is held, never deleted. */
  readonly select?: ((relativePath: string, kind: RemoteEntry['kind']) => boolean) | undefined;
  readonly signal: AbortSignal;
  readonly retrying: <T>(op: () => Promise<T>) => Promise<T>;
}

/** Lists the destination tree breadth-first; a destination that does not exist yet is empty. */
export async function walkDestination(walk: DestinationWalk): Promise<DestinationTree> {
  const { fs, root, select, signal, retrying } = walk;
  const files: RemoteEntry[] = [];
  const dirs: string[] = [];
  const held = new Set<string>();
  let level = [root];
  const parallel = Math.max(1, Math.min(8, fs.capabilities.maxConcurrency));
  while (level.length > 0) {
    const listings = await mapWithConcurrency(level, parallel, async (dir) => {
      try {
        return await retrying(() => fs.list(dir, { signal, onUnsafeName: () => held.add(dir) }));
      } catch (e) {
        if (dir === root && toTransferError(e).kind === 'notFound') return [];
        throw e;
      }
    });
    const next: string[] = [];
    for (const entries of listings) {
      for (const e of entries) {
        const rel = root === '' ? e.path : e.path.slice(root.length + 1);
        if (isPartialName(e.name) || (select !== undefined && !select(rel, e.kind))) held.add(parentOf(e.path));
        else if (e.kind === 'dir') {
          next.push(e.path);
          dirs.push(e.path);
        } else files.push(e);
      }
    }
    level = next;
  }
  return { files, dirs, held: withAncestors(held, root) };
}

/** The folders and every folder above them, up to the root. */
function withAncestors(folders: ReadonlySet<string>, root: string): Set<string> {
  const all = new Set<string>();
  for (const folder of folders) {
    for (let dir = folder; !all.has(dir); dir = parentOf(dir)) {
      all.add(dir);
      if (dir === root || dir === '') break;
    }
  }
  return all;
}

