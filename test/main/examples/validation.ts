import type { CommandInput } from '../../../src/shared/contract/commands.js';
import type { VALIDATION_COMMANDS } from '../../../src/shared/contract/validationCommands.js';

type Commands = keyof typeof VALIDATION_COMMANDS;

/** One input per command that its schema accepts. */
export const VALID: { [C in Commands]: CommandInput<C> } = {
  'validation.log': {
    filter: { job: 'inbound', outcome: 'passed', partner: 'ACME', rule: 'csv', name: 'ORD-ACME', from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 10, 8) },
    before: { at: Date.UTC(2026, 10, 5), id: 42 },
    limit: 100,
  },
  'validation.entry': { id: 42 },
  'validation.release': { ids: [42, 43], revalidate: true },
  'validation.return': { ids: [42], note: 'Fix the SKU in line 2 and send it again.' },
};

/** One input per command that breaks its schema where a careless page would. */
export const INVALID: Record<Commands, unknown> = {
  // Two letters: the trigram index behind the name search cannot find them.
  'validation.log': { filter: { name: ' OR ' }, limit: 100 },
  'validation.entry': { id: 0 },
  'validation.release': { ids: [], revalidate: false },
  'validation.return': { ids: [42], note: '   ' },
};
