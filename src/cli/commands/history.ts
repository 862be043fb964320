import type { Command } from 'commander';
import { TransferError } from '../../connectors/errors.js';
import type { RunId, RunRecord, RunStatus } from '../../history/records.js';
import type { Workspace } from '../../workspace/Workspace.js';
import { formatBytes, formatTime, visibleName } from '../format.js';
import { print, printJson, type CliIo } from '../io.js';

interface HistoryOptions {
  readonly job?: string;
  readonly status?: string;
  readonly search?: string;
  readonly run?: string;
  readonly limit: string;
  readonly before?: string;
  readonly since?: string;
  readonly until?: string;
  readonly json?: boolean;
  readonly csv?: boolean;
}

const RUN_STATUSES: ReadonlyArray<RunStatus> = ['running', 'succeeded', 'partial', 'failed', 'cancelled', 'interrupted'];

export function registerHistoryCommand(program: Command, io: CliIo, workspace: () => Workspace): void {
  const historyCommand = program
    .command('history')
    .description('what ran: runs newest first, the files of one run, or every run that touched a file name')
    .option('--job <name>', 'only runs of this job (copy, move and sync for ad-hoc commands)')
    .option('--status <status>', `only runs that ended so: ${RUN_STATUSES.join(', ')}`)
    .option('--search <file name>', 'files whose name contains this text, in any run')
    .option('--run <id>', 'the files of one run')
    .option('--limit <n>', 'rows at most', '50')
    .option('--before <id>', 'the page of runs after this run id (for paging)')
    .option('--since <date>', 'runs that started on or after this date or time (2026-11-01, 2026-11-01T08:00)')
    .option('--until <date>', 'runs that started before this date or time')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV (runs, or the files of --run)')
    .action(async (opts: HistoryOptions) => {
      const limit = wholeNumber(opts.limit, '--limit');
      const history = await workspace().history();
      if (opts.search !== undefined) {
        const hits = history.searchItems(opts.search, { limit });
        if (opts.json === true) printJson(io, hits);
        else for (const h of hits) print(io, `#${h.runId}  ${formatTime(h.runStartedAt)}  ${h.job.padEnd(8)} ${h.status.padEnd(8)} ${visibleName(h.sourcePath)} -> ${shownTarget(h.targetPath)}`);
        return;
      }
      if (opts.run !== undefined) {
        const runId = wholeNumber(opts.run, '--run') as RunId;
        if (opts.csv === true) {
          await history.exportItemsCsv(runId, io.stdout);
          return;
        }
        const items = history.runItems(runId, { limit });
        if (opts.json === true) printJson(io, items);
        else for (const i of items) print(io, `${i.status.padEnd(8)} ${formatBytes(i.bytes).padStart(10)}  ${visibleName(i.sourcePath)} -> ${shownTarget(i.targetPath)}${i.reason === undefined ? '' : `  (${i.reason})`}`);
        return;
      }
      const status = opts.status === undefined ? undefined : RUN_STATUSES.find((s) => s === opts.status);
      if (opts.status !== undefined && status === undefined) {
        throw new TransferError('config', `--status takes ${RUN_STATUSES.join(', ')}, not "${opts.status}"`);
      }
      const filter = {
        ...(opts.job === undefined ? {} : { job: opts.job }),
        ...(status === undefined ? {} : { status }),
        ...(opts.since === undefined ? {} : { from: dateArgument(opts.since, '--since') }),
        ...(opts.until === undefined ? {} : { to: dateArgument(opts.until, '--until') }),
      };
      if (opts.csv === true) {
        await history.exportRunsCsv(filter, io.stdout);
        return;
      }
      const runs = history.listRuns({ ...filter, limit, ...(opts.before === undefined ? {} : { before: wholeNumber(opts.before, '--before') as RunId }) });
      if (opts.json === true) printJson(io, runs);
      else {
        if (runs.length === 0) print(io, 'No runs recorded yet.');
        for (const r of runs) print(io, describeRun(r));
      }
    });

  historyCommand
    .command('reset')
    .description('start a new, empty history when the one there is damaged, emptied or missing; a damaged file is kept aside')
    .action(async () => {
      const { resetHistory } = await import('../../history/reset.js');
      const file = workspace().paths.history;
      const outcome = resetHistory(file);
      if (!outcome.reset) {
        print(io, `The history ${file} is in order; nothing was changed.`);
        return;
      }
      print(io, `The history ${file} ${outcome.problem}.`);
      if (outcome.keptAs !== undefined) print(io, `It was kept as ${outcome.keptAs}.`);
      print(io, 'A new, empty history was started: run numbers start again from 1, and jobs no longer know which files they took before, so files still in their sources will be taken again.');
    });
}

function describeRun(r: RunRecord): string {
  const counts = `${r.files} file${r.files === 1 ? '' : 's'} (${formatBytes(r.bytes)})${r.skipped > 0 ? `, ${r.skipped} skipped` : ''}${r.failed > 0 ? `, ${r.failed} failed` : ''}`;
  return `#${String(r.id).padEnd(5)} ${formatTime(r.startedAt)}  ${r.job.padEnd(8)} ${r.status.padEnd(11)} ${visibleName(r.source)} -> ${visibleName(r.target)}  ${counts}${r.dryRun ? '  [dry run]' : ''}${r.error === undefined ? '' : `  ${r.error}`}`;
}

function shownTarget(path: string | undefined): string {
  return path === undefined ? '?' : visibleName(path);
}

/** A date or date-time in local time, as people type it; a bare date means its midnight. */
function dateArgument(value: string, flag: string): number {
  const local = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00` : value;
  const at = Date.parse(local);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at)) throw new TransferError('config', `${flag} takes a date such as 2026-11-01 or 2026-11-01T08:00, not "${value}"`);
  return at;
}

function wholeNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new TransferError('config', `${flag} takes a whole number from 1`);
  return n;
}
