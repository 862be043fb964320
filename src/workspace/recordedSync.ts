import { joinRelative, normalizeRelative } from '../connectors/paths.js';
import { sync, syncSucceeded, type DeleteAction, type SyncRequest, type SyncSummary } from '../engine/sync/sync.js';
import type { ItemUpdate, RunOutcome } from '../history/records.js';
import { ownedRun } from './ownedRun.js';
import { itemUpdate } from './recordedTransfer.js';
import type { Workspace } from './Workspace.js';

export type RecordedSyncRequest = Omit<SyncRequest, 'journal' | 'written'> & {
  /** How the run is shown in the history: what was given as source and destination. */
  readonly shownSource: string;
  readonly shownTarget: string;
};

/**
 * A sync as one run in the history, like a copy: owned and heart-beaten while it goes, each copy and
 * each delete recorded as it happens, the outcome at the end. A sync that deleted nothing because a
 * copy failed or the delete limit was passed is a failed run, with that reason.
 */
export async function recordedSync(ws: Workspace, req: RecordedSyncRequest): Promise<SyncSummary> {
  const history = await ws.history();
  const written = await ws.written();
  const deleted = deleteUpdate(normalizeRelative(req.sourcePath), normalizeRelative(req.targetPath));
  return ownedRun(
    history,
    { job: 'sync', kind: 'sync', source: req.shownSource, target: req.shownTarget, dryRun: req.dryRun },
    (runId) =>
      sync({
        ...req,
        journal: ws.journal,
        written,
        onItemDone: (item) => {
          history.recordItem(runId, itemUpdate(item));
          req.onItemDone?.(item);
        },
        onDeleteDone: (action) => {
          history.recordItem(runId, deleted(action));
          req.onDeleteDone?.(action);
        },
      }),
    (runId, summary) => {
      // The copy summary also lists files that never reached a copy (refused names).
      history.recordItems(runId, summary.copy.items.map(itemUpdate));
      history.finishRun(runId, syncRunOutcome(summary));
    },
  );
}

/** How a sync run ended, for the history: a sync that deleted nothing because a copy failed or the delete limit was passed failed. */
export function syncRunOutcome(summary: SyncSummary): RunOutcome {
  const failed = summary.copy.failed.length + summary.deletes.filter((d) => d.status === 'failed').length;
  const didSomething = summary.copy.files > 0 || summary.copy.skipped > 0 || summary.deletes.some((d) => d.status === 'deleted');
  return {
    status: syncSucceeded(summary) ? 'succeeded' : summary.withheld === undefined && didSomething ? 'partial' : 'failed',
    files: summary.copy.files,
    bytes: summary.copy.bytes,
    failed,
    skipped: summary.copy.skipped,
    ...(summary.withheld === undefined ? {} : { error: `nothing was deleted: ${summary.withheld}` }),
  };
}

/**
 * A delete as a history item. Items are keyed by their source path: a deleted file's is where the
 * source would have it, the path it no longer has.
 */
export function deleteUpdate(sourceRoot: string, targetRoot: string): (action: DeleteAction) => ItemUpdate {
  return (action) => {
    const relative = targetRoot === '' ? action.path : action.path.slice(targetRoot.length + 1);
    return {
      sourcePath: joinRelative(sourceRoot, relative),
      targetPath: action.path,
      stage: 'done',
      status: action.status === 'withheld' ? 'skipped' : action.status,
      bytes: 0,
      reason: `${action.kind === 'dir' ? 'delete folder' : 'delete'}: ${action.reason}`,
      ...(action.errorKind === undefined ? {} : { errorKind: action.errorKind }),
    };
  };
}
