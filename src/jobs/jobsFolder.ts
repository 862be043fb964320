import { basename, extname } from 'node:path';
import { JobFileError, loadJobFile, type LoadedJob } from './definition/loadJob.js';
import { jobFiles } from '../workspace/jobFileNames.js';

/** One file of the jobs folder: the job it holds, or why it holds none Ferry can run. */
export type JobsFolderEntry =
  | { readonly file: string; readonly name: string; readonly job: LoadedJob }
  | { readonly file: string; readonly name: string; readonly error: string };

/**
 * Every file of the jobs folder, loaded. A file that does not load keeps its place, under its file name, with
 * the reason; so does a second file claiming a job name already taken, as the daemon skips it. Any other
 * error is thrown, unless `skipAnyError` (the daemon's: it runs the jobs that load, whatever stopped the others).
 */
export async function readJobsFolder(dir: string, options: { readonly skipAnyError?: boolean } = {}): Promise<JobsFolderEntry[]> {
  const entries: JobsFolderEntry[] = [];
  const taken = new Map<string, string>();
  for (const file of await jobFiles(dir)) {
    const stem = basename(file, extname(file));
    try {
      const job = await loadJobFile(file);
      const name = job.definition.name;
      const first = taken.get(name);
      if (first !== undefined) {
        entries.push({ file, name: stem, error: `${file} is not used: ${basename(first)} already defines a job named ${name}` });
        continue;
      }
      taken.set(name, file);
      entries.push({ file, name, job });
    } catch (e) {
      if (options.skipAnyError !== true && !(e instanceof JobFileError) && (e as NodeJS.ErrnoException).code === undefined) throw e;
      entries.push({ file, name: stem, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return entries;
}
