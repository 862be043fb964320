import type { CommandInput } from '../../../src/shared/contract/commands.js';
import type { PROMPTS_COMMANDS } from '../../../src/shared/contract/promptCommands.js';

type Commands = keyof typeof PROMPTS_COMMANDS;

/** One input per command that its schema accepts. */
export const VALID: { [C in Commands]: CommandInput<C> } = {
  'prompts.answer': { id: 'q1', answer: 'once' },
};

/** One input per command that breaks its schema where a careless page would. */
export const INVALID: Record<Commands, unknown> = {
  'prompts.answer': { id: 'q1', answer: 'maybe' },
};
