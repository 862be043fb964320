import { z } from 'zod';
import { empty } from './emptyPayload.js';
import { runViewSchema } from './historyCommands.js';
import { connectionName } from './models.js';

const rowId = z.number().int().min(1);
const epochMs = z.number().int();
const jobName = z.string().min(1).max(200);

/** What a notice is about: a run that failed, files refused by validation, a file that did not arrive by its deadline. */
export const ATTENTION_EVENT_KINDS = ['failure', 'quarantine', 'sla'] as const;

/** Where an attention item or a notice leads. */
export const attentionTargetSchema = z.discriminatedUnion('kind', [
  /** A run of the history: its files. */
  z.strictObject({ kind: z.literal('run'), runId: rowId }),
  /** The validation log filtered to the job, with one entry opened when there is one to open. */
  z.strictObject({ kind: z.literal('validation'), job: jobName, entryId: rowId.optional() }),
  /** A saved connection, tested again. */
  z.strictObject({ kind: z.literal('connection'), connection: connectionName }),
  /** Schedules paused for every job: resumed. */
  z.strictObject({ kind: z.literal('schedules') }),
  /** A job switched off or late: the Jobs screen. */
  z.strictObject({ kind: z.literal('job'), job: jobName }),
]);
export type AttentionTarget = z.infer<typeof attentionTargetSchema>;

/** A notice the core raises once, when it sees something new go wrong, whoever's process did it. */
export const attentionRaisedSchema = z.strictObject({
  /** Unique per notice, so that a window that hears it twice shows it once. */
  id: z.string().min(1).max(200),
  kind: z.enum(ATTENTION_EVENT_KINDS),
  /** One short line, e.g. "inbound-orders failed". */
  title: z.string(),
  /** A sentence more: the reason, the file, the deadline. */
  text: z.string(),
  at: epochMs,
  target: attentionTargetSchema,
});
export type AttentionRaised = z.infer<typeof attentionRaisedSchema>;

export const ATTENTION_ITEM_KINDS = ['failure', 'quarantine', 'sla', 'connection', 'paused', 'disabled'] as const;

/** One thing on Home that needs someone, with the one action that resolves it. */
export const attentionItemSchema = z.strictObject({
  /** Stable while the problem lasts: `failure:<job>`, `quarantine:<job>`, … */
  key: z.string(),
  kind: z.enum(ATTENTION_ITEM_KINDS),
  title: z.string(),
  text: z.string(),
  /** When it happened or fell due, when there is such a moment. */
  at: epochMs.optional(),
  /** The button's words, e.g. "Open the run". */
  action: z.string(),
  target: attentionTargetSchema,
  /** A failed run can be set aside ("Dismiss") without running its job again. */
  dismissible: z.boolean(),
});
export type AttentionItem = z.infer<typeof attentionItemSchema>;

export const nextRunSchema = z.strictObject({ job: z.string(), at: epochMs });
export type NextRun = z.infer<typeof nextRunSchema>;

export const dayCountSchema = z.strictObject({
  /** The local day, YYYY-MM-DD. */
  day: z.string(),
  /** The day's first instant. */
  start: epochMs,
  moved: z.number().int().min(0),
  refused: z.number().int().min(0),
});
export type DayCountView = z.infer<typeof dayCountSchema>;

export const homeSummarySchema = z.strictObject({
  /** Most urgent first: failures, refused files, late files, connections, paused schedules, jobs switched off. */
  attention: z.array(attentionItemSchema),
  /** Runs started since local midnight, newest first. */
  today: z.array(runViewSchema),
  /** Each scheduled job's next run, soonest first; empty while schedules are paused. */
  next: z.array(nextRunSchema),
  /** The last 30 local days, oldest first, today last. */
  days: z.array(dayCountSchema),
  /** When the summary was made, by the core's clock. */
  at: epochMs,
});
export type HomeSummary = z.infer<typeof homeSummarySchema>;

/** Home: what needs attention now, today's and the next runs, and files moved and refused per day. */
export const HOME_COMMANDS = {
  'home.summary': {
    input: empty,
    output: homeSummarySchema,
  },
  /** Sets a failed run aside: Home stops listing it until its job fails again. */
  'home.dismiss': {
    input: z.strictObject({ runId: rowId }),
    output: empty,
  },
  /** Opens a saved connection afresh, as its next use would; Home lists it until it opens. */
  'home.testConnection': {
    input: z.strictObject({ name: connectionName }),
    output: z.discriminatedUnion('connected', [
      z.strictObject({ connected: z.literal(true) }),
      z.strictObject({ connected: z.literal(false), message: z.string() }),
    ]),
  },
  /** Lets every schedule fire again after "Pause all". */
  'home.resumeSchedules': {
    input: empty,
    output: empty,
  },
} as const;
