import type { Command } from 'commander';
import { TransferError } from '../../connectors/errors.js';
import { CONFLICT_POLICIES, type ConflictPolicy } from '../../engine/conflict.js';
import { transfer, type ItemResult, type TransferRequest, type TransferSummary } from '../../engine/transfer.js';
import { joinRelative } from '../../connectors/paths.js';
import { TransferStats } from '../../engine/TransferStats.js';
import { toTransferError } from '../../engine/retry.js';
import type { HistoryStore } from '../../history/HistoryStore.js';
import type { ItemUpdate, RunId } from '../../history/records.js';
import { HEARTBEAT_MS, processOwner } from '../../history/runOwner.js';
import type { OpenedLocation, Workspace } from '../../workspace/Workspace.js';
import { formatBytes, formatDuration, visibleName } from '../format.js';
import { print, printJson, warn, type CliIo } from '../io.js';
import { parseLocation } from '../location.js';
import { startProgress } from '../progress.js';

interface CopyOptions {
  readonly recursive?: boolean;
  readonly conflict: string;
  readonly dryRun?: boolean;
  readonly concurrency?: string;
  readonly json?: boolean;
  readonly progress: boolean;
  readonly attachBy?: string;
  readonly sizeOnly?: boolean;
}

/** Exit code 1 is owed when any item failed; the command itself only reports. */
export interface CopyOutcome {
  anyFailed: boolean;
}

export function registerCopyCommands(
  program: Command,
  io: CliIo,
  workspace: () => Workspace,
  outcome: CopyOutcome,
  signal: AbortSignal,
): void {
  for (const move of [false, true]) {
    program
      .command(`${move ? 'move' : 'copy'} <source> <destination>`)
      .description(
        move
          ? 'copy, verify, then remove each source file'
          : 'copy a file, or with --recursive a folder\'s contents, between any two locations',
      )
      .option('-r, --recursive', 'copy folders and everything in them')
      .option('--conflict <policy>', `what to do when the target exists: ${CONFLICT_POLICIES.join(', ')}`, 'changed')
      .option('--dry-run', 'show what would happen and why, change nothing')
      .option('--size-only', 'with --conflict changed: take a target of the same size as unchanged, without checking times or hashes')
      .option('--concurrency <n>', 'files in flight at once (capped by each server\'s connection budget)')
      .option('--json', 'print one JSON summary')
      .option('--no-progress', 'no progress bar')
      .option('--attach-by <rule>', "Salesforce target: find each file's record by a naming rule, e.g. 'INV-{AccountNumber}-{date}.pdf' or '{AccountNumber}/{**}'")
      .action(async (source: string, destination: string, opts: CopyOptions) => {
        const policy = parsePolicy(opts.conflict);
        const concurrency = parseConcurrency(opts.concurrency);
        const ws = workspace();
        // First: a history that cannot be used stops the command before any server is contacted.
        const history = await ws.history();
        const from = await ws.openLocation(parseLocation(source));
        try {
          const to = await ws.openLocation(parseLocation(destination));
          try {
            const stats = new TransferStats();
            const progress = opts.json === true || !opts.progress ? undefined : startProgress(() => stats.snapshot(), io.stderr);
            const resolveTargets = opts.attachBy === undefined ? undefined : await recordResolution(to, opts.attachBy);
            const owner = processOwner();
            const runId = history.startRun({ job: move ? 'move' : 'copy', kind: move ? 'move' : 'copy', source, target: destination, dryRun: opts.dryRun === true, owner });
            // While it beats, readers of the history know the run is in progress; once it stops, that it was cut short.
            const heartbeat = setInterval(() => history.journal().heartbeat(runId, owner), HEARTBEAT_MS);
            heartbeat.unref();
            let summary: TransferSummary;
            try {
              summary = await transfer({
                source: from.fs,
                sourcePath: from.path,
                target: to.fs,
                targetPath: to.path,
                recursive: opts.recursive === true,
                policy,
                move,
                dryRun: opts.dryRun === true,
                journal: ws.journal,
                written: await ws.written(),
                ...(opts.sizeOnly === true ? { sizeOnly: true } : {}),
                stats,
                signal,
                ...(concurrency === undefined ? {} : { concurrency }),
                ...(resolveTargets === undefined ? {} : { resolveTargets }),
                ...(opts.json === true
                  ? {}
                  : {
                      onRetry: (path, e, attempt, delay) =>
                        warn(io, `\nretrying ${visibleName(path)} in ${Math.round(delay / 100) / 10} s (attempt ${attempt} failed: ${e.message})`),
                    }),
                // Recorded as they finish, so that a run killed halfway still shows what it did.
                onItemDone: (item) => history.recordItem(runId, itemUpdate(item)),
              });
            } catch (e) {
              const error = toTransferError(e);
              history.finishRun(runId, { status: error.kind === 'cancelled' ? 'cancelled' : 'failed', files: 0, bytes: 0, failed: 0, skipped: 0, error: error.message });
              // A script reading --json output must get JSON even when nothing could start.
              if (opts.json === true) printJson(io, { error: errorView(e) });
              throw e;
            } finally {
              clearInterval(heartbeat);
              progress?.stop();
            }
            recordRun(history, runId, summary);
            outcome.anyFailed = summary.failed.length > 0;
            report(io, summary, move, opts.json === true);
          } finally {
            await to.fs.close();
          }
        } finally {
          await from.fs.close();
        }
      });
  }
}

