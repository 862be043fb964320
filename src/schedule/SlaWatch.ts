import type { Clock, TimerHandle } from './Clock.js';
import { isBusinessDay, type SlaConfig } from './config.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, fromLocal, localDayNumber, resolveTimeZone, startOfLocalDay } from './zone.js';

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

/** Ten years of days the calendar refuses: a calendar that allows none gives up rather than loop. */
const MAX_SKIPPED_DAYS = 3660;

/**
 * Watches one expected file: at each business day's deadline, alerts once for that day unless a matching
 * file arrived since the day began. After a sleep that spans several deadlines, only the latest is checked;
 * older days are past helping.
 */
export class SlaWatch {
  readonly #options: SlaWatchOptions;
  readonly #timezone: string;
  readonly #byMs: number;
  #timer: TimerHandle | undefined;
  #running = false;
  #alertedDay: number | undefined;

  constructor(options: SlaWatchOptions) {
    const match = /^(\d{2}):(\d{2})$/.exec(options.sla.by);
    if (match === null) throw new Error(`Invalid SLA time ${JSON.stringify(options.sla.by)}: expected HH:MM.`);
    this.#options = options;
    this.#timezone = resolveTimeZone(options.timezone);
    this.#byMs = Number(match[1]) * HOUR_MS + Number(match[2]) * MINUTE_MS;
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
    const first = localDayNumber(afterMs, this.#timezone);
    for (let day = first; day <= first + MAX_SKIPPED_DAYS; day++) {
      const due = fromLocal(day * DAY_MS + this.#byMs, this.#timezone);
      if (due > afterMs && isBusinessDay(due, this.#options.sla.calendar, this.#timezone)) return due;
    }
    return undefined;
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
