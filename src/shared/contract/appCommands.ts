import { z } from 'zod';
import { empty } from './emptyPayload.js';

/** What the window asks about the host itself. */
export const APP_COMMANDS = {
  'app.info': {
    input: empty,
    output: z.strictObject({ version: z.string(), host: z.enum(['web', 'electron']), dataFolder: z.string() }),
  },
} as const;
