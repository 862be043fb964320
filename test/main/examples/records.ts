import type { CommandInput } from '../../../src/shared/contract/commands.js';
import type { RECORDS_COMMANDS } from '../../../src/shared/contract/recordCommands.js';

type Commands = keyof typeof RECORDS_COMMANDS;

/** One input per command that its schema accepts. */
export const VALID: { [C in Commands]: CommandInput<C> } = {
  'records.search': { connection: 'org', object: 'Account', text: 'ACC-100', limit: 20, offset: 20 },
  'records.names': { connection: 'org', object: 'Account', ids: ['001000000000001AAA', '001000000000002'] },
};

/** One input per command that breaks its schema where a careless page would. */
export const INVALID: Record<Commands, unknown> = {
  'records.search': { connection: 'org', object: 'Account/Acme Corp', text: '   ', limit: 20, offset: 2001 },
  'records.names': { connection: 'org', object: 'Account', ids: ["001' OR Name LIKE '%"] },
};