/** Routes each file to the Salesforce record its name or folder names, found for the whole batch at once. */
async function recordResolution(to: OpenedLocation, template: string): Promise<NonNullable<TransferRequest['resolveTargets']>> {
  const { SalesforceFilesFs } = await import('../../connectors/salesforce/SalesforceFilesFs.js');
  const { parseNamingRule } = await import('../../connectors/salesforce/namingRule.js');
  const target = to.fs;
  if (!(target instanceof SalesforceFilesFs)) throw new TransferError('config', '--attach-by applies to a Salesforce destination (e.g. org:Account/)');
  const rule = parseNamingRule(template);
  return async (files, signal) => {
    const folders = await target.resolveRecordFolders(to.path, rule, files.map((f) => f.relativePath), signal);
    return folders.map((found, i) => (found instanceof TransferError ? found : joinRelative(found.folder, files[i]?.source.name ?? '')));
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

function itemUpdate(item: ItemResult): ItemUpdate {
  return {
    sourcePath: item.source,
    ...(item.target === undefined ? {} : { targetPath: item.target }),
    stage: item.status === 'failed' ? 'discovered' : 'done',
    status: item.status,
    bytes: item.bytes,
    ...(item.errorKind === undefined ? {} : { errorKind: item.errorKind }),
    ...(item.reason === undefined ? {} : { reason: item.reason }),
    ...(item.verifiedBy === undefined ? {} : { verifiedBy: item.verifiedBy }),
  };
}

function errorView(e: unknown): { kind: string; message: string } {
  const error = toTransferError(e);
  return { kind: error.kind, message: error.message };
}

function parsePolicy(value: string): ConflictPolicy {
  const policy = CONFLICT_POLICIES.find((p) => p === value);
  if (policy === undefined) {
    throw new TransferError('config', `Unknown --conflict policy "${value}" (use ${CONFLICT_POLICIES.join(', ')})`);
  }
  return policy;
}

function parseConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new TransferError('config', '--concurrency takes a whole number from 1 to 256');
  return n;
}

function report(io: CliIo, s: TransferSummary, move: boolean, json: boolean): void {
  if (json) {
    printJson(io, s);
    return;
  }
  if (s.dryRun) {
    for (const item of s.items) {
      const what = item.status === 'planned' ? `would ${move ? 'move' : 'copy'}` : item.status;
      print(io, `${what.padEnd(12)} ${visibleName(item.source)} -> ${item.target === undefined ? '?' : visibleName(item.target)}${item.reason === undefined ? '' : ` (${item.reason})`}`);
    }
  }
  for (const f of s.failed) warn(io, `FAILED ${visibleName(f.path)}: ${f.reason}`);
  const verb = s.dryRun ? 'Would transfer' : move ? 'Moved' : 'Copied';
  const parts = [`${verb} ${s.files} file${s.files === 1 ? '' : 's'} (${formatBytes(s.bytes)}) in ${formatDuration(s.durationMs / 1000)}`];
  if (s.skipped > 0) parts.push(`${s.skipped} skipped`);
  if (s.failed.length > 0) parts.push(`${s.failed.length} failed`);
  print(io, parts.join(', '));
}
