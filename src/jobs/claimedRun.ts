import type { RunId } from '../history/records.js';
import { HEARTBEAT_MS, ownerAlive } from '../history/runOwner.js';
import type { JobDefinition } from './definition/jobSchema.js';
import type { JobServices, OpenedJobLocation } from './JobServices.js';

/** A job's run in the history, held by this process, and the locations it has opened. */
export interface ClaimedRun {
  readonly runId: RunId;
  /** The run was left unfinished by a process that is gone, and is taken over. */
  readonly resumed: boolean;
  /** Opens one of the job's locations (relative to the job's file), to be closed by `end`. */
  readonly open: (location: string) => Promise<OpenedJobLocation>;
  /** Stops beating for the run and closes every location it opened. */
  readonly end: () => Promise<void>;
}

/**
 * Takes the job's unfinished run over when its process is gone, or starts a new one, and beats for
 * it. Previews beat too: nothing resumes them, so a preview whose process is gone is marked
 * interrupted. `target` is how the run's destination is shown in the history.
 */
export function claimRun(services: JobServices, job: JobDefinition, baseDir: string, dryRun: boolean, target: string): ClaimedRun {
  const journal = services.history.journal();
  const now = services.now ?? Date.now;
  const newRun = (): RunId => services.history.startRun({ job: job.name, kind: 'job', source: job.source.location, target, dryRun, startedAt: now(), owner: services.owner });
  const { runId, resumed } = dryRun ? { runId: newRun(), resumed: false } : journal.claimRun(job.name, services.owner, (owner, beat) => ownerAlive(owner, beat, now()), newRun, now());
  const heartbeat = setInterval(() => journal.heartbeat(runId, services.owner, now()), HEARTBEAT_MS);
  heartbeat.unref();
  const opened: OpenedJobLocation[] = [];
  return {
    runId,
    resumed,
    open: async (location) => {
      const o = await services.open(location, baseDir);
      opened.push(o);
      return o;
    },
    end: async () => {
      clearInterval(heartbeat);
      await Promise.allSettled(opened.map((o) => o.fs.close()));
    },
  };
}
