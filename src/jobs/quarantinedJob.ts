import { findJob } from '../cli/commands/jobs.js';
import { TransferError } from '../connectors/errors.js';
import type { QuarantinedFile } from '../history/JobJournal.js';
import { loadJobFile, type LoadedJob } from './definition/loadJob.js';
import type { Workspace } from '../workspace/Workspace.js';

/**
 * The job that refused `files`, to release or return them: the job of that name in Ferry's jobs folder,
 * else the job file its run was read from (recorded since schema 8), so that a job kept elsewhere or
 * moved out of the folder can still be acted on. When neither can be read, the error says where Ferry
 * looked and what to do.
 */
export async function jobOfQuarantined(workspace: Workspace, name: string, files: ReadonlyArray<QuarantinedFile>): Promise<LoadedJob> {
  const folder = workspace.paths.jobs;
  const recorded = [...new Set(files.flatMap((f) => (f.jobFile === undefined ? [] : [f.jobFile])))];
  let inFolder: unknown;
  try {
    return await findJob(workspace, name);
  } catch (e) {
    inFolder = e;
  }
  const problems = [messageOf(inFolder)];
  for (const file of recorded) {
    try {
      const job = await loadJobFile(file);
      if (job.definition.name === name) return job;
      problems.push(`${file}, which ran it, is now the job "${job.definition.name}"`);
    } catch (e) {
      problems.push(`${file}, which ran it, cannot be read: ${messageOf(e)}`);
    }
  }
  const where = recorded.length === 0 ? folder : `${folder} or at ${recorded.join(', ')}`;
  throw new TransferError('config', `The job "${name}" cannot be loaded (${problems.join('; ')}). Put its job file back in ${where}, then try again.`, {
    cause: inFolder,
  });
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
