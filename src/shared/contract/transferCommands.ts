import { z } from 'zod';
import { empty } from './emptyPayload.js';
import { previewItemSchema, transferFileSchema, transferRequestSchema, transferSnapshotSchema } from './models.js';

/** Copies and moves: their preview, the queue and its controls. */
export const TRANSFERS_COMMANDS = {
  'transfers.preview': {
    input: transferRequestSchema,
    output: z.strictObject({ items: z.array(previewItemSchema) }),
  },
  'transfers.start': {
    input: transferRequestSchema,
    output: z.strictObject({ id: z.string() }),
  },
  'transfers.list': {
    input: empty,
    output: z.strictObject({ transfers: z.array(transferSnapshotSchema) }),
  },
  'transfers.files': {
    input: z.strictObject({ id: z.string(), offset: z.number().int().min(0), limit: z.number().int().min(1).max(5000) }),
    output: z.strictObject({ total: z.number().int(), files: z.array(transferFileSchema) }),
  },
  'transfers.cancel': {
    input: z.strictObject({ id: z.string() }),
    output: empty,
  },
} as const;
