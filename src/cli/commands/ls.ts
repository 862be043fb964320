import type { Command } from 'commander';
import { formatBytes, formatTime, visibleName } from '../format.js';
import { print, printJson, warn, type CliIo } from '../io.js';
import { parseLocation } from '../location.js';
import type { Workspace } from '../../workspace/Workspace.js';
import { TransferError } from '../../connectors/errors.js';

interface LsOptions {
  readonly json?: boolean;
  readonly search?: string;
  readonly limit: string;
  readonly page: string;
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 2000) throw new TransferError('config', `${flag} takes a whole number from 1 to 2000`);
  return n;
}

export function registerLsCommand(program: Command, io: CliIo, workspace: () => Workspace): void {
  program
    .command('ls <location>')
    .description('list a folder: <connection>:<path> or a local path')
    .option('--json', 'print JSON')
    .option('--search <text>', 'Salesforce object folders: only records whose name contains this text')
    .option('--limit <n>', 'Salesforce object folders: records per page', '200')
    .option('--page <n>', 'Salesforce object folders: which page of records', '1')
    .action(async (location: string, opts: LsOptions) => {
      const where = parseLocation(location);
      const { fs, path } = await workspace().openLocation(where);
      try {
        const refused: Array<{ name: string; reason: string }> = [];
        const target = await fs.stat(path);
        if (target === undefined) throw new TransferError('notFound', `Not found: ${location}`);
        const limit = positive(opts.limit, '--limit');
        const page = positive(opts.page, '--page');
        // Only a named connection can be Salesforce: a local folder is listed without loading its connector.
        const salesforce = where.kind === 'connection' ? (await import('../../connectors/salesforce/SalesforceFilesFs.js')).SalesforceFilesFs : undefined;
        const records = salesforce !== undefined && fs instanceof salesforce && path.replace(/\/+$/, '').split('/').filter((p) => p !== '').length === 1;
        const listed = records
          ? await fs.listRecords(path, { search: opts.search, limit, offset: (page - 1) * limit })
          : undefined;
        if (listed?.more === true && opts.json !== true) warn(io, `More records follow: add --page ${page + 1}, or narrow with --search.`);
        const entries =
          listed !== undefined
            ? listed.entries
            : target.kind === 'file'
            ? [target]
            : await fs.list(path, { onUnsafeName: (name, reason) => refused.push({ name, reason }) });
        const sorted = [...entries].sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1));
        if (opts.json === true) {
          printJson(io, { entries: sorted, refused });
        } else {
          for (const e of sorted) {
            const size = e.kind === 'dir' ? '<dir>' : formatBytes(e.size);
            const details = e.details === undefined ? '' : `  (${Object.entries(e.details).filter(([k]) => k === 'version' || k === 'md5').map(([k, v]) => `${k} ${v}`).join(', ')})`;
            print(io, `${size.padStart(10)}  ${formatTime(e.modifiedAt)}  ${visibleName(e.name)}${e.kind === 'dir' ? '/' : ''}${details}`);
          }
          for (const r of refused) warn(io, `refused a listed name "${visibleName(r.name)}": ${r.reason}`);
        }
      } finally {
        await fs.close();
      }
    });
}
