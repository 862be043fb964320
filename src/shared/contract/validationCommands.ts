import { z } from 'zod';

export const QUARANTINE_STATES = ['held', 'released', 'returned'] as const;
/** Every outcome of a validation: passed, or refused and then held, released or returned. */
export const VALIDATION_OUTCOMES = ['passed', ...QUARANTINE_STATES] as const;
/** The rule ids of a job's validation, and `route`/`mapping` for files no route or mapping could take. */
export const VALIDATION_RULES = ['name', 'size', 'extension', 'content-type', 'csv', 'json', 'xml', 'companions', 'checksum', 'route', 'mapping'] as const;
/** File names are searched through a trigram index, which needs three characters. */
export const MIN_NAME_SEARCH = 3;

const rowId = z.number().int().min(1);
const epochMs = z.number().int();
/** Pages hold up to this many entries, as the history's do. */
const pageLimit = z.number().int().min(1).max(1000);
/** A selection acted on at once: a screenful or a few, each a run of the job. */
const selection = z.array(rowId).min(1).max(200);

export const validationFilterSchema = z
  .strictObject({
    job: z.string().min(1).max(200).optional(),
    /** passed: every rule held; held: waiting for someone; released: let through (by hand or after passing again); returned: sent back. */
    outcome: z.enum(VALIDATION_OUTCOMES).optional(),
    /** The partner a file came from: its name's `partner` field, or the connection it was read from. */
    partner: z.string().min(1).max(200).optional(),
    /** Files that failed this rule, or passed it. */
    rule: z.string().min(1).max(100).optional(),
    /** Text the file's name holds (any case, anywhere in the name, so its start too). */
    name: z.string().trim().min(MIN_NAME_SEARCH, `a file name is searched from ${MIN_NAME_SEARCH} characters on`).max(200).optional(),
    /** Checked at or after this time (epoch ms). */
    from: epochMs.optional(),
    /** Checked before this time (epoch ms). */
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

/** Another entry of the log, named by its file. */
export const linkedEntrySchema = z.strictObject({ id: rowId, file: z.string() });

export const validationEntrySchema = z.strictObject({
  id: rowId,
  job: z.string(),
  /** The path the file arrived under, relative to the job's source. */
  file: z.string(),
  /** Where Ferry keeps a refused file, or where a passed file was read from: a folder of this machine or `connection:path`. */
  location: z.string(),
  outcome: z.enum(VALIDATION_OUTCOMES),
  reasons: z.array(validationReasonSchema),
  partner: z.string().optional(),
  /** The rules the file failed, or every rule it passed. */
  rules: z.array(z.string()),
  /** The `files` globs of the rule sets that applied. */
  ruleSet: z.string().optional(),
  /** The returned file this one was sent again for. */
  resubmissionOf: linkedEntrySchema.optional(),
  /** The file the partner sent again after this one was returned. */
  resubmittedAs: linkedEntrySchema.optional(),
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
 * The validation log: every validation result, passed or refused, what became of a refused file, and
 * the actions `ferry quarantine` offers (re-validate, release, return to the partner), on one file or a
 * selection. Paged by key.
 */
export const VALIDATION_COMMANDS = {
  /** Validated files newest first. */
  'validation.log': {
    input: z.strictObject({ filter: validationFilterSchema, before: validationCursorSchema.optional(), limit: pageLimit }),
    output: z.strictObject({ entries: z.array(validationEntrySchema), next: validationCursorSchema.optional() }),
  },
  /** One validated file: its reasons with their places, its links, and (when refused) the file's first lines as text. */
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
