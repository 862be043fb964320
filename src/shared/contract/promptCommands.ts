import { z } from 'zod';
import { empty } from './emptyPayload.js';
import { promptReplySchema, promptSchema } from './models.js';

/** The core's open questions, and their answers; an answer's kind must be its question's (see `Prompts.answer`). */
export const PROMPTS_COMMANDS = {
  /** Questions still open: a window opened (or reloaded) while one waits shows it too. */
  'prompts.list': {
    input: empty,
    output: z.strictObject({ prompts: z.array(promptSchema) }),
  },
  'prompts.answer': {
    input: z.strictObject({ id: z.string().max(100), reply: promptReplySchema }),
    output: empty,
  },
} as const;
