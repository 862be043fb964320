import type { CommandInput } from '../../../src/shared/contract/commands.js';
import type { NAMING_COMMANDS } from '../../../src/shared/contract/namingCommands.js';

type Commands = keyof typeof NAMING_COMMANDS;

/** One input per command that its schema accepts. */
export const VALID: { [C in Commands]: CommandInput<C> } = {};

/** One input per command that breaks its schema where a careless page would. */
export const INVALID: Record<Commands, unknown> = {};
