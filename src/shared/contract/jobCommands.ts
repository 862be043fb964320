import { z } from 'zod';
import { empty } from './emptyPayload.js';
import { RUN_STATUSES } from './historyCommands.js';

const epochMs = z.number().int();
const runId = z.number().int().min(1);
/** A job's name as the job format allows it (letters, digits, ".", "_" or "-"), so it can never name a path. */
export const jobNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'a job name has only letters, digits, ".", "_" or "-"');

export const lastRunSchema = z.strictObject({ id: runId, status: z.enum(RUN_STATUSES), startedAt: epochMs, finishedAt: epochMs.optional() });

/**
 * One job file of the jobs folder. A file that does not load is listed too, with `error` saying why, under
 * its file name: it is never hidden.
 */
export const jobSummarySchema = z.strictObject({
  name: z.string(),
  /** The job file's name in the jobs folder. */
  file: z.string(),
  description: z.string().optional(),
  /** Where the job reads its files: a connection and folder, or a local folder. */
  source: z.string().optional(),
  /** The schedule in words ("Every 15 minutes"); absent for a job that runs only when asked. */
  schedule: z.string().optional(),
  /** When the schedule next fires, given the switches; absent while disabled or paused or without a schedule. */
  nextRunAt: epochMs.optional(),
  /** False once the user disabled it (or its file's schedule says `enabled: false`). */
  enabled: z.boolean(),
  running: z.boolean(),
  /** The last real run (previews aside), from the history. */
  lastRun: lastRunSchema.optional(),
  /** Why the job file does not load: every problem with its line and column. */
  error: z.string().optional(),
});
export type JobSummary = z.infer<typeof jobSummarySchema>;

export const RECORD_MATCHES = ['exact', 'ambiguous', 'none'] as const;

export const plannedDeliverySchema = z.strictObject({
  route: z.string(),
  /** The name the file gets where it lands. */
  name: z.string(),
  /** Where it lands: folder and name, a record's folder, or an HTTP address. */
  target: z.string(),
  status: z.enum(['planned', 'failed', 'delivered']),
  /** Why, in words: "new file on the record", "replaces the existing file (newer)", a failure's reason. */
  detail: z.string(),
  /** For a route that attaches by a naming rule: how the file's record was found. */
  match: z.enum(RECORD_MATCHES).optional(),
  /** The records an ambiguous name points to, so the coordinator can fix the name or the data. */
  candidates: z.array(z.strictObject({ id: z.string(), name: z.string() })).optional(),
  /** True when a file of that name is there already: a new version on Salesforce, a replacement elsewhere. */
  replaces: z.boolean().optional(),
});
export type PlannedDelivery = z.infer<typeof plannedDeliverySchema>;

export const plannedFileSchema = z.strictObject({
  path: z.string(),
  size: z.number().int(),
  /** What the run would do with it. */
  outcome: z.enum(['planned', 'quarantined', 'failed', 'done-before', 'delivered']),
  /** Absent when none of the job's rule sets applies to the file. */
  verdict: z.strictObject({ passed: z.boolean(), reasons: z.array(z.strictObject({ rule: z.string(), message: z.string() })) }).optional(),
  reason: z.string().optional(),
  deliveries: z.array(plannedDeliverySchema),
});
export type PlannedFile = z.infer<typeof plannedFileSchema>;

export const dryRunSchema = z.strictObject({
  job: z.string(),
  /** The preview's entry in the history. */
  runId,
  status: z.enum(RUN_STATUSES),
  files: z.array(plannedFileSchema),
  /** Files seen but not arrived yet (still growing, no marker, …), with why. */
  waiting: z.array(z.strictObject({ path: z.string(), why: z.string() })),
  /** Files the source listed that Ferry will not touch, with why. */
  refused: z.array(z.strictObject({ path: z.string(), why: z.string() })),
  /** For a sync job: each copy or delete it would make, in words. */
  actions: z.array(z.strictObject({ path: z.string(), action: z.string(), reason: z.string() })),
  error: z.string().optional(),
});
export type DryRunView = z.infer<typeof dryRunSchema>;

/** Jobs: the list of saved jobs, run now, dry run, enable and disable. */
export const JOBS_COMMANDS = {
  /** Every job file of the jobs folder, by name, and whether schedules are paused. */
  'jobs.list': {
    input: empty,
    output: z.strictObject({ jobs: z.array(jobSummarySchema), paused: z.boolean() }),
  },
  /**
   * Runs the job now in the host, claimed exactly as the daemon claims it; answers once the run has started,
   * with its id. Refused while the job is running anywhere.
   */
  'jobs.run': {
    input: z.strictObject({ name: jobNameSchema }),
    output: z.strictObject({ runId }),
  },
  /** What a run would do with each file now, moving nothing. */
  'jobs.dryRun': {
    input: z.strictObject({ name: jobNameSchema }),
    output: dryRunSchema,
  },
  /** Switches the job's schedule on or off (running it by hand still works). */
  'jobs.setEnabled': {
    input: z.strictObject({ name: jobNameSchema, enabled: z.boolean() }),
    output: z.strictObject({ enabled: z.boolean() }),
  },
  /** "Pause all" (true) or "Resume" (false) for every schedule. */
  'jobs.pauseSchedules': {
    input: z.strictObject({ paused: z.boolean() }),
    output: z.strictObject({ paused: z.boolean() }),
  },
} as const;
