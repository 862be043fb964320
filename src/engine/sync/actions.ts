import { assertNever } from '../../shared/util/assertNever.js';
import type { ItemResult } from '../transfer.js';
import type { DeleteAction, SyncSummary } from './sync.js';

/**
 * One line of a sync's account, as `--dry-run` and `--json` show it: what happens (or happened) to a
 * path below the two folders, and why. `copy` is a copy that failed before it was known to be new or a
 * replacement.
 */
export interface SyncAction {
  readonly action: 'new' | 'replace' | 'unchanged' | 'copy' | 'delete';
  readonly kind: 'file' | 'dir';
  /** Below the synced folders: the same on both sides. */
  readonly path: string;
  /** `planned` in a dry run; `withheld` for a delete held back (see the summary's `withheld`). */
  readonly status: 'done' | 'planned' | 'failed' | 'withheld';
  readonly reason: string;
  readonly bytes: number;
  /** Where the old file went, for a replaced or deleted file moved to the backup folder. */
  readonly backupPath?: string;
}

/** Every copy and delete of a sync, copies first, in the order the engine reported them. */
export function syncActions(s: SyncSummary): SyncAction[] {
  const backups = new Map(s.backedUp.map((b) => [b.path, b.backupPath]));
  return [...s.copy.items.map((item) => copyAction(s, item, backups)), ...s.deletes.map((d) => deleteAction(s, d))];
}

function copyAction(s: SyncSummary, item: ItemResult, backups: ReadonlyMap<string, string>): SyncAction {
  const path = below(s.sourceRoot, item.source);
  const backupPath = item.target === undefined ? undefined : backups.get(item.target);
  const base = { kind: 'file' as const, path, reason: item.reason ?? '', bytes: item.bytes, ...(backupPath === undefined ? {} : { backupPath }) };
  switch (item.status) {
    case 'skipped':
      return { ...base, action: 'unchanged', status: 'done' };
    case 'failed':
      return { ...base, action: 'copy', status: 'failed' };
    case 'planned':
      return { ...base, action: item.replaces === true ? 'replace' : 'new', status: 'planned' };
    case 'copied':
    case 'moved':
      return { ...base, action: item.replaces === true ? 'replace' : 'new', status: 'done' };
    default:
      return assertNever(item.status, 'item status');
  }
}

function deleteAction(s: SyncSummary, d: DeleteAction): SyncAction {
  return {
    action: 'delete',
    kind: d.kind,
    path: below(s.targetRoot, d.path),
    status: d.status === 'deleted' ? 'done' : d.status,
    reason: d.reason,
    bytes: d.bytes,
    ...(d.backupPath === undefined ? {} : { backupPath: d.backupPath }),
  };
}

function below(root: string, path: string): string {
  return root === '' || !path.startsWith(`${root}/`) ? path : path.slice(root.length + 1);
}
