import { TransferError } from '../../connectors/errors.js';
import { locationOf, normalizeRelative, parentOf } from '../../connectors/paths.js';
import type { RemoteEntry } from '../../connectors/types.js';
import type { TransferErrorKind } from '../../shared/model/errorKinds.js';
import { mapWithConcurrency } from '../concurrency.js';
import { DEFAULT_RETRY, toTransferError, withRetries } from '../retry.js';
import { removeIfPresent, transfer, type TransferRequest, type TransferSummary } from '../transfer.js';
import { moveToBackup } from './backup.js';
import { walkDestination } from './destinationTree.js';
import { overDeleteLimit, type MaxDelete } from './maxDelete.js';

export type SyncRequest = Omit<TransferRequest, 'recursive' | 'policy' | 'move' | 'beforeCopy' | 'resolveTargets'> & {
  /** Above this, nothing is deleted and the sync fails with the reason. */
  readonly maxDelete?: MaxDelete;
  /**
   * A folder on the destination's connection (relative to its root, outside the destination folder):
   * replaced and deleted files are moved there, under their relative paths, instead of being lost.
   */
  readonly backupPath?: string;
  /** Called for each file or folder the sync deleted, would delete, held back or failed to delete. */
  readonly onDeleteDone?: (action: DeleteAction) => void;
};

/** A file or folder on the destination that the source no longer has. Paths are relative to the destination's connector root. */
export interface DeleteAction {
  readonly path: string;
  readonly kind: RemoteEntry['kind'];
  /** `planned` in a dry run; `withheld` when copies failed or the delete limit was passed. */
  readonly status: 'deleted' | 'planned' | 'withheld' | 'failed';
  readonly reason: string;
  readonly bytes: number;
  /** Where the file was moved instead of being deleted (`backupPath`). */
  readonly backupPath?: string;
  readonly errorKind?: TransferErrorKind;
}

/** A replaced file kept in the backup folder. */
export interface BackedUpFile {
  readonly path: string;
  readonly backupPath: string;
}

export interface SyncSummary {
  readonly dryRun: boolean;
  /** The two folders, relative to their connector roots. */
  readonly sourceRoot: string;
  readonly targetRoot: string;
  /** The copy half: every source file, new, replaced, unchanged or failed. */
  readonly copy: TransferSummary;
  readonly deletes: ReadonlyArray<DeleteAction>;
  /** Why nothing was deleted although the destination holds files the source does not. */
  readonly withheld?: string;
  readonly backedUp: ReadonlyArray<BackedUpFile>;
  readonly durationMs: number;
}

/** Whether a sync did all it had to: every copy verified, every delete done. */
export function syncSucceeded(s: SyncSummary): boolean {
  return s.copy.failed.length === 0 && s.withheld === undefined && s.deletes.every((d) => d.status !== 'failed');
}

/**
 * Makes the destination folder a mirror of the source folder, one way, as rclone's `sync` does: files
 * new or changed on the source are copied (by size and time, by size alone, or by hash first), then
 * files and folders the source no longer has are deleted, or moved to the backup folder. Deletes come
 * only after every copy is verified: one failed copy, or more deletes than the limit allows, and
 * nothing is deleted. A missing or unreadable source fails the sync before anything changes, so it is
 * never taken for an empty one. Ferry's own partial files on the destination, excluded names and
 * names refused as unsafe are never deleted.
 */
export async function sync(req: SyncRequest): Promise<SyncSummary> {
  const started = Date.now();
  const signal = req.signal ?? new AbortController().signal;
  const sourceRoot = normalizeRelative(req.sourcePath);
  const targetRoot = normalizeRelative(req.targetPath);
  const backupRoot = req.backupPath === undefined ? undefined : normalizeRelative(req.backupPath);
  checkFolders(req, sourceRoot, targetRoot, backupRoot);
  const retrying = <T>(op: () => Promise<T>): Promise<T> => withRetries(req.retry ?? DEFAULT_RETRY, op, { signal });

  const root = await retrying(() => req.source.stat(sourceRoot, signal));
  if (root?.kind === 'file') {
    throw new TransferError('validation', `${locationOf(req.source, sourceRoot)} is a file: a sync mirrors a folder (use ferry copy for one file)`);
  }
  const before = await walkDestination({ fs: req.target, root: targetRoot, select: req.select, signal, retrying });

  const backedUp: BackedUpFile[] = [];
  const copy = await transfer({
    ...req,
    sourcePath: sourceRoot,
    targetPath: targetRoot,
    recursive: true,
    policy: 'changed',
    move: false,
    ...(backupRoot === undefined
      ? {}
      : {
          // The old version is moved aside just before its replacement is sent, since publishing the new one replaces it.
          beforeCopy: async (file, s) => {
            if (file.existing === undefined) return {};
            const path = file.existing.path;
            backedUp.push({ path, backupPath: await retrying(() => moveToBackup(req.target, backupRoot, targetRoot, path, s)) });
            return {};
          },
        }),
  });

  // On a server that ignores case, `A.csv` is the file just copied as `a.csv`: it must not be deleted.
  const key = req.target.capabilities.caseInsensitive ? (path: string): string => path.toLowerCase() : (path: string): string => path;
  const mirrored = new Set(copy.items.flatMap((i) => (i.target === undefined ? [] : [key(i.target)])));
  const files = before.files.filter((f) => !mirrored.has(key(f.path)));
  const needed = new Set([...before.held].map(key));
  for (const path of mirrored) for (let dir = parentOf(path); dir !== key(targetRoot) && dir !== '' && !needed.has(dir); dir = parentOf(dir)) needed.add(dir);
  // Deepest first, so that a folder is empty by the time it is removed.
  const dirs = before.dirs.filter((d) => !needed.has(key(d))).sort((a, b) => b.split('/').length - a.split('/').length);

  const withheld = files.length + dirs.length === 0 ? undefined : whyWithheld(req, copy, files.length, before.files.length);
  const planned = (status: 'planned' | 'withheld', reason: string) => (entry: { path: string; kind: RemoteEntry['kind']; size: number }): DeleteAction => ({
    path: entry.path,
    kind: entry.kind,
    status,
    reason,
    bytes: Math.max(0, entry.size),
  });
  let deletes: DeleteAction[];
  if (withheld !== undefined || req.dryRun) {
    const status = withheld === undefined ? 'planned' : 'withheld';
    deletes = [
      ...files.map(planned(status, withheld ?? goneReason('file', backupRoot))),
      ...dirs.map((path) => planned(status, withheld ?? goneReason('dir', undefined))({ path, kind: 'dir', size: 0 })),
    ];
    for (const d of deletes) req.onDeleteDone?.(d);
  } else {
    deletes = await deleteAll(req, files, dirs, targetRoot, backupRoot, signal, retrying);
  }
  return { dryRun: req.dryRun, sourceRoot, targetRoot, copy, deletes, ...(withheld === undefined ? {} : { withheld }), backedUp, durationMs: Date.now() - started };
}

