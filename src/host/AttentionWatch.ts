import type { HistoryStore } from '../history/HistoryStore.js';
import type { NewQuarantined } from '../history/HomeQueries.js';
import type { RunRecord } from '../history/records.js';
import type { LoadedJob } from '../jobs/definition/loadJob.js';
import type { Clock, TimerHandle } from '../schedule/Clock.js';
import type { AttentionRaised } from '../shared/contract/homeCommands.js';
import { failureTitle } from './home/homeSummary.js';
import { lateFiles } from './home/lateFiles.js';

export interface AttentionWatchOptions {
  /** Whether the history exists yet: a watch does not create it, and everything written to a new one is new. */
  readonly historyExists: () => boolean;
  readonly history: () => Promise<HistoryStore>;
  /** The saved jobs, for their arrival deadlines. */
  readonly jobs: () => Promise<ReadonlyArray<LoadedJob>>;
  readonly clock: Clock;
  /** Told of each new notice once. Transport-free: the window's event hub, the desktop shell's notifications. */
  readonly notify: (notice: AttentionRaised) => void;
  /** How long between looks at the history (default 3 s): how late, at most, a notice comes. */
  readonly everyMs?: number;
  /** A look that failed (a damaged history); the next look tries again. */
  readonly onError?: (error: unknown) => void;
}

/** Rows read per query: a burst of thousands of runs is read in pages, never at once. */
const PAGE = 500;
const BAD_ENDINGS = new Set(['failed', 'partial', 'interrupted']);

/**
 * Notices new trouble in the history, whichever process wrote it (the window's own transfers, `ferry run`,
 * the daemon): runs that end badly, files validation refuses, and files expected by a time of day that did
 * not come. It reads the history by id since what it last saw, so each look costs what is new, and raises
 * each notice once; what was already there when it started is Home's to show, not news.
 */
export class AttentionWatch {
  readonly #options: AttentionWatchOptions;
  readonly #startedAt: number;
  /** The newest run and quarantine entry seen; undefined until the first look sets where news begins. */
  #lastRun: number | undefined;
  #lastQuarantine = 0;
  /** Runs seen running, looked at again until they end. */
  readonly #running = new Set<number>();
  /** Late files already told of, by job, name and deadline. */
  #toldLate = new Set<string>();
  #timer: TimerHandle | undefined;
  #looking: Promise<void> | undefined;
  #stopped = false;

  constructor(options: AttentionWatchOptions) {
    this.#options = options;
    this.#startedAt = options.clock.now();
  }

  /** Takes its first look at once, then one every `everyMs`. */
  start(): void {
    this.#stopped = false;
    this.#arm(this.#options.clock.now());
  }

  /** Stops looking; resolves once a look in progress has finished, so the history can be closed. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    await this.#looking;
  }

  #arm(at: number): void {
    if (this.#stopped) return;
    this.#timer = this.#options.clock.setTimer(at, () => {
      this.#looking = this.look().finally(() => {
        this.#looking = undefined;
        this.#arm(this.#options.clock.now() + (this.#options.everyMs ?? 3_000));
      });
    });
  }

  /** One look: raises a notice for each new failure, refusal and late file. Never throws. */
  async look(): Promise<void> {
    try {
      if (!this.#options.historyExists()) {
        this.#lastRun ??= 0;
        return;
      }
      const history = await this.#options.history();
      if (this.#lastRun === undefined) {
        this.#begin(history);
        return;
      }
      this.#lookAtRuns(history);
      this.#lookAtQuarantine(history);
      await this.#lookForLateFiles(history);
    } catch (e) {
      this.#options.onError?.(e);
    }
  }

  #begin(history: HistoryStore): void {
    const home = history.home();
    this.#lastRun = home.lastRunId();
    this.#lastQuarantine = home.lastQuarantineId();
    for (const run of history.unfinishedRuns()) this.#running.add(run.id);
  }

  #lookAtRuns(history: HistoryStore): void {
    const home = history.home();
    const ended = home.runsByIds([...this.#running]).filter((run) => run.status !== 'running');
    for (const run of ended) this.#running.delete(run.id);
    for (let page = home.runsAfter(this.#lastRun ?? 0, PAGE); page.length > 0; page = home.runsAfter(this.#lastRun ?? 0, PAGE)) {
      for (const run of page) {
        if (run.status === 'running') this.#running.add(run.id);
        else ended.push(run);
      }
      this.#lastRun = page.at(-1)?.id;
      if (page.length < PAGE) break;
    }
    for (const run of ended) if (BAD_ENDINGS.has(run.status) && !run.dryRun) this.#raise(failureNotice(run));
  }

  #lookAtQuarantine(history: HistoryStore): void {
    const home = history.home();
    const refused = new Map<string, NewQuarantined[]>();
    for (let page = home.quarantinedAfter(this.#lastQuarantine, PAGE); page.length > 0; page = home.quarantinedAfter(this.#lastQuarantine, PAGE)) {
      for (const file of page) if (file.refused) refused.set(file.job, [...(refused.get(file.job) ?? []), file]);
      this.#lastQuarantine = page.at(-1)?.id ?? this.#lastQuarantine;
      if (page.length < PAGE) break;
    }
    // One notice per job and look: a run that refuses five hundred files is one thing to deal with.
    for (const [job, files] of refused) this.#raise(quarantineNotice(job, files, this.#options.clock.now()));
  }

  async #lookForLateFiles(history: HistoryStore): Promise<void> {
    const now = this.#options.clock.now();
    const jobs = (await this.#options.jobs()).filter((job) => job.definition.arrival.expect.length > 0);
    const late = lateFiles(jobs, history.journal(), now).filter((l) => l.dueAt > this.#startedAt);
    const told = new Set<string>();
    for (const file of late) {
      const key = `${file.job}:${file.expected.name}:${file.dueAt}`;
      told.add(key);
      if (this.#toldLate.has(key)) continue;
      this.#raise({
        id: `sla:${key}`,
        kind: 'sla',
        title: `${file.job}: ${file.expected.name} is late`,
        text: `Nothing matching ${file.expected.name} arrived by ${file.expected.by}.`,
        at: file.dueAt,
        target: { kind: 'job', job: file.job },
      });
    }
    // Only deadlines still missed are kept: the list never outgrows the jobs' expectations.
    this.#toldLate = told;
  }

  #raise(notice: AttentionRaised): void {
    try {
      this.#options.notify(notice);
    } catch (e) {
      this.#options.onError?.(e);
    }
  }
}

function failureNotice(run: RunRecord): AttentionRaised {
  return {
    id: `failure:${run.id}`,
    kind: 'failure',
    title: failureTitle(run),
    text: run.error ?? `${run.failed} of ${run.files + run.failed} files failed.`,
    at: run.finishedAt ?? run.startedAt,
    target: { kind: 'run', runId: run.id },
  };
}

function quarantineNotice(job: string, files: ReadonlyArray<NewQuarantined>, now: number): AttentionRaised {
  const newest = files.at(-1);
  const first = files[0];
  return {
    id: `quarantine:${newest?.id ?? 0}`,
    kind: 'quarantine',
    title: files.length === 1 ? `${job}: ${first?.file ?? ''} refused` : `${job}: ${files.length} files refused`,
    text: files.length === 1 ? (first?.reason ?? '') : `${first?.file ?? ''}: ${first?.reason ?? ''}, and ${files.length - 1} more.`,
    at: now,
    target: { kind: 'validation', job, ...(newest === undefined ? {} : { entryId: newest.id }) },
  };
}
