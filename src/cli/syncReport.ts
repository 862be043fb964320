import type { SyncAction } from '../engine/sync/actions.js';
import type { JobRunResult } from '../jobs/runJob.js';
import { visibleName } from './format.js';
import { print, warn, type CliIo } from './io.js';

/** How many files each kind of action touched: done, or planned in a dry run. */
export interface SyncTotals {
  readonly new: number;
  readonly replace: number;
  readonly delete: number;
  readonly unchanged: number;
  readonly failed: number;
}

export function syncTotals(actions: ReadonlyArray<SyncAction>, dryRun: boolean): SyncTotals {
  const acted = dryRun ? 'planned' : 'done';
  const count = (action: SyncAction['action'], status: SyncAction['status']): number =>
    actions.filter((a) => a.action === action && a.kind === 'file' && a.status === status).length;
  return {
    new: count('new', acted),
    replace: count('replace', acted),
    delete: count('delete', acted),
    unchanged: count('unchanged', 'done'),
    failed: actions.filter((a) => a.status === 'failed').length,
  };
}

/** A finished run in a few words: `3 delivered, 1 quarantined, 0 failed`, or a sync's totals. */
export function runSummary(result: JobRunResult): string {
  if (result.sync !== undefined) {
    const t = syncTotals(result.sync.actions, false);
    return `${t.new} new, ${t.replace} replaced, ${t.delete} deleted, ${t.failed} failed`;
  }
  const count = (outcome: string): number => result.files.filter((f) => f.outcome === outcome).length;
  return `${count('delivered')} delivered, ${count('quarantined')} quarantined, ${count('failed')} failed`;
}

/**
 * A sync's account for people: in a dry run every planned copy and delete with its reason; after a
 * run the deletes and the files kept in the backup folder; failures, and why nothing was deleted.
 */
export function printSyncActions(io: CliIo, actions: ReadonlyArray<SyncAction>, withheld: string | undefined, dryRun: boolean): void {
  for (const a of actions) {
    const listed = dryRun ? a.action !== 'unchanged' : a.action === 'delete' || a.backupPath !== undefined;
    if (!listed || a.status === 'failed') continue;
    const label = `${dryRun ? 'would ' : ''}${a.action}${a.kind === 'dir' ? ' folder' : ''}${a.status === 'withheld' ? ' (held back)' : ''}`;
    print(io, `${label.padEnd(20)} ${visibleName(a.path)}  (${a.backupPath === undefined ? a.reason : `${a.reason}; the old file is kept as ${visibleName(a.backupPath)}`})`);
  }
  for (const a of actions) if (a.status === 'failed') warn(io, `FAILED ${a.action} ${visibleName(a.path)}: ${a.reason}`);
  if (withheld !== undefined) warn(io, `${dryRun ? 'Nothing would be deleted' : 'Nothing was deleted'}: ${withheld}.`);
}
