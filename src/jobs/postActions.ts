import { TransferError } from '../connectors/errors.js';
import { baseName, joinRelative, normalizeRelative, parentOf } from '../connectors/paths.js';
import type { RemoteFs } from '../connectors/types.js';
import { numberedName } from '../engine/conflict.js';
import { withRetries, DEFAULT_RETRY, toTransferError } from '../engine/retry.js';
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
  if ((await fs.stat(target, signal)) === undefined) return target;
  for (let n = 1; n < 10_000; n++) {
    const candidate = numberedName(target, n);
    if ((await fs.stat(candidate, signal)) === undefined) return candidate;
  }
  throw new TransferError('exists', `No free name next to ${target}`, { path: target });
}

export async function removeIfPresent(fs: RemoteFs, path: string): Promise<void> {
  try {
    await fs.remove(path);
  } catch (e) {
    if (toTransferError(e).kind !== 'notFound') throw e;
  }
}

async function retrying<T>(op: () => Promise<T>, signal: AbortSignal): Promise<T> {
  return withRetries(DEFAULT_RETRY, op, { signal });
}
