import type { CommandInput } from '../../../src/shared/contract/commands.js';
import type { HOME_COMMANDS } from '../../../src/shared/contract/homeCommands.js';

type Commands = keyof typeof HOME_COMMANDS;

/** One input per command that its schema accepts. */
export const VALID: { [C in Commands]: CommandInput<C> } = {
  'home.summary': {},
  'home.dismiss': { runId: 12 },
  'home.testConnection': { name: 'partner-sftp' },
  'home.resumeSchedules': {},
};

/** One input per command that breaks its schema where a careless page would. */
export const INVALID: Record<Commands, unknown> = {
  'home.summary': { days: 90 },
  'home.dismiss': { runId: '12' },
  'home.testConnection': { name: '' },
  'home.resumeSchedules': { paused: false },
};
