import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';

/**
 * The names of a jobs folder's job files, kept apart from the job loader so that commands which only
 * list or name jobs (and every command's start-up) do not load the job format's parsers.
 */
export const JOB_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** The job files of a folder, by name; none when the folder does not exist yet. */
export async function jobFiles(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((n) => JOB_EXTENSIONS.includes(extname(n).toLowerCase())).sort().map((n) => join(dir, n));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}
