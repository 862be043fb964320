import { z } from 'zod';

export const QUARANTINE_STATES = ['held', 'released', 'returned'] as const;

const rowId = z.number().int().min(1);
const epochMs = z.number().int();
/** Pages hold up to this many entries, as the history's do. */
const pageLimit = z.number().int().min(1).max(1000);
/** A selection acted on at once: a screenful or a few, each a run of the job. */
const selection = z.array(rowId).min(1).max(200);

export const validationFilterSchema = z
  .strictObject({
    job: z.string().min(1).max(200).optional(),
    /** held: waiting for someone; released: let through (by hand or after passing again); returned: sent back. */
    outcome: z.enum(QUARANTINE_STATES).optional(),
    /** Refused at or after this time (epoch ms). */
    from: epochMs.optional(),
    /** Refused before this time (epoch ms). */
    to: epochMs.optional(),
  })
  .refine((f) => f.from === undefined || f.to === undefined || f.from < f.to, 'the range ends before it starts');
export type ValidationFilterInput = z.infer<typeof validationFilterSchema>;

/** Where the log's previous page ended. */
export const validationCursorSchema = z.strictObject({ at: epochMs, id: rowId });
export type ValidationCursor = z.infer<typeof validationCursorSchema>;

export const validationReasonSchema = z.strictObject({
  rule: z.string(),
  message: z.string(),
  /** Where in the file the problem is, when the rule could tell (lines and columns count from 1). */
  line: z.number().int().min(1).optional(),
  column: z.number().int().min(1).optional(),
});
export type ValidationReasonView = z.infer<typeof validationReasonSchema>;

export const validationEntrySchema = z.strictObject({
  id: rowId,
  job: z.string(),
  /** The path the file arrived under, relative to the job's source. */
  file: z.string(),
  /** Where Ferry keeps the refused file: a folder of this machine or `connection:path`. */
  location: z.string(),
  outcome: z.enum(QUARANTINE_STATES),
  reasons: z.array(validationReasonSchema),
  at: epochMs,
  updatedAt: epochMs,
});
export type ValidationEntryView = z.infer<typeof validationEntrySchema>;

export const validationActionResultSchema = z.strictObject({
  id: rowId,
  file: z.string(),
  /** released: delivered; still-invalid: held with the new reasons; returned: with its note; failed: see detail. */
  outcome: z.enum(['released', 'still-invalid', 'returned', 'failed']),
  detail: z.string(),
});
export type ValidationActionResult = z.infer<typeof validationActionResultSchema>;

/**
 * The validation log: every file validation refused, what became of it, and the actions `ferry quarantine`
 * offers (re-validate, release, return to the partner), on one file or a selection. Paged by key.
 */
export const VALIDATION_COMMANDS = {
  /** Refused files newest first. */
  'validation.log': {
    input: z.strictObject({ filter: validationFilterSchema, before: validationCursorSchema.optional(), limit: pageLimit }),
    output: z.strictObject({ entries: z.array(validationEntrySchema), next: validationCursorSchema.optional() }),
  },
  /** One refused file: its reasons with their places and the file's first lines as text. */
  'validation.entry': {
    input: z.strictObject({ id: rowId }),
    output: z.strictObject({ entry: validationEntrySchema, firstLines: z.array(z.string()), binary: z.boolean() }),
  },
  /**
   * Sends held files through their job: `revalidate` checks them against the job's current rules first
   * (those that still fail stay held with the new reasons); without it they are let through as they are.
   */
  'validation.release': {
    input: z.strictObject({ ids: selection, revalidate: z.boolean() }),
    output: z.strictObject({ results: z.array(validationActionResultSchema) }),
  },
  /** Sends held files back to the partner (the job's `quarantine.returnTo`) with a rejection note and this text. */
  'validation.return': {
    input: z.strictObject({ ids: selection, note: z.string().trim().min(1).max(2000).optional() }),
    output: z.strictObject({ results: z.array(validationActionResultSchema) }),
  },
} as const;
