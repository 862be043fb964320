import { TransferError } from '../connectors/errors.js';
import { JobBusyError } from '../history/JobJournal.js';
import type { LoadedJob } from '../jobs/definition/loadJob.js';
import { InProcessJobRunner } from '../jobs/JobRunner.js';
import type { JobRunResult } from '../jobs/runJob.js';
import { jobServices } from '../workspace/jobServices.js';
import type { Workspace } from '../workspace/Workspace.js';

interface LiveRun {
  readonly runId: number;
  readonly controller: AbortController;
  readonly done: Promise<unknown>;
}

/**
 * The window's "Run now" and "Dry run": runs in the host process, claimed in the history exactly as the
 * daemon claims them, so that a job the daemon or another window is running is refused rather than run twice.
 * `changed` is told when a run starts and when it ends.
 */
export class JobRuns {
  readonly #workspace: Workspace;
  readonly #changed: (job: string) => void;
  readonly #live = new Map<string, LiveRun>();

  constructor(workspace: Workspace, changed: (job: string) => void) {
    this.#workspace = workspace;
    this.#changed = changed;
  }

  isRunning(job: string): boolean {
    return this.#live.has(job);
  }

  /** Starts a run and resolves with its id once it has claimed its place in the history; the run goes on. */
  async start(job: LoadedJob): Promise<number> {
    const name = job.definition.name;
    const live = this.#live.get(name);
    if (live !== undefined) throw new TransferError('exists', `The job "${name}" is already running (run ${live.runId})`);
    let claimed: (runId: number) => void = () => undefined;
    const started = new Promise<number>((resolve) => (claimed = resolve));
    const services = await jobServices(this.#workspace, { onEvent: (e) => e.kind === 'started' && claimed(e.runId) });
    const controller = new AbortController();
    const done = new InProcessJobRunner(services).run({ job, dryRun: false, signal: controller.signal });
    const runId = await Promise.race([started, done.then((r) => r.runId)]).catch((e: unknown) => {
      if (e instanceof JobBusyError) throw new TransferError('exists', e.message);
      throw e;
    });
    this.#live.set(name, { runId, controller, done });
    this.#changed(name);
    // The run's outcome is in the history and its entry says how it ended; a window learns of it by the event.
    void done
      .catch(() => undefined)
      .finally(() => {
        this.#live.delete(name);
        this.#changed(name);
      });
    return runId;
  }

  /** What a run would do now, file by file; it moves nothing and is kept in the history as a preview. */
  async preview(job: LoadedJob): Promise<JobRunResult> {
    const services = await jobServices(this.#workspace);
    return new InProcessJobRunner(services).run({ job, dryRun: true, signal: new AbortController().signal });
  }

  /** Stops the runs at a safe point (the next start takes them up) and waits for them. */
  async close(): Promise<void> {
    const runs = [...this.#live.values()];
    for (const run of runs) run.controller.abort();
    await Promise.allSettled(runs.map((r) => r.done));
  }
}
