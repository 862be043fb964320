import { z } from 'zod';
import { TRANSFER_ERROR_KINDS } from '../model/errorKinds.js';

export const RUN_STATUSES = ['running', 'succeeded', 'partial', 'failed', 'cancelled', 'interrupted'] as const;
export const ITEM_STATUSES = ['pending', 'copied', 'moved', 'skipped', 'failed', 'planned', 'quarantined', 'deleted'] as const;

/** The history's ids are whole numbers from 1. */
const rowId = z.number().int().min(1);
const epochMs = z.number().int();
/** Pages hold up to this many rows: enough to fill a tall window, small enough to answer at once. */
const pageLimit = z.number().int().min(1).max(1000);
/** The name index finds nothing shorter than a trigram. */
const fileName = z
  .string()
  .max(1000)
  .refine((t) => [...t.trim()].length >= 3, 'type at least 3 characters of the file name')
  .refine((t) => !t.includes('/') && !t.includes('\0'), 'a file name has no slash');

export const runFilterSchema = z
  .strictObject({
    job: z.string().min(1).max(200).optional(),
    status: z.enum(RUN_STATUSES).optional(),
    /** Runs that started at or after this time (epoch ms). */
    from: epochMs.optional(),
    /** Runs that started before this time (epoch ms). */
    to: epochMs.optional(),
  })
  .refine((f) => f.from === undefined || f.to === undefined || f.from < f.to, 'the range ends before it starts');
export type RunFilterInput = z.infer<typeof runFilterSchema>;

export const runViewSchema = z.strictObject({
  id: rowId,
  /** The job's name, or `copy` / `move` for a transfer made in the window or with the command line. */
  job: z.string(),
  kind: z.string(),
  source: z.string(),
  target: z.string(),
  startedAt: epochMs,
  finishedAt: epochMs.optional(),
  status: z.enum(RUN_STATUSES),
  dryRun: z.boolean(),
  files: z.number().int(),
  bytes: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  error: z.string().optional(),
});
export type RunView = z.infer<typeof runViewSchema>;

export const itemViewSchema = z.strictObject({
  id: rowId,
  runId: rowId,
  sourcePath: z.string(),
  targetPath: z.string().optional(),
  status: z.enum(ITEM_STATUSES),
  bytes: z.number().int(),
  errorKind: z.enum(TRANSFER_ERROR_KINDS).optional(),
  reason: z.string().optional(),
  /** How the copy was checked: `size`, a hash kind, `boundary`. */
  verifiedBy: z.array(z.string()),
  /** The digest the destination confirmed for what it stored (Salesforce's MD5), `md5:…`. */
  checksum: z.string().optional(),
  /** How long the file took, from its first byte to its check, where Ferry measured it. */
  durationMs: z.number().int().min(0).optional(),
  updatedAt: epochMs,
});
export type ItemView = z.infer<typeof itemViewSchema>;

export const itemHitSchema = z.strictObject({ ...itemViewSchema.shape, job: z.string(), runStartedAt: epochMs });
export type ItemHitView = z.infer<typeof itemHitSchema>;

export const trailStepSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('run'), at: epochMs, item: itemViewSchema, job: z.string(), runKind: z.string(), source: z.string(), target: z.string(), runStatus: z.enum(RUN_STATUSES) }),
  z.strictObject({ kind: z.literal('validation'), at: epochMs, runId: rowId, rule: z.string(), passed: z.boolean(), message: z.string() }),
  z.strictObject({ kind: z.literal('quarantine'), at: epochMs, runId: rowId, action: z.string(), reason: z.string(), location: z.string() }),
]);
export type TrailStepView = z.infer<typeof trailStepSchema>;

/** Any list the history screen shows, as `history.csv` exports it. */
export const historyViewSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('runs'), filter: runFilterSchema }),
  z.strictObject({ kind: z.literal('items'), runId: rowId }),
  z.strictObject({ kind: z.literal('search'), text: fileName }),
  z.strictObject({ kind: z.literal('trail'), name: fileName }),
]);
export type HistoryView = z.infer<typeof historyViewSchema>;

/**
 * What ran: runs, their files, a file name looked for across all runs, one file's way through Ferry,
 * and any of these as CSV. Every list is paged by a key (`next` of one page is the cursor of the next),
 * never by an offset, so the millionth row costs what the first does.
 */
export const HISTORY_COMMANDS = {
  /** Runs newest first. */
  'history.runs': {
    input: z.strictObject({ filter: runFilterSchema, before: rowId.optional(), limit: pageLimit }),
    output: z.strictObject({ runs: z.array(runViewSchema), next: rowId.optional() }),
  },
  /** One run and its files by source path. */
  'history.items': {
    input: z.strictObject({ runId: rowId, status: z.enum(ITEM_STATUSES).optional(), after: z.string().max(4096).optional(), limit: pageLimit }),
    output: z.strictObject({ run: runViewSchema, items: z.array(itemViewSchema), next: z.string().optional() }),
  },
  /** Files whose name holds `text`, in any run, newest first; previews are left out. */
  'history.search': {
    input: z.strictObject({ text: fileName, before: rowId.optional(), limit: pageLimit }),
    output: z.strictObject({ hits: z.array(itemHitSchema), next: rowId.optional() }),
  },
  /** Every run that handled a file of exactly this name, oldest first, with its validations and quarantine events. */
  'history.trail': {
    input: z.strictObject({ name: fileName, after: rowId.optional(), limit: pageLimit }),
    output: z.strictObject({ steps: z.array(trailStepSchema), next: rowId.optional() }),
  },
  /**
   * A view as CSV, a part at a time: the first part (no `cursor`) starts with the header; ask again with
   * `next` until there is none. The window joins the parts into one file.
   */
  'history.csv': {
    input: z.strictObject({ view: historyViewSchema, cursor: z.string().max(4096).optional() }),
    output: z.strictObject({ csv: z.string(), rows: z.number().int().min(0), next: z.string().optional() }),
  },
} as const;
