import type { CommandInput } from '../../../src/shared/contract/commands.js';
import type { LIMITS_COMMANDS } from '../../../src/shared/contract/limitCommands.js';

type Commands = keyof typeof LIMITS_COMMANDS;

/** One input per command that its schema accepts. */
export const VALID: { [C in Commands]: CommandInput<C> } = {
  'limits.get': {},
  'limits.set': { scope: 'connection', connection: 'partner-sftp', limit: '08:00,2M 18:00,off' },
};

/** One input per command that breaks its schema where a careless page would. */
export const INVALID: Record<Commands, unknown> = {
  'limits.get': { scope: 'global' },
  // A unit the parser does not know: refused at the boundary, never saved.
  'limits.set': { scope: 'global', limit: '2 megabytes' },
};
