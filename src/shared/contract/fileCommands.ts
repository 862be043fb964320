import { z } from 'zod';
import { empty } from './emptyPayload.js';
import { connectionName, entrySchema, relativePath, sortSchema } from './models.js';

/** Browsing and changing a folder on any connection. */
export const FILES_COMMANDS = {
  'files.list': {
    input: z.strictObject({
      connection: connectionName,
      path: relativePath,
      offset: z.number().int().min(0),
      /** Rows per page; a grid asks for the rows it shows, and more as it scrolls. */
      limit: z.number().int().min(1).max(5000),
      sort: sortSchema,
      /** Keeps names that contain this text, ignoring case. */
      filter: z.string().max(500).optional(),
      /** Re-reads the folder from the server instead of the host's copy of its listing. */
      refresh: z.boolean().optional(),
    }),
    output: z.strictObject({
      path: relativePath,
      /** Rows that match the filter in the whole folder; a grid's `aria-rowcount`. */
      total: z.number().int(),
      offset: z.number().int(),
      entries: z.array(entrySchema),
      /** Names the server listed that Ferry refuses to use (`..`, separators), with the reason. */
      refused: z.array(z.strictObject({ name: z.string(), reason: z.string() })),
    }),
  },
  'files.locate': {
    input: z.strictObject({
      connection: connectionName,
      path: relativePath,
      sort: sortSchema,
      filter: z.string().max(500).optional(),
      /** Typed letters: the first row whose name starts with them, ignoring case. */
      prefix: z.string().min(1).max(200),
    }),
    /** The row's index in the listing as `files.list` orders it with the same sort and filter; null when none. */
    output: z.strictObject({ index: z.number().int().nullable() }),
  },
  'files.mkdir': {
    input: z.strictObject({ connection: connectionName, path: relativePath.refine((p) => p !== '', 'a folder needs a name') }),
    output: empty,
  },
  'files.rename': {
    input: z.strictObject({ connection: connectionName, from: relativePath, to: relativePath }),
    output: empty,
  },
  'files.delete': {
    input: z.strictObject({ connection: connectionName, paths: z.array(relativePath).min(1).max(100_000) }),
    output: z.strictObject({ deleted: z.array(z.string()), failed: z.array(z.strictObject({ path: z.string(), message: z.string() })) }),
  },
} as const;
