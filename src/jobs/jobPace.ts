import { BandwidthLimits, type Pace } from '../engine/bandwidth/BandwidthLimits.js';
import { readLimit } from '../engine/bandwidth/readLimit.js';
import type { JobDefinition } from './definition/jobSchema.js';
import type { JobServices, OpenedJobLocation } from './JobServices.js';

/** How a run's bytes go from one of its locations to another; undefined is the run's staging folder on this computer. */
export type JobPacer = (from: OpenedJobLocation | undefined, to: OpenedJobLocation | undefined) => Pace | undefined;

/**
 * The pace of one run's bytes: the job's own `bandwidth`, shared by all the run's files, on top of the
 * limits of the process (each connection's, Ferry's own). A folder of this computer (`local`) is not limited.
 */
export async function jobPacer(services: JobServices, job: JobDefinition): Promise<JobPacer> {
  const limits = (await services.bandwidth?.()) ?? new BandwidthLimits();
  const own = job.bandwidth === undefined ? undefined : readLimit(job.bandwidth, `bandwidth of job ${job.name}`);
  const run = own === undefined ? undefined : limits.run(own);
  const side = (l: OpenedJobLocation | undefined): string | undefined => (l === undefined || l.connection === 'local' ? undefined : l.connection);
  return (from, to) => limits.pace({ ...(run === undefined ? {} : { run }), source: side(from), target: side(to) });
}
