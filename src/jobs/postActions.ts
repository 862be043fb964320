import { TransferError } from '../connectors/errors.js';
import { baseName, joinRelative, normalizeRelative, parentOf } from '../connectors/paths.js';
import type { RemoteFs } from '../connectors/types.js';
import { firstFreeName } from '../engine/conflict.js';
import { withRetries, DEFAULT_RETRY } from '../engine/retry.js';
import { removeIfPresent } from '../engine/transfer.js';
import { renderTemplate, type TemplateVars } from '../mapping/template.js';
import type { JobDefinition } from './definition/jobSchema.js';

/**
 * Disposes of a source file once every delivery is verified: kept, deleted, or moved to a folder on
 * the source (e.g. `processed/2026-11`), next to an earlier file of the same name rather than over it. Idempotent, so that a resumed run can repeat it: a file
 * already gone was handled by the interrupted attempt.
 */
export async function disposeSource(
  fs: RemoteFs,
  job: JobDefinition,
  sourcePath: string,
  root: string,
  vars: TemplateVars,
  signal: AbortSignal,
): Promise<'kept' | 'deleted' | 'moved'> {
  const action = job.after.source;
  if (action === 'keep') return 'kept';
  if (action === 'delete') {
    await retrying(() => removeIfPresent(fs, sourcePath), signal);
    return 'deleted';
  }
  const folder = joinRelative(root, normalizeRelative(renderTemplate(action.moveTo, vars)));
  const target = joinRelative(folder, baseName(sourcePath));
  if (fs.rename === undefined) {
    throw new TransferError('unsupported', `${fs.description} cannot rename files, so after.source.moveTo cannot be used; use "delete" or "keep"`);
  }
  const rename = fs.rename.bind(fs);
  await retrying(async () => {
    if ((await fs.stat(sourcePath, signal)) === undefined) return;
    await fs.mkdir(parentOf(target));
    await rename(sourcePath, await freeTarget(fs, target, signal));
  }, signal);
  return 'moved';
}

/** A rename replaces what has the name; a file processed earlier under the same name keeps it and this one is numbered. */
async function freeTarget(fs: RemoteFs, target: string, signal: AbortSignal): Promise<string> {
  const exists = async (path: string): Promise<boolean> => (await fs.stat(path, signal)) !== undefined;
  return (await exists(target)) ? firstFreeName(target, exists) : target;
}

async function retrying<T>(op: () => Promise<T>, signal: AbortSignal): Promise<T> {
  return withRetries(DEFAULT_RETRY, op, { signal });
}
