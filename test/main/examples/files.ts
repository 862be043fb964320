import type { CommandInput } from '../../../src/shared/contract/commands.js';
import type { FILES_COMMANDS } from '../../../src/shared/contract/fileCommands.js';

type Commands = keyof typeof FILES_COMMANDS;

/** One input per command that its schema accepts. */
export const VALID: { [C in Commands]: CommandInput<C> } = {
  'files.list': { connection: 'partner', path: 'outbox', offset: 0, limit: 100, sort: { by: 'name', direction: 'asc' }, filter: 'csv' },
  'files.locate': { connection: 'partner', path: 'outbox', sort: { by: 'modifiedAt', direction: 'desc' }, filter: 'inv', prefix: 'INV-2' },
  'files.mkdir': { connection: 'partner', path: 'outbox/new' },
  'files.rename': { connection: 'partner', from: 'outbox/a.csv', to: 'outbox/b.csv' },
  'files.delete': { connection: 'partner', paths: ['outbox/a.csv'] },
};

/** One input per command that breaks its schema where a careless page would. */
export const INVALID: Record<Commands, unknown> = {
  'files.list': { ...VALID['files.list'], limit: 0 },
  'files.locate': { ...VALID['files.locate'], prefix: '' },
  'files.mkdir': { connection: 'partner', path: '' },
  'files.rename': { connection: 'partner', from: 'outbox/a\0.csv', to: 'outbox/b.csv' },
  'files.delete': { connection: 'partner', paths: [] },
};
