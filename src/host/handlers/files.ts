import type { Readable } from 'node:stream';
import { TransferError } from '../../connectors/errors.js';
import { joinRelative, normalizeRelative, parentOf, unsafeNameReason } from '../../connectors/paths.js';
import type { RemoteFs } from '../../connectors/types.js';
import { copyFile } from '../../engine/copyFile.js';
import { DEFAULT_RETRY, toTransferError } from '../../engine/retry.js';
import { TransferStats } from '../../engine/TransferStats.js';
import type { FILES_COMMANDS } from '../../shared/contract/fileCommands.js';
import type { Location } from '../../shared/contract/models.js';
import type { Workspace } from '../../workspace/Workspace.js';
import { StreamSource } from '../StreamSource.js';
import type { HandlersOf, HostContext } from './HostContext.js';
import { droppedPace } from './limits.js';

export function fileHandlers({ connections, listings, changed }: HostContext): HandlersOf<typeof FILES_COMMANDS> {
  return {
    'files.list': async (input) => {
      const fs = await connections.get(input.connection);
      const path = normalizeRelative(input.path);
      const page = await listings.page(input.connection, fs, path, input);
      return { path, total: page.total, offset: input.offset, entries: [...page.entries], refused: [...page.refused] };
    },
    'files.locate': async (input) => {
      const fs = await connections.get(input.connection);
      const index = await listings.locate(input.connection, fs, normalizeRelative(input.path), input);
      return { index: index < 0 ? null : index };
    },
    'files.mkdir': async ({ connection, path }) => {
      const fs = await connections.get(connection);
      await fs.mkdir(normalizeRelative(path));
      changed(connection, parentOf(normalizeRelative(path)));
      return {};
    },
    'files.rename': async ({ connection, from, to }) => {
      const fs = await connections.get(connection);
      const rename = fs.rename?.bind(fs);
      if (rename === undefined) throw new TransferError('unsupported', `${fs.description} cannot rename files`);
      const target = normalizeRelative(to);
      // Renaming onto an existing name would replace that file without a word.
      if ((await fs.stat(target)) !== undefined) throw new TransferError('exists', `${target} already exists: choose another name`, { path: target });
      await rename(normalizeRelative(from), target);
      changed(connection, parentOf(normalizeRelative(from)));
      changed(connection, parentOf(target));
      return {};
    },
    'files.delete': async ({ connection, paths }) => {
      const fs = await connections.get(connection);
      const deleted: string[] = [];
      const failed: Array<{ path: string; message: string }> = [];
      for (const raw of paths) {
        const path = normalizeRelative(raw);
        try {
          const entry = await fs.stat(path);
          if (entry === undefined) throw new TransferError('notFound', `${path} is no longer there`, { path });
          if (entry.kind === 'dir') await fs.rmdir(path);
          else await fs.remove(path);
          deleted.push(path);
        } catch (e) {
          failed.push({ path, message: toTransferError(e).message });
        }
      }
      for (const folder of new Set(paths.map((p) => parentOf(normalizeRelative(p))))) changed(connection, folder);
      return { deleted, failed };
    },
  };
}

/** A file dropped into the browser: streamed through the engine's copy (partial name, size check, publish). */
export async function receiveDropped(fs: RemoteFs, target: Location, name: string, data: Readable, size: number | undefined, workspace: Workspace): Promise<string> {
  const unsafe = unsafeNameReason(name);
  if (unsafe !== undefined) throw new TransferError('unsafeName', `The dropped file's name cannot be used: ${unsafe}`);
  const folder = normalizeRelative(target.path);
  const targetPath = joinRelative(folder, name);
  if ((await fs.stat(targetPath)) !== undefined) throw new TransferError('exists', `${name} already exists in ${folder === '' ? 'this folder' : folder}: rename it or remove the other first`, { path: targetPath });
  const source = new StreamSource(name, data, size);
  const pace = await droppedPace(workspace, target.connection);
  await copyFile({
    source,
    entry: source.entry,
    target: fs,
    decision: { kind: 'copy', targetPath, mode: 'new', reason: 'dropped from the desktop' },
    meter: new TransferStats().start(name, size ?? -1),
    journal: workspace.journal,
    retry: { ...DEFAULT_RETRY, attempts: 1 },
    preserveModifiedTime: false,
    ...(pace === undefined ? {} : { pace }),
  });
  return targetPath;
}
