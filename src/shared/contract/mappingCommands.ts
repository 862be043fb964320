import { z } from 'zod';
import { empty } from './emptyPayload.js';

export const PROFILE_DIRECTIONS = ['inbound', 'outbound'] as const;
export type Direction = (typeof PROFILE_DIRECTIONS)[number];

/** One file in the profiles folder; the same rule as the core's, so no name reaches outside it. */
export const profileNameSchema = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_ .-]*\.ya?ml$/, 'a profile file name: letters, digits, spaces, dots, dashes or underscores, ending in .yaml')
  .refine((name) => !name.includes('..'), 'a profile file name has no ".."');

const label = z.string().max(500);

/** A format's settings or a transform step, as the profile file holds them; the core checks them against the profile schema. */
const setting = z.json();

/**
 * One output column as the editor holds it. Loose where the person is still typing (an empty column
 * name): the core answers with the reason, at the field's path, instead of refusing the whole request.
 */
export const fieldDraftSchema = z.strictObject({
  to: label,
  from: label.optional(),
  value: z.string().max(2000).optional(),
  transforms: z.array(setting).max(50).optional(),
  default: z.string().max(2000).optional(),
  required: z.boolean().optional(),
});
export type FieldDraft = z.infer<typeof fieldDraftSchema>;

export const conversionDraftSchema = z.strictObject({
  input: z.record(z.string().max(100), setting),
  mapping: z
    .strictObject({
      fields: z.array(fieldDraftSchema).max(1000),
      lookups: z.record(label, z.record(label, label)).optional(),
    })
    .optional(),
  output: z.record(z.string().max(100), setting),
});
export type ConversionDraft = z.infer<typeof conversionDraftSchema>;

/** A partner profile as the editor holds it: the file's own structure. */
export const profileDraftSchema = z.strictObject({
  partner: label,
  description: z.string().max(5000).optional(),
  inbound: conversionDraftSchema.optional(),
  outbound: conversionDraftSchema.optional(),
});
export type ProfileDraft = z.infer<typeof profileDraftSchema>;

/** Where a problem of the draft is, from the profile's top (`['inbound', 'mapping', 'fields', 2, 'to']`). */
export const draftProblemSchema = z.strictObject({ path: z.array(z.union([z.string(), z.number()])), message: z.string() });
export type DraftProblem = z.infer<typeof draftProblemSchema>;

/** A sample to try a profile on: a file on a saved connection, or text pasted into the window. */
export const sampleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('file'), connection: z.string().min(1).max(200), path: z.string().min(1).max(4096) }),
  z.strictObject({ kind: z.literal('text'), text: z.string().min(1).max(256 * 1024) }),
]);
export type SampleInput = z.infer<typeof sampleSchema>;

const row = z.record(z.string(), z.string());

export const previewRowSchema = z.strictObject({
  /** Data rows counted from 1, whatever header lines come first: as the messages count them. */
  rowNumber: z.number().int().min(1),
  before: row,
  /** Absent when the row could not be converted. */
  after: row.optional(),
  /** `field` is the converted column the problem is about, `column` the sample's column it was read from. */
  problem: z.strictObject({ field: z.string().optional(), column: z.string().optional(), message: z.string() }).optional(),
});
export type PreviewRow = z.infer<typeof previewRowSchema>;

export const profileSummarySchema = z.strictObject({
  name: profileNameSchema,
  /** The partner the profile names; absent when the file cannot be read as a profile. */
  partner: z.string().optional(),
  directions: z.array(z.enum(PROFILE_DIRECTIONS)),
  /** Why the file cannot be used, naming it. */
  problem: z.string().optional(),
});
export type ProfileSummary = z.infer<typeof profileSummarySchema>;

/** Partner formats: a partner's columns beside Ferry's fields, and a sample file before and after conversion. */
export const MAPPING_COMMANDS = {
  /** The workspace's partner profiles, in the `profiles` folder of its jobs folder, where jobs name them. */
  'mapping.profiles': {
    input: empty,
    output: z.strictObject({ folder: z.string(), profiles: z.array(profileSummarySchema) }),
  },
  /** A profile's file and, when it is valid, its structure; `problem` says why it is not. */
  'mapping.read': {
    input: z.strictObject({ name: profileNameSchema }),
    output: z.strictObject({ name: profileNameSchema, file: z.string(), yaml: z.string(), profile: profileDraftSchema.optional(), problem: z.string().optional() }),
  },
  /**
   * The sample's first `rows` data rows before and after the draft's conversion, with each row's problem at
   * its column, converted by the code a job runs. A draft that is not a valid profile converts nothing and
   * says why at each path.
   */
  'mapping.preview': {
    input: z.strictObject({ profile: profileDraftSchema, direction: z.enum(PROFILE_DIRECTIONS), sample: sampleSchema, rows: z.number().int().min(1).max(200) }),
    output: z.strictObject({
      /** How the sample is named in messages (`partner-sftp:inbox/orders.csv`, `the pasted sample`). */
      sample: z.string(),
      /** Only the sample's beginning was read, because the file is larger than a preview reads. */
      partial: z.boolean(),
      profileProblems: z.array(draftProblemSchema),
      sampleProblems: z.array(z.string()),
      before: z.array(z.string()),
      after: z.array(z.string()),
      rows: z.array(previewRowSchema),
    }),
  },
  /** Writes the profile file, keeping its comments and order; refuses a draft that is not a valid profile, leaving the file as it was. */
  'mapping.save': {
    input: z.strictObject({ name: profileNameSchema, profile: profileDraftSchema }),
    output: z.strictObject({ name: profileNameSchema, file: z.string(), yaml: z.string() }),
  },
} as const;
