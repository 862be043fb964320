import { z } from 'zod';

/** The input or output of a command that carries nothing. */
export const empty = z.strictObject({});
