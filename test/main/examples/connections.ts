import type { CommandInput } from '../../../src/shared/contract/commands.js';
import type { CONNECTIONS_COMMANDS } from '../../../src/shared/contract/connectionCommands.js';

type Commands = keyof typeof CONNECTIONS_COMMANDS;

/** One input per command that its schema accepts. */
export const VALID: { [C in Commands]: CommandInput<C> } = {
  'connections.list': {},
  'connections.add': { name: 'partner', url: 'sftp://ops@partner.example/outbox', password: 'secret', test: true },
  'connections.test': { name: 'partner' },
  'connections.remove': { name: 'partner' },
};

/** One input per command that breaks its schema where a careless page would. */
export const INVALID: Record<Commands, unknown> = {
  'connections.list': null,
  'connections.add': { name: '', url: 'sftp://ops@partner.example/', test: true },
  'connections.test': { name: 42 },
  'connections.remove': {},
};
