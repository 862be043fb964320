import type { CommandInput } from '../../../src/shared/contract/commands.js';
import type { PROMPTS_COMMANDS } from '../../../src/shared/contract/promptCommands.js';

type Commands = keyof typeof PROMPTS_COMMANDS;

/** One input per command that its schema accepts. */
export const VALID: { [C in Commands]: CommandInput<C> } = {
  'prompts.list': {},
  'prompts.answer': { id: 'q1', reply: { kind: 'conflict', answer: 'rename', applyToAll: true } },
};

/** One input per command that breaks its schema where a careless page would: an answer of another kind of question. */
export const INVALID: Record<Commands, unknown> = {
  'prompts.list': { kind: 'conflict' },
  'prompts.answer': { id: 'q1', reply: { kind: 'hostKey', answer: 'overwrite' } },
};
