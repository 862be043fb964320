import { syncTotals } from '../../src/cli/syncReport.js';
import type { FerryPaths } from '../../src/config/ferryHome.js';
import { createFerryHost } from '../../src/host/FerryHost.js';
import { Prompts } from '../../src/host/Prompts.js';
import { loadJobFile, type LoadedJob } from '../../src/jobs/definition/loadJob.js';
import { InProcessJobRunner } from '../../src/jobs/JobRunner.js';
import type { JobRunResult } from '../../src/jobs/runJob.js';
import { jobFiles } from '../../src/workspace/jobFileNames.js';
import { systemClock } from '../../src/schedule/Clock.js';
import type { SecretStore } from '../../src/security/SecretStore.js';
import { jobServices } from '../../src/workspace/jobServices.js';
import { readJobSwitches, scheduleHold } from '../../src/workspace/jobSwitches.js';
import { Workspace } from '../../src/workspace/Workspace.js';
import type { ShellServices } from '../shell/startDesktopShell.js';
import type { JobRunOutcome } from './JobLoop.js';

export interface DesktopServiceOptions {
  readonly paths: FerryPaths;
  readonly env: NodeJS.ProcessEnv;
  readonly version: string;
  /** Puts the keychain in front of the command line's secret file. */
  readonly secrets: (fileStore: SecretStore) => SecretStore;
  readonly warn: (message: string) => void;
}

/**
 * The core the window talks to and the jobs the tray runs, from one workspace: the same services as
 * `ferry serve` and `ferry daemon`, in the desktop app's process.
 */
export async function openDesktopServices(opts: DesktopServiceOptions): Promise<ShellServices> {
  // The window answers an unknown server key or certificate, not a terminal.
  const prompts = new Prompts();
  const workspace = new Workspace(opts.paths, opts.env, prompts, opts.secrets);
  const core = createFerryHost({ workspace, host: 'electron', version: opts.version, prompts });
  const jobs = await loadJobs(opts.paths.jobs, opts.warn);
  const services = await jobServices(workspace);
  const journal = services.history.journal();
  const runner = new InProcessJobRunner(services);
  const switches = (): ReturnType<typeof readJobSwitches> => readJobSwitches(opts.paths, opts.warn);

  return {
    core,
    jobs: {
      clock: systemClock,
      state: { lastTick: (job) => journal.lastTick(job), setLastTick: (job, at) => journal.setLastTick(job, at) },
      jobs: [...jobs.values()].map((job) => ({ name: job.definition.name, ...(job.definition.schedule === undefined ? {} : { schedule: job.definition.schedule }) })),
      run: async (name, signal) => {
        const job = jobs.get(name);
        if (job === undefined) throw new Error(`No job named ${name} in ${opts.paths.jobs}`);
        return outcomeOf(await runner.run({ job, dryRun: false, signal }));
      },
      hold: (job) => scheduleHold(switches(), job),
    },
    interrupted: () => {
      const now = switches();
      return [
        ...new Set(services.history.unfinishedRuns().map((run) => run.job).filter((name) => jobs.get(name)?.definition.schedule !== undefined && scheduleHold(now, name) === undefined)),
      ];
    },
    schedules: {
      paused: () => switches().paused,
      // Through the core, so that every window hears of it (jobs.changed) as when it is switched there.
      setPaused: async (paused) => {
        const answer = await core.invoke('jobs.pauseSchedules', { paused });
        if (!answer.ok) throw new Error(answer.error.message);
      },
    },
    close: async () => {
      await core.close();
      workspace.close();
    },
  };
}

/** The jobs folder's jobs by name; a file that does not load is reported and left out, as the daemon does. */
async function loadJobs(folder: string, warn: (message: string) => void): Promise<ReadonlyMap<string, LoadedJob>> {
  const jobs = new Map<string, LoadedJob>();
  for (const file of await jobFiles(folder)) {
    try {
      const job = await loadJobFile(file);
      if (jobs.has(job.definition.name)) warn(`Skipped ${file}: another job is already named ${job.definition.name}`);
      else jobs.set(job.definition.name, job);
    } catch (e) {
      warn(`Skipped ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return jobs;
}

function outcomeOf(result: JobRunResult): JobRunOutcome {
  const count = (outcome: string): number => result.files.filter((f) => f.outcome === outcome).length;
  const summary =
    result.sync === undefined
      ? `${count('delivered')} delivered, ${count('quarantined')} quarantined, ${count('failed')} failed`
      : ((t) => `${t.new} new, ${t.replace} replaced, ${t.delete} deleted, ${t.failed} failed`)(syncTotals(result.sync.actions, false));
  return {
    job: result.job,
    runId: result.runId,
    status: result.status,
    summary,
  };
}
