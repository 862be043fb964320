import { TransferError } from '../../connectors/errors.js';
import { joinRelative, locationOf, parentOf } from '../../connectors/paths.js';
import type { RemoteFs } from '../../connectors/types.js';
import { firstFreeName } from '../conflict.js';
import { toTransferError } from '../retry.js';

/**
 * Moves `path` (below the destination folder `root`) into the backup folder `backupRoot` (rclone's
 * `--backup-dir`, on the same connection) under the same relative path, by a server-side rename:
 * nothing is downloaded and the file is never out of both places. An earlier backup of the same name
 * is kept too: the newcomer takes the next free name (`a (1).csv`).
 */
export async function moveToBackup(fs: RemoteFs, backupRoot: string, root: string, path: string, signal: AbortSignal): Promise<string> {
  const rename = fs.rename?.bind(fs);
  if (rename === undefined) throw new TransferError('config', `${fs.description} cannot rename files, so nothing can be moved to a backup folder there`);
  const relative = root === '' ? path : path.slice(root.length + 1);
  const wanted = joinRelative(backupRoot, relative);
  await fs.mkdir(parentOf(wanted));
  signal.throwIfAborted();
  const taken = async (candidate: string): Promise<boolean> => (await fs.stat(candidate, signal)) !== undefined;
  const free = (await taken(wanted)) ? await firstFreeName(wanted, taken) : wanted;
  try {
    await rename(path, free);
  } catch (e) {
    const error = toTransferError(e);
    throw new TransferError(error.kind, `${locationOf(fs, path)} could not be moved to the backup folder as ${free}: ${error.message}`, { path, cause: e });
  }
  return free;
}