function goneReason(kind: RemoteEntry['kind'], backupRoot: string | undefined): string {
  if (kind === 'dir') return 'the source has no such folder';
  return backupRoot === undefined ? 'the source no longer has this file' : `the source no longer has this file: it is moved to the backup folder ${backupRoot}`;
}

function whyWithheld(req: SyncRequest, copy: TransferSummary, deletes: number, destinationFiles: number): string | undefined {
  const failed = copy.failed.length;
  if (failed > 0) {
    return `${failed} file${failed === 1 ? '' : 's'} could not be copied, and a sync deletes only once every copy is verified`;
  }
  return overDeleteLimit(req.maxDelete, deletes, destinationFiles);
}

async function deleteAll(
  req: SyncRequest,
  files: ReadonlyArray<RemoteEntry>,
  dirs: ReadonlyArray<string>,
  targetRoot: string,
  backupRoot: string | undefined,
  signal: AbortSignal,
  retrying: <T>(op: () => Promise<T>) => Promise<T>,
): Promise<DeleteAction[]> {
  const target = req.target;
  const width = Math.max(1, Math.min(req.concurrency ?? 8, target.capabilities.maxConcurrency));
  const done = (action: DeleteAction): DeleteAction => {
    req.onDeleteDone?.(action);
    return action;
  };
  const fileActions = await mapWithConcurrency(files, width, async (f): Promise<DeleteAction> => {
    const base = { path: f.path, kind: 'file' as const, bytes: Math.max(0, f.size) };
    try {
      if (backupRoot === undefined) {
        await retrying(() => removeIfPresent(target, f.path));
        return done({ ...base, status: 'deleted', reason: goneReason('file', undefined) });
      }
      const backupPath = await retrying(() => moveToBackup(target, backupRoot, targetRoot, f.path, signal));
      return done({ ...base, status: 'deleted', reason: `the source no longer has this file: moved to ${backupPath}`, backupPath });
    } catch (e) {
      const error = toTransferError(e);
      if (error.kind === 'cancelled' || error.fatal) throw error;
      return done({ ...base, status: 'failed', reason: `could not be deleted: ${error.message}`, errorKind: error.kind });
    }
  });
  const stuck = new Set(fileActions.filter((a) => a.status === 'failed').map((a) => parentOf(a.path)));
  const dirActions: DeleteAction[] = [];
  for (const dir of dirs) {
    // A file that could not be deleted keeps its folders; its own failure says why.
    if (stuck.has(dir)) {
      stuck.add(parentOf(dir));
      continue;
    }
    try {
      await retrying(() => target.rmdir(dir));
      dirActions.push(done({ path: dir, kind: 'dir', bytes: 0, status: 'deleted', reason: goneReason('dir', undefined) }));
    } catch (e) {
      const error = toTransferError(e);
      if (error.kind === 'cancelled' || error.fatal) throw error;
      stuck.add(parentOf(dir));
      dirActions.push(done({ path: dir, kind: 'dir', bytes: 0, status: 'failed', reason: `the folder could not be removed: ${error.message}`, errorKind: error.kind }));
    }
  }
  return [...fileActions, ...dirActions];
}

/** Refuses folders that overlap: a sync would copy into its own source, or delete its own backups. */
function checkFolders(req: SyncRequest, sourceRoot: string, targetRoot: string, backupRoot: string | undefined): void {
  const sameRoot = req.source.description === req.target.description;
  if (sameRoot && overlap(sourceRoot, targetRoot)) {
    throw new TransferError('config', `${locationOf(req.source, sourceRoot)} and ${locationOf(req.target, targetRoot)} overlap: a sync's source and destination must be separate folders`);
  }
  if (backupRoot === undefined) return;
  if (req.target.rename === undefined || !req.target.capabilities.rename) {
    throw new TransferError('config', `${req.target.description} cannot rename files, so it cannot keep a backup folder: leave the backup folder out`);
  }
  if (overlap(backupRoot, targetRoot) || (sameRoot && overlap(backupRoot, sourceRoot))) {
    throw new TransferError('config', `The backup folder ${locationOf(req.target, backupRoot)} overlaps the ${overlap(backupRoot, targetRoot) ? 'destination' : 'source'}: it must be a folder outside both`);
  }
}

function overlap(a: string, b: string): boolean {
  return a === b || a === '' || b === '' || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}
