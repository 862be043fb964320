import { z } from 'zod';
import { empty } from './emptyPayload.js';
import { previewItemSchema, relativePath, transferFileSchema, transferRequestSchema, transferSnapshotSchema } from './models.js';

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
    /** `paused`: running files finish, nothing new starts until the queue is resumed. */
    output: z.strictObject({ transfers: z.array(transferSnapshotSchema), paused: z.boolean() }),
  },
  'transfers.files': {
    input: z.strictObject({ id: z.string(), offset: z.number().int().min(0), limit: z.number().int().min(1).max(5000) }),
    output: z.strictObject({ total: z.number().int(), files: z.array(transferFileSchema) }),
  },
  'transfers.cancel': {
    input: z.strictObject({ id: z.string() }),
    output: empty,
  },
  /** Cancels one file of a queued or running batch (by its source path, as `transfers.files` lists it); the others go on. */
  'transfers.cancelFile': {
    input: z.strictObject({ id: z.string(), source: relativePath }),
    output: empty,
  },
  /** Failed files of a finished batch sent again (all, or the one named), recorded in the history as a new run. */
  'transfers.retry': {
    input: z.strictObject({ id: z.string(), source: relativePath.optional() }),
    output: empty,
  },
  'transfers.pause': {
    input: z.strictObject({ paused: z.boolean() }),
    output: empty,
  },
  /** Takes finished batches (done, failed, cancelled) off the queue; their runs stay in the history. */
  'transfers.clearFinished': {
    input: empty,
    output: z.strictObject({ ids: z.array(z.string()) }),
  },
} as const;
