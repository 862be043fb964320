import { TransferError } from '../../connectors/errors.js';
import type { HistoryStore } from '../../history/HistoryStore.js';
import { readJobsFolder, type JobsFolderEntry } from '../../jobs/jobsFolder.js';
import type { JobRunResult } from '../../jobs/runJob.js';
import { scheduleInWords } from '../../schedule/scheduleWords.js';
import type { DryRunView, JOBS_COMMANDS, JobSummary } from '../../shared/contract/jobCommands.js';
import { pauseSchedules, readJobSwitches, setJobEnabled, type JobSwitches } from '../../workspace/jobSwitches.js';
import type { JobRuns } from '../JobRuns.js';
import { nextRunAt } from '../jobs/nextRunAt.js';
import type { HandlersOf, HostContext } from './HostContext.js';

/** Runs looked at for a job's last real run: previews in between are passed over. */
const RECENT_RUNS = 20;

/** The Jobs screen: the jobs folder as `ferry daemon` reads it, the switches it honours, and runs in the host. */
export function jobHandlers({ workspace, events }: HostContext, runs: JobRuns): HandlersOf<typeof JOBS_COMMANDS> {
  const paths = workspace.paths;
  const changed = (job?: string): void => events.emit({ event: 'jobs.changed', payload: job === undefined ? {} : { job } });
  const loaded = async (name: string): Promise<Extract<JobsFolderEntry, { job: unknown }>> => {
    const entry = (await readJobsFolder(paths.jobs)).find((e) => e.name === name);
    if (entry === undefined) throw new TransferError('notFound', `No job named "${name}" in ${paths.jobs}`);
    if ('error' in entry) throw new TransferError('config', entry.error);
    return entry;
  };
  return {
    'jobs.list': async () => {
      const switches = readJobSwitches(paths);
      const history = await workspace.history();
      const now = Date.now();
      const jobs = (await readJobsFolder(paths.jobs)).map((entry) => summary(entry, switches, history, runs, now));
      return { jobs, paused: switches.paused };
    },
    'jobs.run': async ({ name }) => ({ runId: await runs.start((await loaded(name)).job) }),
    'jobs.dryRun': async ({ name }) => dryRunView(await runs.preview((await loaded(name)).job)),
    'jobs.setEnabled': async ({ name, enabled }) => {
      await loaded(name);
      const switches = await setJobEnabled(paths, name, enabled);
      changed(name);
      return { enabled: !switches.disabled.includes(name) };
    },
    'jobs.pauseSchedules': async ({ paused }) => ({ paused: (await setSchedulesPaused({ workspace, events }, paused)).paused }),
  };
}

/**
 * Pauses or resumes every schedule and tells the windows, so the Jobs screen and Home show the same
 * switch whichever of them changed it; returns the switches now in force.
 */
export async function setSchedulesPaused({ workspace, events }: Pick<HostContext, 'workspace' | 'events'>, paused: boolean): Promise<JobSwitches> {
  const switches = await pauseSchedules(workspace.paths, paused);
  events.emit({ event: 'jobs.changed', payload: {} });
  return switches;
}

function summary(entry: JobsFolderEntry, switches: JobSwitches, history: HistoryStore, runs: JobRuns, now: number): JobSummary {
  const file = entry.file.split(/[\\/]/).pop() ?? entry.file;
  const lastRun = history.listRuns({ job: entry.name, limit: RECENT_RUNS }).find((r) => !r.dryRun);
  const last = lastRun === undefined ? {} : { lastRun: { id: lastRun.id, status: lastRun.status, startedAt: lastRun.startedAt, ...(lastRun.finishedAt === undefined ? {} : { finishedAt: lastRun.finishedAt }) } };
  const running = runs.isRunning(entry.name) || lastRun?.status === 'running';
  if ('error' in entry) return { name: entry.name, file, enabled: !switches.disabled.includes(entry.name), running, ...last, error: entry.error };
  const { definition } = entry.job;
  const schedule = definition.schedule;
  const enabled = !switches.disabled.includes(entry.name) && schedule?.enabled !== false;
  const next = nextRunAt(definition, switches, history.journal(), now);
  return {
    name: entry.name,
    file,
    ...(definition.description === undefined ? {} : { description: definition.description }),
    source: definition.source.location,
    ...(schedule === undefined ? {} : { schedule: scheduleInWords(schedule) }),
    ...(next === undefined ? {} : { nextRunAt: next }),
    enabled,
    running,
    ...last,
  };
}

function dryRunView(result: JobRunResult): DryRunView {
  return {
    job: result.job,
    runId: result.runId,
    status: result.status,
    files: result.files.map((f) => ({
      path: f.path,
      size: f.size,
      outcome: f.outcome,
      ...(f.verdict === undefined ? {} : { verdict: { passed: f.verdict.passed, reasons: f.verdict.reasons.map((r) => ({ rule: r.rule, message: r.message })) } }),
      ...(f.reason === undefined ? {} : { reason: f.reason }),
      deliveries: f.deliveries.map((d) => ({
        route: d.route,
        name: d.name,
        target: d.target,
        status: d.status === 'failed' ? 'failed' : d.status === 'delivered' ? 'delivered' : 'planned',
        detail: d.detail,
        ...(d.match === undefined ? {} : { match: matchOf(d.match) }),
        ...(d.replaces === undefined ? {} : { replaces: d.replaces }),
        ...(d.candidates === undefined ? {} : { candidates: d.candidates.map((c) => ({ id: c.id, name: c.name })) }),
      })),
    })),
    waiting: result.waiting.map((w) => ({ path: w.path, why: w.why })),
    refused: result.refused.map((r) => ({ path: r.path, why: r.why })),
    actions: (result.sync?.actions ?? []).map((a) => ({ path: a.path, action: a.action, reason: a.reason })),
    ...(result.error === undefined ? {} : { error: result.error }),
  };
}

function matchOf(match: string): 'exact' | 'ambiguous' | 'none' {
  return match === 'exact' || match === 'ambiguous' ? match : 'none';
}
