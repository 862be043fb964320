import type { Command } from 'commander';
import { formatBytes, formatTime } from '../format.js';
import { print, warn, type CliIo } from '../io.js';
import { parseLocation } from '../location.js';
import type { Workspace } from '../../workspace/Workspace.js';
import { TransferError } from '../../connectors/errors.js';

export function registerLsCommand(program: Command, io: CliIo, workspace: () => Workspace): void {
  program
    .command('ls <location>')
    .description('list a folder: <connection>:<path> or a local path')
    .option('--json', 'print JSON')
    .action(async (location: string, opts: { json?: boolean }) => {
      const { fs, path } = await workspace().openLocation(parseLocation(location));
      try {
        const refused: string[] = [];
        const target = await fs.stat(path);
        if (target === undefined) throw new TransferError('notFound', `Not found: ${location}`);
        const entries =
          target.kind === 'file'
            ? [target]
            : await fs.list(path, { onUnsafeName: (name, reason) => refused.push(`${JSON.stringify(name)}: ${reason}`) });
        const sorted = [...entries].sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1));
        if (opts.json === true) {
          print(io, JSON.stringify({ entries: sorted, refused }, null, 2));
        } else {
          for (const e of sorted) {
            const size = e.kind === 'dir' ? '<dir>' : formatBytes(e.size);
            print(io, `${size.padStart(10)}  ${formatTime(e.modifiedAt)}  ${e.name}${e.kind === 'dir' ? '/' : ''}`);
          }
          for (const r of refused) warn(io, `refused a listed name ${r}`);
        }
      } finally {
        await fs.close();
      }
    });
}
