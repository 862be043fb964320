import type { Command } from 'commander';
import { TransferError } from '../../connectors/errors.js';
import { toTransferError } from '../../engine/retry.js';
import { syncActions } from '../../engine/sync/actions.js';
import { parseMaxDelete } from '../../engine/sync/maxDelete.js';
import type { SyncSummary } from '../../engine/sync/sync.js';
import { TransferStats } from '../../engine/TransferStats.js';
import type { Workspace } from '../../workspace/Workspace.js';
import { bandwidthOption, commandPace, runLimitOf, type BandwidthOptions } from '../bandwidthOption.js';
import { formatBytes, formatDuration } from '../format.js';
import { print, printJson, type CliIo } from '../io.js';
import { parseLocation, type Location } from '../location.js';
import { startProgress } from '../progress.js';
import { printSyncActions, syncTotals } from '../syncReport.js';
import type { CopyOutcome } from './copy.js';

interface SyncOptions extends BandwidthOptions {
  readonly dryRun?: boolean;
  readonly maxDelete?: string;
  readonly backupDir?: string;
  readonly sizeOnly?: boolean;
  readonly checksum?: boolean;
  readonly exclude: ReadonlyArray<string>;
  readonly concurrency?: string;
  readonly json?: boolean;
  readonly progress: boolean;
}

export function registerSyncCommand(program: Command, io: CliIo, workspace: () => Workspace, outcome: CopyOutcome, signal: AbortSignal): void {
  program
    .command('sync <source> <destination>')
    .description('make the destination folder a mirror of the source folder: copy what is new or changed, then delete what the source no longer has')
    .option('--dry-run', 'list every copy and delete with its reason, change nothing')
    .option('--max-delete <limit>', 'delete nothing, and fail, when more files than this would go: a count (25) or a share of the destination\'s files (10%)')
    .option('--backup-dir <location>', 'move replaced and deleted files here (on the destination\'s connection, outside it), under their relative paths, instead of losing them')
    .option('--size-only', 'take a destination file of the same size as unchanged, without checking times or hashes')
    .option('--checksum', 'compare by hash first where both sides can give one, then by size and time')
    .option('--exclude <glob>', 'leave matching paths alone on both sides: never copied, never deleted (repeatable; a glob without "/" matches a name in any folder)', collect, [])
    .option('--concurrency <n>', 'files in flight at once (capped by each server\'s connection budget)')
    .option('--json', 'print one JSON summary')
    .option('--no-progress', 'no progress bar')
    .addOption(bandwidthOption())
    .action(async (source: string, destination: string, opts: SyncOptions) => {
      if (opts.sizeOnly === true && opts.checksum === true) throw new TransferError('config', '--size-only and --checksum ask for different comparisons: give one of them');
      const maxDelete = opts.maxDelete === undefined ? undefined : parseMaxDelete(opts.maxDelete, '--max-delete');
      const concurrency = parseConcurrency(opts.concurrency);
      const runLimit = runLimitOf(opts);
      const select = await excluding(opts.exclude);
      const { syncSucceeded } = await import('../../engine/sync/sync.js');
      const { recordedSync } = await import('../../workspace/recordedSync.js');
      const ws = workspace();
      // First: a history that cannot be used stops the command before any server is contacted.
      await ws.history();
      const target = parseLocation(destination);
      const backupPath = opts.backupDir === undefined ? undefined : await backupPathOn(ws, target, opts.backupDir);
      const origin = parseLocation(source);
      const pace = await commandPace(ws, runLimit, origin, target);
      const from = await ws.openLocation(origin);
      try {
        const to = await ws.openLocation(target);
        try {
          const stats = new TransferStats();
          const progress = opts.json === true || !opts.progress ? undefined : startProgress(() => stats.snapshot(), io.stderr);
          let summary: SyncSummary;
          try {
            summary = await recordedSync(ws, {
              source: from.fs,
              sourcePath: from.path,
              target: to.fs,
              targetPath: to.path,
              shownSource: source,
              shownTarget: destination,
              dryRun: opts.dryRun === true,
              ...(opts.sizeOnly === true ? { sizeOnly: true } : {}),
              ...(opts.checksum === true ? { checksum: true } : {}),
              ...(maxDelete === undefined ? {} : { maxDelete }),
              ...(backupPath === undefined ? {} : { backupPath }),
              ...(select === undefined ? {} : { select }),
              ...(concurrency === undefined ? {} : { concurrency }),
              ...(pace === undefined ? {} : { pace }),
              stats,
              signal,
            });
          } catch (e) {
            // A script reading --json output must get JSON even when nothing could start.
            if (opts.json === true) printJson(io, { error: { kind: toTransferError(e).kind, message: toTransferError(e).message } });
            throw e;
          } finally {
            progress?.stop();
          }
          outcome.anyFailed = !syncSucceeded(summary);
          report(io, summary, opts.json === true);
        } finally {
          await to.fs.close();
        }
      } finally {
        await from.fs.close();
      }
    });
}

function collect(value: string, previous: ReadonlyArray<string>): ReadonlyArray<string> {
  return [...previous, value];
}

/** A path takes part unless an `--exclude` glob matches it; a glob without "/" matches a name in any folder, as rclone's do. */
async function excluding(globs: ReadonlyArray<string>): Promise<((relativePath: string) => boolean) | undefined> {
  if (globs.length === 0) return undefined;
  const { default: picomatch } = await import('picomatch');
  const excluded = picomatch([...globs], { dot: true, basename: true });
  return (relativePath) => !excluded(relativePath);
}

/**
 * The backup folder as a path on the destination's connection: files are moved there by a rename on
 * that server, never copied across connections, so another connection is refused (rclone's rule too).
 */
async function backupPathOn(ws: Workspace, destination: Location, text: string): Promise<string> {
  const backup = parseLocation(text);
  if (destination.kind === 'connection' && backup.kind === 'connection' && backup.connection === destination.connection) return backup.path;
  if (destination.kind === 'local' && backup.kind === 'local') {
    const [d, b] = [await ws.openLocation(destination), await ws.openLocation(backup)];
    await Promise.all([d.fs.close(), b.fs.close()]);
    if (d.fs.description === b.fs.description) return b.path;
  }
  const where = destination.kind === 'connection' ? `the connection ${destination.connection} (${destination.connection}:<folder>)` : 'this computer, on the same drive';
  throw new TransferError('config', `--backup-dir ${text} must be on the destination's side, ${where}: files are moved there, not copied`);
}

function parseConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new TransferError('config', '--concurrency takes a whole number from 1 to 256');
  return n;
}

function report(io: CliIo, s: SyncSummary, json: boolean): void {
  const actions = syncActions(s);
  const totals = syncTotals(actions, s.dryRun);
  if (json) {
    printJson(io, { dryRun: s.dryRun, ...totals, bytes: s.copy.bytes, ...(s.withheld === undefined ? {} : { withheld: s.withheld }), actions, durationMs: s.durationMs });
    return;
  }
  printSyncActions(io, actions, s.withheld, s.dryRun);
  const parts = [
    `${s.dryRun ? 'Would sync' : 'Synced'}: ${totals.new} new, ${totals.replace} replaced (${formatBytes(s.copy.bytes)}), ${totals.delete} deleted, ${totals.unchanged} unchanged in ${formatDuration(s.durationMs / 1000)}`,
  ];
  if (totals.failed > 0) parts.push(`${totals.failed} failed`);
  print(io, parts.join(', '));
}
