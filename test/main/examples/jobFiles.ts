import type { CommandInput } from '../../../src/shared/contract/commands.js';
import type { JOB_FILES_COMMANDS } from '../../../src/shared/contract/jobFileCommands.js';

type Commands = keyof typeof JOB_FILES_COMMANDS;

/** One input per command that its schema accepts. */
export const VALID: { [C in Commands]: CommandInput<C> } = {
  'jobFiles.templates': {},
  'jobFiles.template': { name: 'partner-orders-to-erp' },
  'jobFiles.read': { name: 'demo-invoices' },
  'jobFiles.schema': {},
  'jobFiles.check': { text: 'version: 1\nname: orders  # the partner\'s orders\nsource:\n  location: partner-sftp:/out\n' },
  'jobFiles.save': { name: 'orders', text: 'version: 1\nname: orders\n', replaces: 'orders-draft', overwrite: false },
};

/** One input per command that breaks its schema where a careless page would. */
export const INVALID: Record<Commands, unknown> = {
  'jobFiles.templates': { folder: '../../etc' },
  'jobFiles.template': { name: '' },
  'jobFiles.read': { name: 'x'.repeat(65) },
  'jobFiles.schema': { kind: 'job' },
  'jobFiles.check': { text: 'x'.repeat(1024 * 1024 + 1) },
  'jobFiles.save': { name: 'orders', text: 42 },
};
