import { dirname, resolve } from 'node:path';
import { isNode, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { readUserFile, UserFileError } from '../../config/readUserFile.js';
import { jobSchema, JOB_FORMAT_VERSION, type JobDefinition } from './jobSchema.js';
import { checkJob } from './checkJob.js';

/** One problem in a job file, where it is. */
export interface JobProblem {
  readonly line: number;
  readonly column: number;
  /** The field, as a dotted path: `routes[1].to`. */
  readonly field: string;
  readonly message: string;
}

/** A job file that cannot be used; the message lists every problem as `file:line:column field: message`. */
export class JobFileError extends Error {
  override readonly name = 'JobFileError';

  constructor(
    readonly file: string,
    readonly problems: ReadonlyArray<JobProblem>,
  ) {
    super(
      `${file} is not a valid job:\n` +
        problems.map((p) => `  ${file}:${p.line}:${p.column} ${p.field === '' ? '' : `${p.field}: `}${p.message}`).join('\n'),
    );
  }
}

export interface LoadedJob {
  readonly definition: JobDefinition;
  /** The job file's absolute path. */
  readonly file: string;
  /** Relative local paths in the job (folders, profiles, schemas) are resolved against this folder. */
  readonly baseDir: string;
}

/** A job file is a few kilobytes; one far larger is a mistake, and parsing it would cost seconds and gigabytes. */
const MAX_JOB_FILE_BYTES = 1024 * 1024;

/**
 * How many values YAML aliases may stand for in one file, aliases within aliases multiplied out (the
 * `yaml` package's count): enough for any job that reuses a list, far too few for a "billion laughs".
 */
const MAX_ALIAS_USES = 100;

export async function loadJobFile(file: string): Promise<LoadedJob> {
  const path = resolve(file);
  let text: string;
  try {
    text = (await readUserFile(path, 'job file', { maxBytes: MAX_JOB_FILE_BYTES })).toString('utf8');
  } catch (e) {
    if (e instanceof UserFileError) throw new JobFileError(path, [{ line: 1, column: 1, field: '', message: e.reason }]);
    throw e;
  }
  return parseJob(text, path);
}

/**
 * Reads a job from YAML or JSON text (JSON is read as YAML, so both report problems alike) and checks
 * it against the schema, then for what a schema cannot say: templates, expressions, route names.
 */
export function parseJob(text: string, file: string): LoadedJob {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new JobFileError(
      file,
      doc.errors.map((e) => ({ line: e.linePos?.[0].line ?? 1, column: e.linePos?.[0].col ?? 1, field: '', message: e.message.split('\n')[0] ?? e.message })),
    );
  }
  const value = toValue(doc, lines, file);
  const where = locator(doc, lines);
  if (typeof value === 'object' && value !== null && 'version' in value && value.version !== JOB_FORMAT_VERSION) {
    throw new JobFileError(file, [
      { ...where(['version']), field: 'version', message: `this Ferry reads job format version ${JOB_FORMAT_VERSION}, not ${JSON.stringify(value.version)}` },
    ]);
  }
  const parsed = jobSchema.safeParse(value);
  if (!parsed.success) throw new JobFileError(file, parsed.error.issues.map((issue) => problemOf(issue, where)));
  const baseDir = dirname(file);
  const semantic = checkJob(parsed.data, baseDir);
  if (semantic.length > 0) {
    throw new JobFileError(
      file,
      semantic.map((p) => ({ ...where(p.path), field: fieldName(p.path), message: p.message })),
    );
  }
  return { definition: parsed.data, file, baseDir };
}

/** The document as plain data; aliases that multiply beyond `MAX_ALIAS_USES` make it a job file error, not a crash. */
function toValue(doc: Document, lines: LineCounter, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_USES });
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    // The package does not say which alias went over; the first one shows where the repetition begins.
    let first: number | undefined;
    visit(doc, {
      Alias: (_key, node) => {
        first = node.range?.[0];
        return visit.BREAK;
      },
    });
    const pos = first === undefined ? { line: 1, col: 1 } : lines.linePos(first);
    throw new JobFileError(file, [
      { line: pos.line, column: pos.col, field: '', message: `its aliases stand for more than ${MAX_ALIAS_USES} values (aliases within aliases multiply): write the values out` },
    ]);
  }
}

export type Locate = (path: ReadonlyArray<PropertyKey>) => { line: number; column: number };

/** The line and column of the deepest node on `path` that exists: a missing key points at its parent. */
export function locator(doc: Document, lines: LineCounter): Locate {
  return (path) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const keys = path.slice(0, depth).map((k) => (typeof k === 'symbol' ? String(k) : k));
      const node: unknown = depth === 0 ? doc.contents : doc.getIn(keys, true);
      const offset = isNode(node) ? node.range?.[0] : undefined;
      if (offset !== undefined) {
        const pos = lines.linePos(offset);
        return { line: pos.line, column: pos.col };
      }
    }
    return { line: 1, column: 1 };
  };
}

function problemOf(issue: z.core.$ZodIssue, where: Locate): JobProblem {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return { ...where([...path, key]), field: fieldName([...path, key]), message: `unknown field${issue.keys.length > 1 ? `s ${issue.keys.join(', ')}` : ''}` };
  }
  return { ...where(path), field: fieldName(path), message: issue.message };
}

export function fieldName(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((name, key) => (typeof key === 'number' ? `${name}[${key}]` : name === '' ? String(key) : `${name}.${String(key)}`), '');
}
