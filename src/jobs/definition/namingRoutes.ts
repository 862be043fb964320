import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, Scalar, stringify } from 'yaml';
import { parseLocation } from '../../cli/location.js';
import { readUserFile } from '../../config/readUserFile.js';
import { TransferError } from '../../connectors/errors.js';
import { readJobsFolder } from '../jobsFolder.js';
import { JobFileError, parseJob, type LoadedJob } from './loadJob.js';

/** A place in one connection: a connection's name (or this computer's) and a path below its root without a leading slash. */
export interface RulePlace {
  readonly connection: string;
  readonly path: string;
}

/** A job route that finds each file's Salesforce record by a naming rule. */
export interface NamingRoute {
  /** The job file's name in the jobs folder. */
  readonly file: string;
  readonly job: string;
  readonly route: string;
  readonly rule: string;
  /** The Salesforce connection and object folder the rule resolves in. */
  readonly target: { readonly connection: string; readonly object: string };
  /** The job's source folder, or undefined when it is on no connection the window lists. */
  readonly source: RulePlace | undefined;
}

/** Every naming-rule route of the jobs in `jobsDir`, read as the daemon reads them, and each job file that does not load with why. */
export async function listNamingRoutes(jobsDir: string, thisComputer: string): Promise<{ routes: NamingRoute[]; unreadable: Array<{ file: string; reason: string }> }> {
  const entries = await readJobsFolder(jobsDir);
  return {
    routes: entries.flatMap((e) => ('job' in e ? routesOf(e.job, thisComputer) : [])),
    unreadable: entries.flatMap((e) => ('error' in e ? [{ file: basename(e.file), reason: e.error }] : [])),
  };
}

function routesOf(job: LoadedJob, thisComputer: string): NamingRoute[] {
  const source = placeOf(job.definition.source.location, job.baseDir, thisComputer);
  return job.definition.routes.flatMap((route) => {
    const target = route.attachBy === undefined || route.to === undefined ? undefined : placeOf(route.to, job.baseDir, thisComputer);
    if (route.attachBy === undefined || target === undefined || target.connection === thisComputer) return [];
    return [{ file: basename(job.file), job: job.definition.name, route: route.name, rule: route.attachBy, target: { connection: target.connection, object: target.path }, source }];
  });
}

/** A job's location as a window names it: a connection's path, or a folder on this computer from the root. */
function placeOf(location: string, baseDir: string, thisComputer: string): RulePlace {
  const parsed = parseLocation(location);
  if (parsed.kind === 'connection') return { connection: parsed.connection, path: trimSlashes(parsed.path) };
  return { connection: thisComputer, path: trimSlashes(resolve(baseDir, parsed.path)) };
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

/**
 * Writes `rule` into the `attachBy` of the route named `route` in the job file `file` of `jobsDir`,
 * through the YAML document so that comments, order and quoting elsewhere stay as the user wrote them.
 * The changed job must load as `ferry run` would load it, or nothing is written; the file is replaced
 * whole, never left half-written.
 */
export async function saveRouteRule(jobsDir: string, file: string, route: string, rule: string, thisComputer: string): Promise<NamingRoute> {
  const path = jobFileIn(jobsDir, file);
  const text = (await readUserFile(path, 'job file', { maxBytes: 1024 * 1024 })).toString('utf8');
  const doc = parseDocument(text);
  const routes = doc.get('routes', true);
  const item = isSeq(routes) ? routes.items.find((r) => isMap(r) && r.get('name') === route) : undefined;
  if (!isMap(item)) throw new TransferError('notFound', `${file} has no route named "${route}"`, { path: file });
  const current = item.get('attachBy', true);
  if (!isScalar(current) || current.range === undefined || current.range === null) {
    throw new TransferError('config', `The route "${route}" of ${file} attaches by no naming rule`, { path: file });
  }
  // Only the rule's own characters change: every other byte, comments and spacing included, stays the user's.
  const [start, end] = current.range;
  const changed = `${text.slice(0, start)}${scalarText(rule, current.type)}${text.slice(end)}`;
  let job: LoadedJob;
  try {
    job = parseJob(changed, path);
  } catch (e) {
    if (e instanceof JobFileError) throw new TransferError('config', e.message, { path: file });
    throw e;
  }
  const tmp = `${path}.${randomUUID()}.tmp`;
  try {
    await writeFile(tmp, changed, { flag: 'wx' });
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
  const saved = routesOf(job, thisComputer).find((r) => r.route === route);
  if (saved === undefined) throw new TransferError('config', `The route "${route}" of ${file} no longer attaches by a naming rule`, { path: file });
  return saved;
}

/** `rule` as a YAML scalar in the quoting the user chose; a rule is one line, so a block scalar becomes single-quoted. */
function scalarText(rule: string, type: Scalar['type']): string {
  const quoting = type === Scalar.QUOTE_DOUBLE || type === Scalar.PLAIN ? type : Scalar.QUOTE_SINGLE;
  return stringify(rule, { defaultStringType: quoting, lineWidth: 0 }).trimEnd();
}

/** A YAML job file's name in the jobs folder: one name, nothing that climbs out of it (a JSON job is edited as JSON). */
function jobFileIn(jobsDir: string, file: string): string {
  if (file !== basename(file) || !/^[^/\\]+\.ya?ml$/i.test(file)) {
    throw new TransferError('config', `"${file}" is not the name of a YAML job file in the jobs folder`, { path: file });
  }
  return join(jobsDir, file);
}
