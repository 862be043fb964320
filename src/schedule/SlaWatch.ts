import type { Clock, TimerHandle } from './Clock.js';
import type { SlaConfig } from './config.js';
import { nextSlaDeadline, slaTimeOfDay } from './slaDeadline.js';
import { localDayNumber, resolveTimeZone, startOfLocalDay } from './zone.js';

export interface SlaWatchOptions {
  readonly job: string;
  readonly sla: SlaConfig;
  /** IANA zone `sla.by` is read in (the schedule's); the machine's when undefined. */
  readonly timezone?: string;
  readonly clock: Clock;
  /** Whether a file matching `glob` has arrived for the job since `sinceMs` (the start of the deadline's day). */
  readonly arrived: (job: string, sinceMs: number, glob: string) => boolean | Promise<boolean>;
  readonly alert: (job: string, sla: SlaConfig, dueAt: number) => void | Promise<void>;
  /** Failures of `arrived` or `alert`. A failed `arrived` check still alerts: arrival was not shown. */
  readonly onError?: (job: string, error: unknown) => void;
}

/**
 * Watches one expected file: at each business day's deadline, alerts once for that day unless a matching
 * file arrived since the day began. After a sleep that spans several deadlines, only the latest is checked;
 * older days are past helping.
 */
export class SlaWatch {
  readonly #options: SlaWatchOptions;
  readonly #timezone: string;
  #timer: TimerHandle | undefined;
  #running = false;
  #alertedDay: number | undefined;

  constructor(options: SlaWatchOptions) {
    // A bad time is refused here, when the job is loaded, rather than at its first deadline.
    slaTimeOfDay(options.sla.by);
    this.#options = options;
    this.#timezone = resolveTimeZone(options.timezone);
  }

  /** Arms the first deadline not yet past; a deadline exactly now counts. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#arm(this.#options.clock.now() - 1);
  }

  stop(): void {
    this.#running = false;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  /** The first business-day deadline strictly after `afterMs`. */
  nextDeadline(afterMs: number): number | undefined {
    return nextSlaDeadline(this.#options.sla, this.#timezone, afterMs);
  }

  #arm(afterMs: number): void {
    const due = this.nextDeadline(afterMs);
    if (!this.#running || due === undefined) return;
    this.#timer = this.#options.clock.setTimer(due, () => {
      if (!this.#running) return;
      const now = this.#options.clock.now();
      let latest = due;
      for (let next = this.nextDeadline(latest); next !== undefined && next <= now; next = this.nextDeadline(latest)) latest = next;
      void this.#check(latest);
      this.#arm(Math.max(now, latest));
    });
  }

  async #check(dueAt: number): Promise<void> {
    const { job, sla } = this.#options;
    const day = localDayNumber(dueAt, this.#timezone);
    if (this.#alertedDay === day) return;
    let arrived = false;
    try {
      arrived = await this.#options.arrived(job, startOfLocalDay(dueAt, this.#timezone), sla.name);
    } catch (e) {
      this.#report(e);
    }
    if (arrived || this.#alertedDay === day) return;
    this.#alertedDay = day;
    try {
      await this.#options.alert(job, sla, dueAt);
    } catch (e) {
      this.#report(e);
    }
  }

  #report(error: unknown): void {
    try {
      this.#options.onError?.(this.#options.job, error);
    } catch {
      // Nowhere left to report to; the watch must keep going.
    }
  }
}
