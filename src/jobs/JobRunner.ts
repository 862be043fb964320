import type { JobServices } from './JobServices.js';
import { runJob, type JobRunResult, type RunRequest } from './runJob.js';

/**
 * What starts job runs. The CLI, the daemon and quarantine releases go through this interface, so a
 * runner that hands runs to a distributed queue (workers on other machines sharing the history) can
 * replace the in-process one without touching them. Whatever runs the job must keep runJob's contract:
 * one live run per job, taken over when its owner is gone.
 */
export interface JobRunner {
  /** Runs the job once and resolves with what happened to each file; rejects when the run could not proceed. */
  run(request: RunRequest): Promise<JobRunResult>;
}

/** Runs jobs in this process, with this process's connections, history and notifications. */
export class InProcessJobRunner implements JobRunner {
  readonly #services: JobServices;

  constructor(services: JobServices) {
    this.#services = services;
  }

  run(request: RunRequest): Promise<JobRunResult> {
    return runJob(this.#services, request);
  }
}
