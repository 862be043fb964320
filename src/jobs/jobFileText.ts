import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { TransferError } from '../connectors/errors.js';
import { checkJobDraft, type ConnectionExists } from './definition/checkJobDraft.js';
import { JOB_NAME } from './definition/jobSchema.js';
import type { JobProblem } from './definition/loadJob.js';
import { jobFiles } from '../workspace/jobFileNames.js';

/** A job file of the jobs folder, as the editor opens it. */
export interface JobFileText {
  readonly name: string;
  readonly path: string;
  readonly text: string;
}

export interface SaveJobRequest {
  /** The job's name: its file in the jobs folder is `<name>.yaml` (or the file it already has). */
  readonly name: string;
  readonly text: string;
  /** The name the job was opened under, when it is being renamed or saved again: its own file is not "another job". */
  readonly replaces?: string | undefined;
  /** Write over another job of this name. */
  readonly overwrite: boolean;
}

/** The jobs folder's jobs by their file names; the names of the jobs in `ferry run <name>`. */
export async function jobNames(dir: string): Promise<Set<string>> {
  return new Set((await jobFiles(dir)).map((file) => basename(file, extname(file))));
}

export async function readJobText(dir: string, name: string): Promise<JobFileText> {
  const path = await jobFileOf(dir, safeName(name));
  if (path === undefined) throw new TransferError('notFound', `There is no job named "${name}" in ${dir}`);
  return { name, path, text: await readFile(path, 'utf8') };
}

/**
 * Writes a job into the jobs folder once it passes the checks `ferry run` makes, through a temporary
 * file renamed over the old one, so a reader never sees half a job. Connections it names that do not
 * exist yet do not stop it: they come back as problems, to be made next.
 */
export async function saveJobText(dir: string, request: SaveJobRequest, connectionExists: ConnectionExists): Promise<JobFileText & { readonly problems: ReadonlyArray<JobProblem> }> {
  const name = safeName(request.name);
  const existing = await jobFileOf(dir, name);
  const own = request.replaces !== undefined && safeName(request.replaces) === name;
  if (existing !== undefined && !own && !request.overwrite) {
    throw new TransferError('exists', `Another job is already named "${name}" (${existing}): choose another name, or replace it`, { path: existing });
  }
  const path = existing ?? join(dir, `${name}.yaml`);
  const check = await checkJobDraft(request.text, path, connectionExists);
  if (check.blocking.length > 0) {
    throw new TransferError('config', `${path} was not saved: ${check.blocking.map((p) => `line ${p.line}, ${p.field === '' ? '' : `${p.field}: `}${p.message}`).join('; ')}`);
  }
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `.${name}.${process.pid}.saving`);
  await writeFile(temporary, request.text, { flag: 'w', mode: 0o600 });
  await rename(temporary, path);
  if (request.replaces !== undefined && !own) {
    const old = await jobFileOf(dir, safeName(request.replaces));
    if (old !== undefined && old !== path) await rm(old);
  }
  return { name, path, text: request.text, problems: check.problems };
}

/** A job name that names a file of the jobs folder and nothing outside it. */
function safeName(name: string): string {
  if (!JOB_NAME.test(name) || name.includes('..')) {
    throw new TransferError('config', `"${name}" cannot name a job file: a job name is up to 64 letters, digits, ".", "_" or "-", starting with a letter or digit, and names no folder`);
  }
  return name;
}

async function jobFileOf(dir: string, name: string): Promise<string | undefined> {
  return (await jobFiles(dir)).find((file) => basename(file, extname(file)) === name);
}
