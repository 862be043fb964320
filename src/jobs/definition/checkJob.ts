import { checkTemplate, templateVariables } from '../../mapping/template.js';
import { parseLocation } from '../../cli/location.js';
import { parseNamingRule } from '../../connectors/salesforce/namingRule.js';
import { checkSync } from './checkSync.js';
import { validationSets, type JobDefinition } from './jobSchema.js';

export interface SemanticProblem {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

/**
 * What the schema cannot check: that templates parse and use only captures the name rule defines,
 * that expressions compile, and that route names are unique. Returns every problem, not the first.
 */
export function checkJob(job: JobDefinition, baseDir: string): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const captures = new Set(validationSets(job).flatMap((set) => [...captureNames(set.name)]));
  const template = (path: ReadonlyArray<string | number>, text: string | undefined): void => {
    if (text === undefined) return;
    const error = checkTemplate(text);
    if (error !== undefined) {
      problems.push({ path, message: error });
      return;
    }
    for (const variable of templateVariables(text)) {
      const base = variable.split(/[:|]/)[0]?.trim() ?? '';
      // `{date:yyyy}` is plainly the run date; a bare `{date}` could be meant for the group.
      if (BUILT_IN.has(base) && captures.has(base) && new RegExp(`\\{${base}(\\|[^}]*)?\\}`).test(text)) {
        problems.push({ path, message: `{${base}} is Ferry's own placeholder, not the group "${base}" of validate.name: write {capture.${base}} for the group` });
        continue;
      }
      const capture = captureOf(variable);
      if (capture !== undefined && !captures.has(capture)) {
        problems.push({
          path,
          message: `{${variable}} is not captured: ${captures.size === 0 ? 'validate.name defines no named groups' : `validate.name captures ${[...captures].join(', ')}`}`,
        });
      }
    }
  };
  const regex = (path: ReadonlyArray<string | number>, text: string | undefined): void => {
    if (text === undefined) return;
    try {
      new RegExp(text, 'u');
    } catch (e) {
      problems.push({ path, message: `not a valid regular expression: ${(e as Error).message}` });
    }
  };

  template(['rename'], job.rename);
  template(['arrival', 'doneFile'], job.arrival.doneFile);
  template(['quarantine', 'note'], job.quarantine.note);
  if (typeof job.after.source === 'object') {
    template(['after', 'source', 'moveTo'], job.after.source.moveTo);
    // In a source read recursively, moved files would be found again: the folder must be one the walk can leave out.
    if (job.source.recursive && movedAsideFolder(job.after.source.moveTo) === undefined) {
      problems.push({ path: ['after', 'source', 'moveTo'], message: 'with source.recursive, moveTo must start with a fixed folder name (e.g. "processed/{date:yyyy-MM}"), so that moved files are not taken again' });
    }
  }
  problems.push(...checkSync(job, baseDir));
  const names = new Set<string>();
  job.routes.forEach((route, i) => {
    if (names.has(route.name)) problems.push({ path: ['routes', i, 'name'], message: `another route is already named "${route.name}"` });
    names.add(route.name);
    template(['routes', i, 'rename'], route.rename);
    template(['routes', i, 'to'], route.to === undefined ? undefined : placeholdersOf(route.to));
    template(['routes', i, 'http', 'url'], route.http?.url);
    if (route.companion !== undefined) {
      template(['routes', i, 'companion', 'name'], route.companion.name);
      for (const [key, value] of Object.entries(route.companion.fields)) template(['routes', i, 'companion', 'fields', key], value);
    }
    for (const [key, value] of Object.entries(route.when?.captures ?? {})) {
      regex(['routes', i, 'when', 'captures', key], value);
      if (!captures.has(key)) problems.push({ path: ['routes', i, 'when', 'captures', key], message: `"${key}" is not captured by validate.name` });
    }
    regex(['routes', i, 'when', 'content', 'matches'], route.when?.content?.matches);
    if (route.attachBy !== undefined) {
      try {
        parseNamingRule(route.attachBy);
      } catch (e) {
        problems.push({ path: ['routes', i, 'attachBy'], message: (e as Error).message });
      }
    }
  });
  return problems;
}

/** The capture a template variable names (`capture.x` or plain `x`), or undefined for the others. */
/** The fixed first folder of a `moveTo` template, which a recursive source leaves out; undefined when it has a placeholder. */
export function movedAsideFolder(moveTo: string): string | undefined {
  const first = moveTo.split('/')[0] ?? '';
  return first === '' || first.includes('{') ? undefined : first;
}

function captureOf(variable: string): string | undefined {
  const name = variable.split(/[:|]/)[0]?.trim() ?? '';
  if (name.startsWith('capture.')) return name.slice('capture.'.length);
  return BUILT_IN.has(name) || name.includes('.') ? undefined : name;
}

/** Template variables that are not captures. */
const BUILT_IN = new Set(['name', 'stem', 'ext', 'dir', 'date', 'mtime', 'counter', 'run']);

function captureNames(pattern: string | undefined): Set<string> {
  if (pattern === undefined) return new Set();
  return new Set([...pattern.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1] ?? ''));
}

/** A destination's path with its placeholders, for checking; the connection part carries none, and a local folder is all path. */
function placeholdersOf(location: string): string | undefined {
  return location.includes('{') ? parseLocation(location).path || undefined : undefined;
}
