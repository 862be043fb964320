import type { FinishedRunStatus } from '../../src/history/records.js';
import type { Clock } from '../../src/schedule/Clock.js';
import type { ScheduleConfig } from '../../src/schedule/config.js';
import type { ScheduleStateStore } from '../../src/schedule/ScheduleState.js';
import { Scheduler } from '../../src/schedule/Scheduler.js';
import type { ScheduleHold } from '../../src/workspace/jobSwitches.js';
import type { RecentRun } from '../tray/trayMenu.js';

/** A job of the jobs folder, as the loop needs it. */
export interface LoopJob {
  readonly name: string;
  readonly schedule?: ScheduleConfig;
}

/** How one run ended. */
export interface JobRunOutcome {
  readonly job: string;
  readonly runId: number;
  readonly status: FinishedRunStatus;
  /** `3 delivered, 1 quarantined`, or a sync's totals. */
  readonly summary: string;
}

export interface JobLoopOptions {
  readonly clock: Clock;
  readonly state: ScheduleStateStore;
  readonly jobs: ReadonlyArray<LoopJob>;
  /** Runs a job to its end (or to a safe point once `signal` fires). */
  readonly run: (job: string, signal: AbortSignal) => Promise<JobRunOutcome>;
  /** Whether the user switched the job off or paused every schedule; asked at each tick, never for Run now. */
  readonly hold: (job: string) => ScheduleHold | undefined;
  /** Something the tray shows changed: a run started or ended. */
  readonly onChange: () => void;
  readonly warn: (message: string) => void;
}

/** How many finished runs the tray lists. */
const RECENT_RUNS = 5;

/**
 * The daemon's loop inside the desktop app: every scheduled job of the jobs folder runs on its schedule
 * while Ferry is open, with or without its window; any job can be run now from the tray. The schedule
 * state is the daemon's too (the history's journal), so ticks missed while Ferry was closed are caught up
 * by the job's missed-run policy, by whichever of the two starts first.
 */
export class JobLoop {
  readonly #opts: JobLoopOptions;
  readonly #scheduler: Scheduler;
  readonly #scheduled = new Set<string>();
  /** Runs of jobs without a schedule, started from the tray. */
  readonly #manual = new Map<string, { readonly controller: AbortController; readonly done: Promise<void> }>();
  /** Jobs with a run going on, whoever started it. */
  readonly #active = new Set<string>();
  #recent: RecentRun[] = [];

  constructor(opts: JobLoopOptions) {
    this.#opts = opts;
    this.#scheduler = new Scheduler({
      clock: opts.clock,
      state: opts.state,
      hold: opts.hold,
      run: (job, _reason, signal) => this.#execute(job, signal),
      events: { onError: (job, error) => opts.warn(`${job}: ${error instanceof Error ? error.message : String(error)}`) },
    });
    for (const job of opts.jobs) {
      if (job.schedule === undefined) continue;
      this.#scheduler.set(job.name, job.schedule);
      this.#scheduled.add(job.name);
    }
  }

  start(): void {
    this.#scheduler.start();
  }

  /** Every job, in the jobs folder's order, and whether it is running. */
  jobs(): ReadonlyArray<{ readonly name: string; readonly running: boolean }> {
    return this.#opts.jobs.map(({ name }) => ({ name, running: this.#active.has(name) }));
  }

  /** How many runs are going on. */
  running(): number {
    return this.#active.size;
  }

  /** The latest finished runs, newest first. */
  recent(): ReadonlyArray<RecentRun> {
    return this.#recent;
  }

  /** Starts a run now unless one of the job is already going (false then). Switches do not hold it. */
  runNow(job: string): boolean {
    if (this.#scheduled.has(job)) return this.#scheduler.trigger(job);
    if (this.#manual.has(job) || !this.#opts.jobs.some((j) => j.name === job)) return false;
    const controller = new AbortController();
    const done = this.#execute(job, controller.signal)
      .catch((e: unknown) => this.#opts.warn(`${job}: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => this.#manual.delete(job));
    this.#manual.set(job, { controller, done });
    return true;
  }

  /**
   * Re-arms every schedule from the wall clock, as after the machine wakes: ticks that fell due while it
   * slept are handled now by each job's missed-run policy, instead of within a minute of waking.
   */
  rearm(): void {
    // Stopping only disarms the timers and lets running jobs go on; its promise waits for them, which
    // re-arming does not need to.
    void this.#scheduler.stop();
    this.#scheduler.start();
  }

  /** Stops the schedules; with `abort`, running jobs stop at a safe point, else they finish. Resolves when none runs. */
  async stop(options: { abort: boolean }): Promise<void> {
    const manual = [...this.#manual.values()];
    if (options.abort) for (const run of manual) run.controller.abort();
    await Promise.all([this.#scheduler.stop({ abort: options.abort }), ...manual.map((run) => run.done)]);
  }

  async #execute(job: string, signal: AbortSignal): Promise<void> {
    this.#active.add(job);
    this.#opts.onChange();
    try {
      const outcome = await this.#opts.run(job, signal);
      this.#recent = [{ job, runId: outcome.runId, status: outcome.status, finishedAt: this.#opts.clock.now(), summary: outcome.summary }, ...this.#recent].slice(0, RECENT_RUNS);
    } finally {
      this.#active.delete(job);
      this.#opts.onChange();
    }
  }
}
