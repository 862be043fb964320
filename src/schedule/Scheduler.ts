import type { ScheduleHold } from '../workspace/jobSwitches.js';
import type { Clock, TimerHandle } from './Clock.js';
import { scheduleConfigSchema, type ParsedScheduleConfig, type ScheduleConfig } from './config.js';
import { nextTick } from './nextTick.js';
import type { ScheduleStateStore } from './ScheduleState.js';

export type TickReason = 'schedule' | 'catch-up' | 'manual';

export type SkipReason = 'overlap' | 'missed-skip' | ScheduleHold;

export interface SchedulerEvents {
  onSkipped?(job: string, at: number, why: SkipReason): void;
  onError?(job: string, error: unknown): void;
}

export interface SchedulerOptions {
  readonly clock: Clock;
  readonly state: ScheduleStateStore;
  readonly run: (job: string, reason: TickReason, signal: AbortSignal) => Promise<void>;
  readonly events?: SchedulerEvents;
  /**
   * How late a tick may fire and still count as on time (default one minute). Later than that, or once a
   * further tick is also due, the machine was asleep or stopped and the missed-run policy decides.
   */
  readonly lateAfterMs?: number;
  /**
   * Asked at each tick: whether the user switched the job off or paused every schedule (see jobSwitches).
   * A held tick is skipped like a disabled schedule's, so switching back on does not count the quiet time as missed.
   */
  readonly hold?: (job: string) => ScheduleHold | undefined;
}

const DEFAULT_LATE_AFTER_MS = 60_000;

interface Job {
  readonly config: ParsedScheduleConfig;
  timer?: TimerHandle;
  nextAt?: number;
}

interface Run {
  readonly controller: AbortController;
  done: Promise<void>;
}

/**
 * Decides when each job runs and never runs one twice at once. The state's last tick is written as a tick
 * fires, before the run starts, so a crash mid-run costs no catch-up and a restart sees exactly the ticks
 * it missed. A disabled job keeps ticking, reporting each tick as skipped, so enabling it later does not
 * count its quiet time as missed.
 */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #lateAfterMs: number;
  readonly #jobs = new Map<string, Job>();
  readonly #runs = new Map<string, Run>();
  #started = false;
  #stopped = false;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#lateAfterMs = options.lateAfterMs ?? DEFAULT_LATE_AFTER_MS;
  }

  /** Adds or replaces a job's schedule; computes the next tick; applies the missed-run policy against state.lastTick on start(). */
  set(job: string, config: ScheduleConfig): void {
    const parsed = scheduleConfigSchema.parse(config);
    const previous = this.#jobs.get(job);
    previous?.timer?.cancel();
    const entry: Job = { config: parsed };
    this.#jobs.set(job, entry);
    if (!this.#started) {
      entry.nextAt = nextTick(parsed, this.#options.clock.now());
      return;
    }
    // A changed schedule starts from now: ticks the old one never had are not missed runs.
    if (previous === undefined) this.#catchUp(job, entry);
    this.#arm(job, entry);
  }

  /** Forgets the job's schedule; a run in progress goes on (stop() still waits for it). */
  remove(job: string): void {
    this.#jobs.get(job)?.timer?.cancel();
    this.#jobs.delete(job);
  }

  /** Applies the missed-run policy to each job, then arms the timers. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#stopped = false;
    for (const [job, entry] of [...this.#jobs]) {
      this.#catchUp(job, entry);
      if (this.#jobs.get(job) === entry) this.#arm(job, entry);
    }
  }

  /** Runs now unless it is already running (returns false then) or the scheduler is stopping. */
  trigger(job: string): boolean {
    if (!this.#jobs.has(job)) throw new Error(`No schedule for job ${JSON.stringify(job)}.`);
    if (this.#stopped || this.#runs.has(job)) return false;
    this.#launch(job, 'manual');
    return true;
  }

  running(): ReadonlyArray<string> {
    return [...this.#runs.keys()];
  }

  /** When the job will next run on schedule; undefined if it is disabled, held, or its schedule has ended. */
  next(job: string): number | undefined {
    const entry = this.#jobs.get(job);
    return entry?.config.enabled && this.#options.hold?.(job) === undefined ? entry.nextAt : undefined;
  }

  /** Stops arming timers, aborts nothing by default; with {abort:true} signals running jobs; resolves when all running jobs finished. */
  async stop(options: { abort?: boolean } = {}): Promise<void> {
    this.#stopped = true;
    this.#started = false;
    for (const entry of this.#jobs.values()) {
      entry.timer?.cancel();
      entry.timer = undefined;
    }
    const runs = [...this.#runs.values()];
    if (options.abort === true) for (const run of runs) run.controller.abort();
    await Promise.all(runs.map((r) => r.done));
  }

  /** On start: a job never seen gets a clean slate; one with ticks missed since its last gets the policy. */
  #catchUp(job: string, entry: Job): void {
    const now = this.#options.clock.now();
    const last = this.#options.state.lastTick(job);
    if (last === undefined) {
      this.#options.state.setLastTick(job, now);
      return;
    }
    const due = nextTick(entry.config, last);
    if (due !== undefined && due <= now) this.#tick(job, entry, due);
  }

  #arm(job: string, entry: Job): void {
    if (!this.#started) return;
    const now = this.#options.clock.now();
    // Never before the last recorded tick: if the clock was set back, the ticks it replays already ran.
    const at = nextTick(entry.config, Math.max(now, this.#options.state.lastTick(job) ?? now));
    entry.nextAt = at;
    if (at === undefined) return;
    entry.timer = this.#options.clock.setTimer(at, () => {
      if (this.#jobs.get(job) !== entry || !this.#started) return;
      entry.timer = undefined;
      try {
        this.#tick(job, entry, at);
      } catch (e) {
        this.#report(job, e);
      }
      this.#arm(job, entry);
    });
  }

  /** A tick fell due at `at`: on time, or missed if it is handled too late or ticks after it are due too. */
  #tick(job: string, entry: Job, at: number): void {
    const now = this.#options.clock.now();
    const following = nextTick(entry.config, at);
    const late = now - at > this.#lateAfterMs || (following !== undefined && following <= now);
    this.#options.state.setLastTick(job, Math.max(now, at));
    const hold = entry.config.enabled ? this.#options.hold?.(job) : 'disabled';
    if (hold !== undefined) this.#skipped(job, at, hold);
    else if (late && entry.config.missed === 'skip') this.#skipped(job, at, 'missed-skip');
    else if (this.#runs.has(job)) this.#skipped(job, at, 'overlap');
    else this.#launch(job, late ? 'catch-up' : 'schedule');
  }

  #launch(job: string, reason: TickReason): void {
    const run: Run = { controller: new AbortController(), done: Promise.resolve() };
    // Registered before the call: a run that fails synchronously must still find and remove itself.
    this.#runs.set(job, run);
    run.done = this.#execute(job, reason, run);
  }

  async #execute(job: string, reason: TickReason, run: Run): Promise<void> {
    try {
      await this.#options.run(job, reason, run.controller.signal);
    } catch (e) {
      this.#report(job, e);
    } finally {
      if (this.#runs.get(job) === run) this.#runs.delete(job);
    }
  }

  #skipped(job: string, at: number, why: SkipReason): void {
    try {
      this.#options.events?.onSkipped?.(job, at, why);
    } catch (e) {
      this.#report(job, e);
    }
  }

  #report(job: string, error: unknown): void {
    try {
      this.#options.events?.onError?.(job, error);
    } catch {
      // A failing error handler has nowhere left to report to; the schedule must keep going.
    }
  }
}
