import type { CommandInput } from '../../../src/shared/contract/commands.js';
import type { MAPPING_COMMANDS, ProfileDraft } from '../../../src/shared/contract/mappingCommands.js';

type Commands = keyof typeof MAPPING_COMMANDS;

const NORDWIND: ProfileDraft = {
  partner: 'Nordwind Handel GmbH',
  inbound: {
    input: { type: 'csv', delimiter: ';', encoding: 'latin1' },
    mapping: {
      fields: [
        { to: 'order_id', from: 'Bestellnr', transforms: ['trim'], required: true },
        { to: 'order_date', from: 'Bestelldatum', transforms: [{ date: { from: 'dd.MM.yyyy', to: 'yyyy-MM-dd' } }] },
      ],
    },
    output: { type: 'csv', lineEnding: 'lf' },
  },
};

/** One input per command that its schema accepts. */
export const VALID: { [C in Commands]: CommandInput<C> } = {
  'mapping.profiles': {},
  'mapping.read': { name: 'nordwind.yaml' },
  'mapping.preview': { profile: NORDWIND, direction: 'inbound', sample: { kind: 'file', connection: 'partner-sftp', path: 'orders/BESTELLUNG_0001.csv' }, rows: 20 },
  'mapping.save': { name: 'marketplace-a.profile.yaml', profile: NORDWIND },
};

/** One input per command that breaks its schema where a careless page would. */
export const INVALID: Record<Commands, unknown> = {
  'mapping.profiles': { folder: '/etc' },
  'mapping.read': { name: '../connections.json' },
  'mapping.preview': { profile: NORDWIND, direction: 'sideways', sample: { kind: 'text', text: 'Bestellnr\n1\n' }, rows: 20 },
  'mapping.save': { name: 'profiles/../../secrets.yaml', profile: NORDWIND },
};
