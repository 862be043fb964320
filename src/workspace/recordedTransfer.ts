import { TransferError } from '../connectors/errors.js';
import { joinRelative } from '../connectors/paths.js';
import type { RemoteFs } from '../connectors/types.js';
import { transfer, type ItemResult, type TransferRequest, type TransferSummary } from '../engine/transfer.js';
import type { HistoryStore } from '../history/HistoryStore.js';
import type { ItemUpdate, RunId } from '../history/records.js';
import { ownedRun } from './ownedRun.js';
import type { Workspace } from './Workspace.js';

/** One source (a file, or a folder with `recursive`) of a recorded transfer, and where it goes. */
export interface TransferPart {
  readonly sourcePath: string;
  readonly targetPath: string;
  readonly recursive: boolean;
}

export type RecordedTransferRequest = Omit<TransferRequest, 'journal' | 'written' | 'sourcePath' | 'targetPath' | 'recursive'> & {
  /** Sent one after the other as one run: the selection a user dragged, or the one path of `ferry copy`. */
  readonly parts: ReadonlyArray<TransferPart>;
  /** How the run is shown in the history: what was given as source and target. */
  readonly shownSource: string;
  readonly shownTarget: string;
};

/**
 * A copy or move as one run in the history: owned and heart-beaten while it goes (so a killed process
 * shows as interrupted), each file recorded as it finishes, the summary recorded at the end. The
 * command line and the window both send files through here.
 */
export async function recordedTransfer(ws: Workspace, req: RecordedTransferRequest): Promise<TransferSummary> {
  const history = await ws.history();
  const written = await ws.written();
  const kind = req.move ? 'move' : 'copy';
  return ownedRun(
    history,
    { job: kind, kind, source: req.shownSource, target: req.shownTarget, dryRun: req.dryRun },
    async (runId) => {
      const summaries: TransferSummary[] = [];
      for (const part of req.parts) {
        summaries.push(
          await transfer({
            ...req,
            ...part,
            journal: ws.journal,
            written,
            // Recorded as they finish, so that a run killed halfway still shows what it did.
            onItemDone: (item) => {
              history.recordItem(runId, itemUpdate(item));
              req.onItemDone?.(item);
            },
          }),
        );
      }
      return combine(req.dryRun, summaries);
    },
    (runId, summary) => recordRun(history, runId, summary),
  );
}

/** Routes each file to the Salesforce record its name or folder names, found for the whole batch at once. */
export async function recordResolution(target: RemoteFs, folder: string, template: string): Promise<NonNullable<TransferRequest['resolveTargets']>> {
  const { SalesforceFilesFs } = await import('../connectors/salesforce/SalesforceFilesFs.js');
  const { parseNamingRule } = await import('../connectors/salesforce/namingRule.js');
  if (!(target instanceof SalesforceFilesFs)) throw new TransferError('config', 'A naming rule applies to a Salesforce destination (e.g. org:Account/)');
  const rule = parseNamingRule(template);
  return async (files, signal) => {
    const folders = await target.resolveRecordFolders(folder, rule, files.map((f) => f.relativePath), signal);
    return folders.map((found, i) => (found instanceof TransferError ? found : joinRelative(found.folder, files[i]?.source.name ?? '')));
  };
}

function combine(dryRun: boolean, parts: ReadonlyArray<TransferSummary>): TransferSummary {
  return {
    dryRun,
    files: parts.reduce((n, s) => n + s.files, 0),
    bytes: parts.reduce((n, s) => n + s.bytes, 0),
    skipped: parts.reduce((n, s) => n + s.skipped, 0),
    failed: parts.flatMap((s) => s.failed),
    items: parts.flatMap((s) => s.items),
    durationMs: parts.reduce((n, s) => n + s.durationMs, 0),
  };
}

/**
 * Every file of the run, and how the run ended, in the history. The summary is the last word: it also
 * lists the files that never reached a transfer (refused names, unresolved targets).
 */
function recordRun(history: HistoryStore, runId: RunId, s: TransferSummary): void {
  history.recordItems(runId, s.items.map(itemUpdate));
  const failed = s.failed.length;
  history.finishRun(runId, {
    status: failed === 0 ? 'succeeded' : s.files > 0 || s.skipped > 0 ? 'partial' : 'failed',
    files: s.files,
    bytes: s.bytes,
    failed,
    skipped: s.skipped,
  });
}

export function itemUpdate(item: ItemResult): ItemUpdate {
  return {
    sourcePath: item.source,
    ...(item.target === undefined ? {} : { targetPath: item.target }),
    stage: item.status === 'failed' ? 'discovered' : 'done',
    status: item.status,
    bytes: item.bytes,
    ...(item.errorKind === undefined ? {} : { errorKind: item.errorKind }),
    ...(item.reason === undefined ? {} : { reason: item.reason }),
    ...(item.verifiedBy === undefined ? {} : { verifiedBy: item.verifiedBy }),
    ...(item.checksum === undefined ? {} : { checksum: item.checksum }),
    ...(item.durationMs === undefined ? {} : { durationMs: item.durationMs }),
  };
}
