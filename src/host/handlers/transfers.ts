import type { TRANSFERS_COMMANDS } from '../../shared/contract/transferCommands.js';
import type { HandlersOf, HostContext } from './HostContext.js';

export function transferHandlers({ transfers }: HostContext): HandlersOf<typeof TRANSFERS_COMMANDS> {
  return {
    'transfers.preview': async (input) => ({ items: [...(await transfers.preview(input))] }),
    'transfers.start': async (input) => ({ id: transfers.start(input) }),
    'transfers.list': async () => ({ transfers: [...transfers.snapshots()], paused: transfers.paused }),
    'transfers.files': async ({ id, offset, limit }) => {
      const files = transfers.files(id);
      return { total: files.length, files: files.slice(offset, offset + limit) };
    },
    'transfers.cancel': async ({ id }) => {
      transfers.cancel(id);
      return {};
    },
    'transfers.cancelFile': async ({ id, source }) => {
      transfers.cancelFile(id, source);
      return {};
    },
    'transfers.retry': async ({ id, source }) => {
      transfers.retry(id, source);
      return {};
    },
    'transfers.pause': async ({ paused }) => {
      transfers.setPaused(paused);
      return {};
    },
    'transfers.clearFinished': async () => ({ ids: [...transfers.clearFinished()] }),
  };
}
