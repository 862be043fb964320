import { jobFiles } from '../../workspace/jobFileNames.js';
import { loadJobFile, type LoadedJob } from '../../jobs/definition/loadJob.js';

/**
 * Every job of the jobs folder that loads, first file first for a name used twice, as the daemon keeps
 * them. A file with mistakes is left out here: the Jobs screen and `ferry run` say what is wrong with it.
 */
export async function savedJobs(folder: string): Promise<LoadedJob[]> {
  const jobs = new Map<string, LoadedJob>();
  for (const file of await jobFiles(folder)) {
    const job = await loadJobFile(file).catch(() => undefined);
    if (job !== undefined && !jobs.has(job.definition.name)) jobs.set(job.definition.name, job);
  }
  return [...jobs.values()];
}
