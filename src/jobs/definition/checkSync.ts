import { resolve } from 'node:path';
import { parseLocation } from '../../cli/location.js';
import type { JobDefinition } from './jobSchema.js';
import type { SemanticProblem } from './checkJob.js';

/**
 * A job routes files or mirrors its source, never both; a mirror takes the source as it is, so what
 * shapes single files (rules, names, post-actions, arrival markers) is refused rather than ignored.
 */
export function checkSync(job: JobDefinition, baseDir: string): SemanticProblem[] {
  const { sync } = job;
  if (sync === undefined) return job.routes.length === 0 ? [{ path: ['routes'], message: 'a job needs at least one route, or a "sync" section' }] : [];
  const problems: SemanticProblem[] = [];
  if (job.routes.length > 0) problems.push({ path: ['sync'], message: 'a job either routes files ("routes") or mirrors its source ("sync"), not both' });
  const notForSync = (path: ReadonlyArray<string>, set: boolean, what: string): void => {
    if (set) problems.push({ path, message: `a sync mirrors the source as it is: ${what} does not apply to it` });
  };
  notForSync(['validate'], job.validate !== undefined, 'validation');
  notForSync(['rename'], job.rename !== undefined, 'renaming');
  notForSync(['after', 'source'], job.after.source !== 'keep', 'removing or moving source files');
  notForSync(['after', 'markRecords'], job.after.markRecords !== undefined, 'marking records');
  notForSync(['source', 'records'], job.source.records !== undefined, 'choosing records');
  notForSync(['source', 'maxFiles'], job.source.maxFiles !== undefined, 'a file limit per run');
  notForSync(['arrival', 'doneFile'], job.arrival.doneFile !== undefined, 'a done file');
  notForSync(['arrival', 'trigger'], job.arrival.trigger !== undefined, 'a trigger file');
  notForSync(['arrival', 'manifest'], job.arrival.manifest !== undefined, 'a manifest');
  notForSync(['quarantine', 'location'], job.quarantine.location !== undefined, 'a quarantine');
  if (sync.backupDir !== undefined) {
    const problem = backupProblem(sync.to, sync.backupDir, baseDir);
    if (problem !== undefined) problems.push({ path: ['sync', 'backupDir'], message: problem });
  }
  return problems;
}

/** A backup folder must be on the mirror's own connection (files are moved there by a rename) and outside the mirror. */
function backupProblem(to: string, backupDir: string, baseDir: string): string | undefined {
  const mirror = parseLocation(to);
  const backup = parseLocation(backupDir);
  let paths: [string, string];
  if (mirror.kind === 'connection' && backup.kind === 'connection' && mirror.connection === backup.connection) paths = [folder(mirror.path), folder(backup.path)];
  else if (mirror.kind === 'local' && backup.kind === 'local') paths = [resolve(baseDir, mirror.path), resolve(baseDir, backup.path)];
  else return `must be on the same connection as sync.to (${to}): files are moved there, not copied`;
  const [a, b] = paths;
  const inside = (x: string, y: string): boolean => x === y || x.startsWith(y.endsWith('/') ? y : `${y}/`);
  return inside(a, b) || inside(b, a) ? `overlaps sync.to (${to}): the backup folder must be outside the mirror` : undefined;
}

function folder(path: string): string {
  return `/${path.split('/').filter((s) => s !== '').join('/')}`;
}
