import type { CommandInput } from '../../../src/shared/contract/commands.js';
import type { NAMING_COMMANDS } from '../../../src/shared/contract/namingCommands.js';

type Commands = keyof typeof NAMING_COMMANDS;

/** One input per command that its schema accepts. */
export const VALID: { [C in Commands]: CommandInput<C> } = {
  'naming.try': {
    rule: 'INV-{AccountNumber}-{*}',
    target: { connection: 'org', object: 'Account' },
    source: { connection: 'partner-sftp', path: 'invoices' },
    names: ['INV-ACC-10001-2026-11-02.csv'],
  },
  'naming.routes': {},
  'naming.save': { file: 'invoices.yaml', route: 'to-accounts', rule: 'INV-{AccountNumber}-{date}.pdf' },
};

/** One input per command that breaks its schema where a careless page would. */
export const INVALID: Record<Commands, unknown> = {
  'naming.try': { rule: 'INV-{AccountNumber}-{*}', target: { connection: 'org', object: 'Account/Acme Corp' }, names: [''] },
  'naming.routes': { jobs: '/etc' },
  'naming.save': { file: 'invoices.yaml', route: 'to-accounts', rule: '' },
};
