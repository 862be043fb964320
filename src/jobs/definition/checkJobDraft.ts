import { LineCounter, parseDocument } from 'yaml';
import { parseLocation } from '../../cli/location.js';
import type { JobDefinition } from './jobSchema.js';
import { fieldName, JobFileError, locator, parseJob, type JobProblem } from './loadJob.js';

/** Whether this workspace has a saved connection of that name. */
export type ConnectionExists = (name: string) => Promise<boolean>;

/** Every problem of a job text: the format and the checks `ferry run` makes, then the connections it names that do not exist. */
export interface DraftCheck {
  readonly problems: ReadonlyArray<JobProblem>;
  /** Problems that stop the job from being saved: all but connections still to be made. */
  readonly blocking: ReadonlyArray<JobProblem>;
}

/**
 * Checks a job's text as `ferry run` would read it from `file`, and then that every connection it names
 * exists here, which a run would only find out when it opens them.
 */
export async function checkJobDraft(text: string, file: string, connectionExists: ConnectionExists): Promise<DraftCheck> {
  let definition: JobDefinition;
  try {
    definition = parseJob(text, file).definition;
  } catch (e) {
    if (!(e instanceof JobFileError)) throw e;
    return { problems: e.problems, blocking: e.problems };
  }
  const missing: JobProblem[] = [];
  const lines = new LineCounter();
  const where = locator(parseDocument(text, { lineCounter: lines }), lines);
  for (const { path, location } of locationsOf(definition)) {
    const parsed = parseLocation(location);
    if (parsed.kind === 'connection' && !(await connectionExists(parsed.connection))) {
      missing.push({ ...where(path), field: fieldName(path), message: `there is no connection named "${parsed.connection}" in this workspace: make it under Connections, or name another` });
    }
  }
  return { problems: missing, blocking: [] };
}

/** Every field of a job that names a connection or a folder. */
function locationsOf(job: JobDefinition): Array<{ path: Array<string | number>; location: string }> {
  const found: Array<{ path: Array<string | number>; location: string }> = [{ path: ['source', 'location'], location: job.source.location }];
  const add = (path: Array<string | number>, location: string | undefined): void => {
    if (location !== undefined) found.push({ path, location });
  };
  add(['quarantine', 'location'], job.quarantine.location);
  add(['quarantine', 'returnTo'], job.quarantine.returnTo);
  job.routes.forEach((route, i) => add(['routes', i, 'to'], route.to));
  add(['sync', 'to'], job.sync?.to);
  add(['sync', 'backupDir'], job.sync?.backupDir);
  return found;
}
