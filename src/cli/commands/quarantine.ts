import type { Command } from 'commander';
import { TransferError } from '../../connectors/errors.js';
import type { QuarantinedFile, QuarantineState } from '../../history/JobJournal.js';
import type { LoadedJob } from '../../jobs/definition/loadJob.js';
import type { Workspace } from '../../workspace/Workspace.js';
import { formatTime, visibleName } from '../format.js';
import { print, printJson, type CliIo } from '../io.js';
import type { CopyOutcome } from './copy.js';
import { findJob } from './jobs.js';

const STATES: ReadonlyArray<QuarantineState> = ['held', 'released', 'returned'];
const JOB_OPTION = 'the job file to use instead of the one that refused the file (by default: the job of that name in the jobs folder, else the job file recorded with the entry)';

export function registerQuarantineCommands(program: Command, io: CliIo, workspace: () => Workspace, outcome: CopyOutcome, signal: AbortSignal): void {
  const quarantine = program.command('quarantine').description('files that failed validation: list them, let them through, or send them back');

  quarantine
    .command('list')
    .description('quarantined files, newest first')
    .option('--job <name>', 'only this job')
    .option('--state <state>', `held (default), released or returned`, 'held')
    .option('--json', 'print JSON')
    .action(async (opts: { job?: string; state: string; json?: boolean }) => {
      const state = STATES.find((s) => s === opts.state);
      if (state === undefined) throw new TransferError('config', `Unknown --state "${opts.state}" (use ${STATES.join(', ')})`);
      const files = (await workspace().history()).journal().quarantined({ state, ...(opts.job === undefined ? {} : { job: opts.job }) });
      if (opts.json === true) {
        printJson(io, files);
        return;
      }
      if (files.length === 0) {
        print(io, `No ${state} files.`);
        return;
      }
      for (const f of files) {
        print(io, `#${f.id}  ${formatTime(f.at)}  ${f.job}  ${visibleName(f.file)}`);
        for (const r of f.reasons) print(io, `      ${r.rule}: ${r.message}`);
        print(io, `      kept in ${visibleName(f.location)}`);
      }
    });

  for (const revalidate of [false, true]) {
    quarantine
      .command(`${revalidate ? 'revalidate' : 'release'} <ids...>`)
      .description(
        revalidate
          ? 'check quarantined files against the job\'s current rules; those that pass are delivered'
          : 'let quarantined files through without validation: they are delivered as the job would deliver them',
      )
      .option('--job <job>', JOB_OPTION)
      .action(async (ids: string[], opts: { job?: string }) => {
        const { InProcessJobRunner } = await import('../../jobs/JobRunner.js');
        const { releaseQuarantined } = await import('../../jobs/quarantineActions.js');
        const { jobServices } = await import('../../workspace/jobServices.js');
        const ws = workspace();
        const journal = (await ws.history()).journal();
        const files = ids.map((id) => held(journal.quarantinedFile(parseId(id)), id));
        const services = await jobServices(ws);
        for (const [jobName, group] of groupByJob(files)) {
          const job = await jobToActWith(ws, jobName, group, opts.job);
          const results = await releaseQuarantined(services, new InProcessJobRunner(services), job, group, revalidate, signal);
          for (const r of results) {
            print(io, `#${r.file.id} ${visibleName(r.file.file)}: ${r.outcome}${r.detail === '' ? '' : ` (${r.detail})`}`);
            if (r.outcome !== 'released') outcome.anyFailed = true;
          }
        }
      });
  }

  quarantine
    .command('return <id>')
    .description("send a quarantined file back to the partner (the job's quarantine.returnTo) with a rejection note")
    .option('--note <text>', 'what the partner should do, added to the note')
    .option('--job <job>', JOB_OPTION)
    .action(async (id: string, opts: { note?: string; job?: string }) => {
      const { returnQuarantined } = await import('../../jobs/quarantineActions.js');
      const { jobServices } = await import('../../workspace/jobServices.js');
      const ws = workspace();
      const journal = (await ws.history()).journal();
      const file = held(journal.quarantinedFile(parseId(id)), id);
      const job = await jobToActWith(ws, file.job, [file], opts.job);
      const returned = await returnQuarantined(await jobServices(ws), job, file, opts.note, signal);
      print(io, `#${file.id} ${visibleName(file.file)} returned to ${visibleName(returned.file)}, with the note ${visibleName(returned.note)}`);
    });
}

/**
 * The job that refused `files`: the one named with --job, else the same search the window makes (the
 * jobs folder, then the job file recorded with the entries), so a job kept outside the folder needs no flag.
 */
async function jobToActWith(ws: Workspace, name: string, files: ReadonlyArray<QuarantinedFile>, given: string | undefined): Promise<LoadedJob> {
  if (given === undefined) {
    const { jobOfQuarantined } = await import('../../jobs/quarantinedJob.js');
    return jobOfQuarantined(ws, name, files);
  }
  const job = await findJob(ws, given);
  if (job.definition.name !== name) throw new TransferError('config', `${job.file} is the job ${job.definition.name}, not ${name}`);
  return job;
}

function parseId(text: string): number {
  const id = Number(text.replace(/^#/, ''));
  if (!Number.isSafeInteger(id) || id < 1) throw new TransferError('config', `"${text}" is not a quarantine id (see "ferry quarantine list")`);
  return id;
}

function held(file: QuarantinedFile | undefined, id: string): QuarantinedFile {
  if (file === undefined) throw new TransferError('notFound', `No quarantined file #${id.replace(/^#/, '')}`);
  if (file.state !== 'held') throw new TransferError('config', `#${file.id} ${visibleName(file.file)} was already ${file.state}`);
  return file;
}

function groupByJob(files: ReadonlyArray<QuarantinedFile>): Map<string, QuarantinedFile[]> {
  const groups = new Map<string, QuarantinedFile[]>();
  for (const f of files) groups.set(f.job, [...(groups.get(f.job) ?? []), f]);
  return groups;
}
