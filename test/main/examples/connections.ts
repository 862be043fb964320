import type { CommandInput } from '../../../src/shared/contract/commands.js';
import type { CONNECTIONS_COMMANDS } from '../../../src/shared/contract/connectionCommands.js';

type Commands = keyof typeof CONNECTIONS_COMMANDS;

const SITES = '<?xml version="1.0"?><FileZilla3><Servers><Server><Host>ftp.partner.example</Host><Protocol>1</Protocol><User>ops</User><Name>Partner</Name></Server></Servers></FileZilla3>';

/** One input per command that its schema accepts. */
export const VALID: { [C in Commands]: CommandInput<C> } = {
  'connections.list': {},
  'connections.add': { name: 'partner', url: 'sftp://ops@partner.example/outbox', password: 'secret', test: true },
  'connections.get': { name: 'partner' },
  'connections.edit': { name: 'partner', url: 'sftp://ops@partner.example/inbox', password: '', test: false },
  'connections.test': { name: 'partner' },
  'connections.probe': { name: 'partner', url: 'ftpes://ops@partner.example/', password: 'secret', tlsFingerprint: 'AB:CD' },
  'connections.remove': { name: 'partner' },
  'connections.import.preview': { fileName: 'sitemanager.xml', text: SITES },
  'connections.import.apply': { fileName: 'sitemanager.xml', text: SITES, sites: ['0'] },
  'connections.salesforce.signIn': { name: 'org', login: 'custom', loginUrl: 'acme.my.salesforce.com', sdrive: true },
};

/** One input per command that breaks its schema where a careless page would. */
export const INVALID: Record<Commands, unknown> = {
  'connections.list': null,
  'connections.add': { name: '', url: 'sftp://ops@partner.example/', test: true },
  'connections.get': { name: '' },
  'connections.edit': { name: 'partner', url: 'sftp://ops@partner.example/' },
  'connections.test': { name: 42 },
  'connections.probe': { name: 'partner', url: 'sftp://ops@partner.example/', test: true },
  'connections.remove': {},
  'connections.import.preview': { fileName: 'sitemanager.xml', text: 'x'.repeat(5 * 1024 * 1024 + 1) },
  'connections.import.apply': { fileName: 'sitemanager.xml', text: SITES, sites: [] },
  'connections.salesforce.signIn': { name: 'org', login: 'elsewhere', sdrive: false },
};
