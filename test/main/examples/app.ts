import type { CommandInput } from '../../../src/shared/contract/commands.js';
import type { APP_COMMANDS } from '../../../src/shared/contract/appCommands.js';

type Commands = keyof typeof APP_COMMANDS;

/** One input per command that its schema accepts. */
export const VALID: { [C in Commands]: CommandInput<C> } = {
  'app.info': {},
};

/** One input per command that breaks its schema where a careless page would. */
export const INVALID: Record<Commands, unknown> = {
  'app.info': { verbose: true },
};
