import { z } from 'zod';

/** A job's name as the jobs folder holds it; the core refuses one that would name a path. */
const jobName = z.string().min(1).max(64);
/** A job file is refused above 1 MiB when read; a draft is held to the same. */
const jobText = z.string().max(1024 * 1024);

export const jobProblemSchema = z.strictObject({
  /** The field, as the job's path to it: `routes[1].attachBy`; empty for the file as a whole. */
  field: z.string(),
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  message: z.string(),
});
export type JobProblemView = z.infer<typeof jobProblemSchema>;

export const jobTemplateSchema = z.strictObject({
  name: z.string(),
  /** The example folder it comes from, e.g. `01-partner-orders-to-erp`. */
  flow: z.string(),
  description: z.string(),
});
export type JobTemplateView = z.infer<typeof jobTemplateSchema>;

/** The job editor: templates, reading a job file, checking a draft as the user types, saving it with its comments kept. */
export const JOB_FILES_COMMANDS = {
  /** The example flows a new job can start from. */
  'jobFiles.templates': {
    input: z.strictObject({}),
    output: z.strictObject({ templates: z.array(jobTemplateSchema) }),
  },
  /** An example flow's job text, renamed to a name no job has yet. */
  'jobFiles.template': {
    input: z.strictObject({ name: jobName }),
    output: z.strictObject({ name: jobName, text: jobText }),
  },
  /** A saved job's text, as written, and its file. */
  'jobFiles.read': {
    input: z.strictObject({ name: jobName }),
    output: z.strictObject({ name: jobName, path: z.string(), text: jobText }),
  },
  /** The job format as JSON Schema, which the editor builds its form from. */
  'jobFiles.schema': {
    input: z.strictObject({}),
    output: z.strictObject({ schema: z.record(z.string(), z.unknown()) }),
  },
  /** Every problem of a draft, where it is: the checks `ferry run` makes, and connections that do not exist here. */
  'jobFiles.check': {
    input: z.strictObject({ text: jobText }),
    output: z.strictObject({ problems: z.array(jobProblemSchema) }),
  },
  /**
   * Writes the job into the jobs folder, once it passes the checks `ferry run` makes. Another job of the
   * same name is kept unless `overwrite`; `replaces` names the job this one was opened as (its file is
   * renamed when the name changed). The answer lists what is still to do, such as connections to make.
   */
  'jobFiles.save': {
    input: z.strictObject({ name: jobName, text: jobText, replaces: jobName.optional(), overwrite: z.boolean().default(false) }),
    output: z.strictObject({ name: jobName, path: z.string(), problems: z.array(jobProblemSchema) }),
  },
} as const;
