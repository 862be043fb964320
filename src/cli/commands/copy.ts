import type { Command } from 'commander';
import { TransferError } from '../../connectors/errors.js';
import { CONFLICT_POLICIES, type ConflictPolicy } from '../../engine/conflict.js';
import type { TransferSummary } from '../../engine/transfer.js';
import { TransferStats } from '../../engine/TransferStats.js';
import { toTransferError } from '../../engine/retry.js';
import type { Workspace } from '../../workspace/Workspace.js';
import { bandwidthOption, commandPace, runLimitOf, type BandwidthOptions } from '../bandwidthOption.js';
import { formatBytes, formatDuration, visibleName } from '../format.js';
import { print, printJson, warn, type CliIo } from '../io.js';
import { parseLocation } from '../location.js';
import { startProgress } from '../progress.js';

interface CopyOptions extends BandwidthOptions {
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
      .addOption(bandwidthOption())
      .action(async (source: string, destination: string, opts: CopyOptions) => {
        const policy = parsePolicy(opts.conflict);
        const concurrency = parseConcurrency(opts.concurrency);
        const runLimit = runLimitOf(opts);
        const { recordedTransfer, recordResolution } = await import('../../workspace/recordedTransfer.js');
        const ws = workspace();
        // First: a history that cannot be used stops the command before any server is contacted.
        await ws.history();
        const sourceLocation = parseLocation(source);
        const targetLocation = parseLocation(destination);
        const pace = await commandPace(ws, runLimit, sourceLocation, targetLocation);
        const from = await ws.openLocation(sourceLocation);
        try {
          const to = await ws.openLocation(targetLocation);
          try {
            const stats = new TransferStats();
            const progress = opts.json === true || !opts.progress ? undefined : startProgress(() => stats.snapshot(), io.stderr);
            const resolveTargets = opts.attachBy === undefined ? undefined : await recordResolution(to.fs, to.path, opts.attachBy);
            let summary: TransferSummary;
            try {
              summary = await recordedTransfer(ws, {
                source: from.fs,
                target: to.fs,
                parts: [{ sourcePath: from.path, targetPath: to.path, recursive: opts.recursive === true }],
                shownSource: source,
                shownTarget: destination,
                policy,
                move,
                dryRun: opts.dryRun === true,
                ...(opts.sizeOnly === true ? { sizeOnly: true } : {}),
                stats,
                signal,
                ...(concurrency === undefined ? {} : { concurrency }),
                ...(pace === undefined ? {} : { pace }),
                ...(resolveTargets === undefined ? {} : { resolveTargets }),
                ...(opts.json === true
                  ? {}
                  : {
                      onRetry: (path, e, attempt, delay) =>
                        warn(io, `\nretrying ${visibleName(path)} in ${Math.round(delay / 100) / 10} s (attempt ${attempt} failed: ${e.message})`),
                    }),
              });
            } catch (e) {
              // A script reading --json output must get JSON even when nothing could start.
              if (opts.json === true) printJson(io, { error: errorView(e) });
              throw e;
            } finally {
              progress?.stop();
            }
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
