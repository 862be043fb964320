import type { CommandInput } from '../../../src/shared/contract/commands.js';
import type { JOBS_COMMANDS } from '../../../src/shared/contract/jobCommands.js';

type Commands = keyof typeof JOBS_COMMANDS;

/** One input per command that its schema accepts. */
export const VALID: { [C in Commands]: CommandInput<C> } = {
  'jobs.list': {},
  'jobs.run': { name: 'demo-invoices' },
  'jobs.dryRun': { name: 'inbound.orders_v2' },
  'jobs.setEnabled': { name: 'demo-invoices', enabled: false },
  'jobs.pauseSchedules': { paused: true },
};

/** One input per command that breaks its schema where a careless page would. */
export const INVALID: Record<Commands, unknown> = {
  'jobs.list': { folder: '/etc' },
  'jobs.run': { name: '../../etc/passwd' },
  'jobs.dryRun': { name: '' },
  'jobs.setEnabled': { name: 'demo-invoices', enabled: 'no' },
  'jobs.pauseSchedules': {},
};
