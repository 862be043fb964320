import { readdir, stat } from 'node:fs/promises';
import { JOB_EXTENSIONS, jobFiles } from '../../workspace/jobFileNames.js';
import { basename, dirname, extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { TransferError } from '../../connectors/errors.js';
import type { LoadedJob } from '../../jobs/definition/loadJob.js';
import type { RunEvent } from '../../jobs/JobServices.js';
import type { JobRunResult } from '../../jobs/runJob.js';
import type { Workspace } from '../../workspace/Workspace.js';
import { formatBytes, visibleName } from '../format.js';
import { print, printJson, warn, type CliIo } from '../io.js';
import { printSyncActions, syncTotals } from '../syncReport.js';
import type { CopyOutcome } from './copy.js';

/** A job by file path, or by name from the workspace's jobs folder. */
export async function findJob(ws: Workspace, ref: string): Promise<LoadedJob> {
  const looksLikeFile = JOB_EXTENSIONS.includes(extname(ref).toLowerCase()) || ref.includes('/') || ref.includes('\\');
  const { JobFileError, loadJobFile } = await import('../../jobs/definition/loadJob.js');
  try {
    if (looksLikeFile) return await loadJobFile(resolve(ref));
    for (const file of await jobFiles(ws.paths.jobs)) {
      if (basename(file, extname(file)) === ref) return await loadJobFile(file);
    }
    for (const file of await jobFiles(ws.paths.jobs)) {
      const job = await loadJobFile(file).catch(() => undefined);
      if (job?.definition.name === ref) return job;
    }
  } catch (e) {
    if (e instanceof JobFileError) throw new TransferError('config', e.message, { cause: e });
    throw e;
  }
  throw new TransferError('config', `No job named "${ref}" in ${ws.paths.jobs} (give the job file's path, or put it there)`);
}

export function registerJobCommands(program: Command, io: CliIo, workspace: () => Workspace, outcome: CopyOutcome, signal: AbortSignal): void {
  program
    .command('run <job>')
    .description('run a job once (a job file, or a job name from the jobs folder); an interrupted run of the job is finished first')
    .option('--dry-run', 'show what would happen to each file, change nothing')
    .option('--json', 'print the result as JSON')
    .action(async (ref: string, opts: { dryRun?: boolean; json?: boolean }) => {
      const { jobServices } = await import('../../workspace/jobServices.js');
      const { InProcessJobRunner } = await import('../../jobs/JobRunner.js');
      const { JobBusyError } = await import('../../history/JobJournal.js');
      const ws = workspace();
      const job = await findJob(ws, ref);
      const services = await jobServices(ws, opts.json === true ? {} : { onEvent: (e) => showEvent(io, e, opts.dryRun === true) });
      let result: JobRunResult;
      try {
        result = await new InProcessJobRunner(services).run({ job, dryRun: opts.dryRun === true, signal });
      } catch (e) {
        if (e instanceof JobBusyError) throw new TransferError('exists', e.message);
        throw e;
      }
      outcome.anyFailed = result.status !== 'succeeded';
      if (opts.json === true) printJson(io, result);
      else showResult(io, result);
    });

  registerJobSwitchCommands(program, io, workspace);

  program
    .command('validate <file>')
    .description("check a local file against a job's validation rules, as a run would")
    .requiredOption('--job <job>', 'the job whose rules apply')
    .option('--json', 'print the verdict as JSON')
    .action(async (file: string, opts: { job: string; json?: boolean }) => {
      const { JobValidator } = await import('../../jobs/jobValidator.js');
      const ws = workspace();
      const job = await findJob(ws, opts.job);
      const path = resolve(file);
      const info = await stat(path).catch(() => undefined);
      if (info === undefined || !info.isFile()) throw new TransferError('notFound', `No such file: ${path}`);
      const siblings = new Set(await readdir(dirname(path)));
      const verdict = await new JobValidator(job.definition, job.baseDir).validate(
        { name: basename(path), relativePath: basename(path), localPath: path, size: info.size, siblings },
        signal,
      );
      if (verdict === undefined) throw new TransferError('config', `None of ${job.definition.name}'s validation rules apply to ${basename(path)}`);
      outcome.anyFailed = !verdict.passed;
      if (opts.json === true) {
        printJson(io, verdict);
        return;
      }
      for (const r of verdict.results) print(io, `${r.passed ? 'pass' : 'FAIL'}  ${r.rule.padEnd(13)} ${r.message}`);
      const captures = Object.entries(verdict.captures);
      if (captures.length > 0) print(io, `captures: ${captures.map(([k, v]) => `${k}=${v}`).join(', ')}`);
      print(io, `${visibleName(basename(path))} ${verdict.passed ? `passes ${job.definition.name}'s rules` : 'would be quarantined'}`);
    });

  program
    .command('schema <kind>')
    .description('print the JSON Schema of a Ferry file format ("job")')
    .action(async (kind: string) => {
      if (kind !== 'job') throw new TransferError('config', `Unknown schema "${kind}" (known: job)`);
      const { jobJsonSchema } = await import('../../jobs/definition/jobSchema.js');
      printJson(io, jobJsonSchema());
    });
}

/** `ferry jobs enable|disable <job>` and `ferry jobs pause|resume`: the switches the window's Jobs screen and the tray set. */
function registerJobSwitchCommands(program: Command, io: CliIo, workspace: () => Workspace): void {
  const jobs = program.command('jobs').description("switch jobs' schedules on or off (running a job by hand with \"ferry run\" ignores these switches)");
  const switchOne = (enabled: boolean) => async (ref: string) => {
    const { setJobEnabled } = await import('../../workspace/jobSwitches.js');
    const ws = workspace();
    const name = (await findJob(ws, ref)).definition.name;
    const switches = await setJobEnabled(ws.paths, name, enabled);
    const paused = switches.paused ? ' (all schedules are paused: "ferry jobs resume" lets them run)' : '';
    print(io, `${name}: ${enabled ? `enabled, runs on its schedule${paused}` : 'disabled, its schedule does not run until enabled'}`);
  };
  const pauseAll = (paused: boolean) => async () => {
    const { pauseSchedules } = await import('../../workspace/jobSwitches.js');
    await pauseSchedules(workspace().paths, paused);
    print(io, paused ? 'All schedules paused: no job runs on its schedule until "ferry jobs resume"' : 'Schedules resumed: enabled jobs run on their schedules again');
  };
  jobs.command('enable <job>').description("let a job's schedule run again").action(switchOne(true));
  jobs.command('disable <job>').description("keep a job's schedule from running until it is enabled").action(switchOne(false));
  jobs.command('pause').description('pause every schedule (jobs already running finish)').action(pauseAll(true));
  jobs.command('resume').description('let schedules run again after "ferry jobs pause"').action(pauseAll(false));
}

function showEvent(io: CliIo, e: RunEvent, dryRun: boolean): void {
  switch (e.kind) {
    case 'started':
      warn(io, `${dryRun ? 'Preview' : 'Run'} ${e.runId}${e.resumed ? ' (resuming the interrupted run)' : ''}`);
      return;
    case 'discovered':
      warn(io, `${e.files} file${e.files === 1 ? '' : 's'} to handle${e.waiting > 0 ? `, ${e.waiting} not arrived yet` : ''}`);
      return;
    case 'waiting':
      warn(io, `  waiting   ${visibleName(e.path)}: ${e.why}`);
      return;
    case 'item':
      if (!dryRun) warn(io, `  ${e.status.padEnd(11)} ${visibleName(e.path)}${e.detail === '' ? '' : `: ${e.detail}`}`);
      return;
    case 'notice':
      warn(io, `  note: ${e.message}`);
      return;
  }
}

function showResult(io: CliIo, r: JobRunResult): void {
  if (r.sync !== undefined) {
    printSyncActions(io, r.sync.actions, r.sync.withheld, r.dryRun);
    const t = syncTotals(r.sync.actions, r.dryRun);
    print(io, `${r.job}: ${r.dryRun ? 'preview' : `run ${r.runId}`} ${r.status} — ${t.new} new, ${t.replace} replaced, ${t.delete} deleted, ${t.unchanged} unchanged${t.failed > 0 ? `, ${t.failed} failed` : ''}`);
    return;
  }
  if (r.dryRun) {
    for (const f of r.files) {
      const verdict = f.verdict === undefined ? 'no rules' : f.verdict.passed ? 'valid' : 'INVALID';
      print(io, `${visibleName(f.path)} (${formatBytes(f.size)}): ${verdict}`);
      for (const reason of f.verdict?.reasons ?? []) print(io, `    ${reason.rule}: ${reason.message}`);
      if (f.outcome === 'quarantined') print(io, `    → quarantine${f.verdict === undefined ? `: ${f.reason ?? ''}` : ''}`);
      for (const d of f.deliveries) {
        const candidates = d.candidates === undefined ? '' : `: ${d.candidates.map((c) => `${c.name} (${c.id})`).join(', ')}`;
        const match = d.match === undefined ? '' : ` [record match: ${d.match}${candidates}]`;
        print(io, `    → ${d.route}: ${d.status === 'failed' ? 'FAILS' : visibleName(d.name)} → ${d.target === '' ? '?' : visibleName(d.target)} (${d.detail})${match}`);
      }
      if (f.outcome === 'failed' && f.reason !== undefined) print(io, `    FAILS: ${f.reason}`);
    }
  }
  for (const f of r.refused) warn(io, `refused ${visibleName(f.path)}: ${f.why}`);
  const count = (o: string): number => r.files.filter((f) => f.outcome === o).length;
  const parts = r.dryRun
    ? [`${count('planned')} would be delivered`, `${count('quarantined')} would be quarantined`, `${count('failed')} would fail`]
    : [`${count('delivered')} delivered`, `${count('quarantined')} quarantined`, `${count('failed')} failed`];
  if (r.waiting.length > 0) parts.push(`${r.waiting.length} not arrived yet`);
  print(io, `${r.job}: ${r.dryRun ? 'preview' : `run ${r.runId}`} ${r.status} — ${parts.join(', ')}`);
}
