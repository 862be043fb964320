import { z } from 'zod';
import { empty } from './emptyPayload.js';
import { HOST_KEY_ANSWERS } from './models.js';

/** Answers to the core's questions (a server's key seen for the first time). */
export const PROMPTS_COMMANDS = {
  'prompts.answer': {
    input: z.strictObject({ id: z.string(), answer: z.enum(HOST_KEY_ANSWERS) }),
    output: empty,
  },
} as const;
