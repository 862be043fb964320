import type { Command } from 'commander';
import type { LoadedJob } from '../../jobs/definition/loadJob.js';
import type { SkipReason } from '../../schedule/Scheduler.js';
import type { SlaWatch } from '../../schedule/SlaWatch.js';
import type { JobSwitches, ScheduleHold } from '../../workspace/jobSwitches.js';
import type { Workspace } from '../../workspace/Workspace.js';
import { visibleName } from '../format.js';
import { warn, type CliIo } from '../io.js';
import { runSummary } from '../syncReport.js';

const SKIP_WORDS: Readonly<Record<SkipReason, string>> = {
  overlap: 'the previous run is still going',
  'missed-skip': 'missed-skip',
  disabled: 'disabled',
  paused: 'schedules are paused',
};

/**
 * `ferry daemon`: runs every job of the jobs folder on its schedule until SIGTERM or Ctrl-C, then lets
 * running jobs stop at a safe point (their runs are resumed by the next start) and exits.
 */
export function registerDaemonCommand(program: Command, io: CliIo, workspace: () => Workspace, signal: AbortSignal): void {
  program
    .command('daemon')
    .description('run every scheduled job of the jobs folder until stopped (SIGTERM or Ctrl-C stops cleanly)')
    .option('--jobs <folder>', 'where the job files are (default: the jobs folder of the Ferry data folder)')
    .action(async (opts: { jobs?: string }) => {
      const { readJobsFolder } = await import('../../jobs/jobsFolder.js');
      const { InProcessJobRunner } = await import('../../jobs/JobRunner.js');
      const { systemClock } = await import('../../schedule/Clock.js');
      const { Scheduler } = await import('../../schedule/Scheduler.js');
      const { SlaWatch } = await import('../../schedule/SlaWatch.js');
      const { arrivedSince } = await import('../../schedule/slaDeadline.js');
      const { jobServices } = await import('../../workspace/jobServices.js');
      const { readJobSwitches, scheduleHold } = await import('../../workspace/jobSwitches.js');
      const ws = workspace();
      const log = (line: string): void => warn(io, `${new Date().toISOString()} ${line}`);
      // Read at each tick, so that the window's or the terminal's "disable" or "pause all" applies without a restart.
      let lastSwitchesWarning = '';
      const switches = (): JobSwitches =>
        readJobSwitches(ws.paths, (message) => {
          if (message !== lastSwitchesWarning) log(message);
          lastSwitchesWarning = message;
        });
      const hold = (name: string): ScheduleHold | undefined => scheduleHold(switches(), name);
      const jobs = new Map<string, LoadedJob>();
      for (const entry of await readJobsFolder(opts.jobs ?? ws.paths.jobs, { skipAnyError: true })) {
        if ('job' in entry) jobs.set(entry.name, entry.job);
        else log(`skipped ${entry.error}`);
      }
      const services = await jobServices(ws, {
        onEvent: (e) => {
          if (e.kind === 'item' && e.status !== 'delivered') log(`  ${e.status} ${visibleName(e.path)}: ${e.detail}`);
          else if (e.kind === 'notice') log(`  ${e.message}`);
        },
      });
      const journal = services.history.journal();
      const runner = new InProcessJobRunner(services);
      const scheduler = new Scheduler({
        clock: systemClock,
        hold,
        state: { lastTick: (job) => journal.lastTick(job), setLastTick: (job, at) => journal.setLastTick(job, at) },
        run: async (name, reason, runSignal) => {
          const job = jobs.get(name);
          if (job === undefined) return;
          log(`${name}: starting (${reason})`);
          const result = await runner.run({ job, dryRun: false, signal: runSignal });
          const held = result.sync?.withheld === undefined ? '' : `; nothing deleted: ${result.sync.withheld}`;
          log(`${name}: run ${result.runId} ${result.status}: ${runSummary(result)}${held}`);
        },
        events: {
          onSkipped: (job, _at, why) => log(`${job}: tick skipped (${SKIP_WORDS[why]})`),
          onError: (job, error) => log(`${job}: ${error instanceof Error ? error.message : String(error)}`),
        },
      });
      const watches: SlaWatch[] = [];
      for (const [name, job] of jobs) {
        const schedule = job.definition.schedule;
        if (schedule !== undefined) scheduler.set(name, schedule);
        for (const sla of job.definition.arrival.expect) {
          watches.push(
            new SlaWatch({
              job: name,
              sla,
              ...(schedule?.timezone === undefined ? {} : { timezone: schedule.timezone }),
              clock: systemClock,
              arrived: (jobName, since, glob) => arrivedSince(journal, jobName, since, glob),
              alert: async (jobName, expected, dueAt) => {
                log(`${jobName}: nothing matching ${expected.name} has arrived by ${expected.by}`);
                const outcomes = await services.notifier.notify(job.definition.notify, {
                  event: 'sla',
                  job: jobName,
                  subject: `${jobName}: ${expected.name} has not arrived by ${expected.by}`,
                  text: `No file matching ${expected.name} arrived for ${jobName} by ${new Date(dueAt).toISOString()}.`,
                  facts: { job: jobName, expected: expected.name, due: new Date(dueAt).toISOString() },
                });
                for (const o of outcomes) services.history.recordNotification({ channel: o.channel, recipient: o.recipient, subject: `${expected.name} late`, status: o.status, ...(o.error === undefined ? {} : { error: o.error }) });
              },
              onError: (jobName, error) => log(`${jobName}: deadline check failed: ${error instanceof Error ? error.message : String(error)}`),
            }),
          );
        }
      }
      scheduler.start();
      for (const w of watches) w.start();
      // Runs a crash left unfinished are taken up at once rather than at their next tick.
      const startSwitches = switches();
      for (const run of services.history.unfinishedRuns()) {
        if (jobs.get(run.job)?.definition.schedule === undefined || scheduleHold(startSwitches, run.job) !== undefined) continue;
        if (scheduler.trigger(run.job)) log(`${run.job}: resuming interrupted run ${run.id}`);
      }
      const scheduled = [...jobs.keys()].filter((n) => scheduler.next(n) !== undefined);
      const held = [...jobs.keys()].flatMap((n) => {
        const why = jobs.get(n)?.definition.schedule === undefined ? undefined : scheduleHold(startSwitches, n);
        return why === undefined ? [] : [`\n  ${n}: ${SKIP_WORDS[why]}`];
      });
      log(`Ferry daemon: ${scheduled.length} scheduled job${scheduled.length === 1 ? '' : 's'}${scheduled.map((n) => `\n  ${n}: next ${new Date(scheduler.next(n) ?? 0).toISOString()}`).join('')}${held.join('')}`);
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener('abort', () => resolve(), { once: true });
      });
      log('stopping: waiting for running jobs to reach a safe point');
      for (const w of watches) w.stop();
      await scheduler.stop({ abort: true });
      log('stopped');
    });
}
