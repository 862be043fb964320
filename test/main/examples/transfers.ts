import type { CommandInput } from '../../../src/shared/contract/commands.js';
import type { TRANSFERS_COMMANDS } from '../../../src/shared/contract/transferCommands.js';

const transfer: CommandInput<'transfers.start'> = {
  source: { connection: 'partner', paths: ['outbox/a.csv', 'outbox/b.csv'] },
  target: { connection: '@computer', path: 'home/ops/inbox' },
  move: false,
  conflict: 'changed',
};

type Commands = keyof typeof TRANSFERS_COMMANDS;

/** One input per command that its schema accepts. */
export const VALID: { [C in Commands]: CommandInput<C> } = {
  'transfers.preview': transfer,
  'transfers.start': transfer,
  'transfers.list': {},
  'transfers.files': { id: 't1', offset: 0, limit: 50 },
  'transfers.cancel': { id: 't1' },
  'transfers.cancelFile': { id: 't1', source: 'outbox/a.csv' },
  'transfers.retry': { id: 't1' },
  'transfers.pause': { paused: true },
  'transfers.clearFinished': {},
};

/** One input per command that breaks its schema where a careless page would. */
export const INVALID: Record<Commands, unknown> = {
  'transfers.preview': { ...transfer, conflict: 'clobber' },
  'transfers.start': { ...transfer, move: 'yes' },
  'transfers.list': [],
  'transfers.files': { id: 't1', offset: -1, limit: 50 },
  'transfers.cancel': { id: 7 },
  'transfers.cancelFile': { id: 't1', source: 'outbox/\0a.csv' },
  'transfers.retry': { id: 't1', source: 42 },
  'transfers.pause': { paused: 'yes' },
  'transfers.clearFinished': { ids: ['t1'] },
};
