import { TransferError } from '../../connectors/errors.js';
import { canSearchRecords, type RecordSearch, type RemoteFs } from '../../connectors/types.js';
import type { RECORDS_COMMANDS } from '../../shared/contract/recordCommands.js';
import type { HandlersOf, HostContext } from './HostContext.js';

export function recordHandlers({ connections }: HostContext): HandlersOf<typeof RECORDS_COMMANDS> {
  const searchable = async (connection: string): Promise<RemoteFs & RecordSearch> => {
    const fs = await connections.get(connection);
    if (!canSearchRecords(fs)) throw new TransferError('unsupported', `${connection} is not a Salesforce connection: it has no records to search`);
    return fs;
  };
  return {
    'records.search': async ({ connection, object, text, limit, offset }) => {
      const fs = await searchable(connection);
      const found = await fs.searchRecords(object, text.trim(), { offset: offset ?? 0, limit });
      return { records: found.records.map((r) => ({ id: r.id, name: r.name, path: r.path, fields: { ...r.fields } })), more: found.more };
    },
    'records.names': async ({ connection, object, ids }) => {
      const fs = await searchable(connection);
      return { names: Object.fromEntries(await fs.recordNames(object, ids)) };
    },
  };
}
