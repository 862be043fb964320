import { z } from 'zod';
import { CONFLICT_POLICIES } from '../../engine/conflict.js';
import { bandwidthText } from '../../shared/model/bandwidthSchema.js';
import { conversionSchema } from '../../mapping/profile.js';
import { notificationRuleSchema } from '../../notify/config.js';
import { scheduleConfigSchema, slaConfigSchema } from '../../schedule/config.js';
import { validationConfigSchema } from '../../validation/config.js';
import { jobLocation, pathBelow, pathField, type Below } from './jobPaths.js';

/** The job file format this Ferry reads and writes; a file with another `version` is refused. */
export const JOB_FORMAT_VERSION = 1;

/** What a job or route name may be: it names files and folders, so never a path. */
export const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** What upload tools write while a file is still arriving: never picked up. */
export const DEFAULT_IGNORED = ['*.part', '*.partial', '*.tmp', '*.temp', '*.filepart', '*.crdownload', '*.!ut', '~*', '.*'];

const location = pathField(z.string().min(1), jobLocation).describe(
  'A saved connection and a path in it ("partner-ftp:/outbox", "org:Account/"), or a folder on this machine; ' +
    "a relative folder is resolved against the job file's folder.",
);

const duration = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d)$/, 'a duration such as "30s", "15m", "2h" or "1d"')
  .describe('A duration: a number and a unit, ms, s, m, h or d, e.g. "30s".');

const template = z
  .string()
  .min(1)
  .describe(
    'A name template: {name}, {stem}, {ext}, {dir}, {capture.X} (or {X}), {record.Field}, {field.Column}, {date:yyyyMMdd}, ' +
      '{mtime:yyyy-MM-dd}, {counter:4}, {run}; modifiers |upper |lower |trim |slug.',
  );

// Paths below one of the job's folders, each read in the form a run uses it.
const templateBelow = (below: Below): z.ZodString => pathField(template, (text) => pathBelow(text, below));
const deliveredName = templateBelow({ names: 'file', is: "a file below the route's destination folder" });
const folderBelowSource = templateBelow({ names: 'folder', is: 'a folder below the source folder' });
const fileBelowSource = pathField(z.string().min(1), (text) => pathBelow(text, { names: 'file', is: 'a file below the source folder' }));

const size = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'a size such as "10MB" or "512 KiB"')])
  .describe('Bytes, or a number and a unit: B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024).');

const scopedValidationSchema = validationConfigSchema
  .extend({ files: z.string().min(1).default('*').describe('Glob on the file name: the rules apply to the files it matches ("*.csv").') })
  .describe('Rules for the files whose name matches `files`.');

const sourceSchema = z
  .strictObject({
    location,
    recursive: z.boolean().default(false).describe('Take files from subfolders too; their relative path is kept.'),
    include: z
      .array(z.string().min(1))
      .default(['**'])
      .describe('Globs on the path below the source folder; a file must match one. Default: every file.'),
    exclude: z.array(z.string().min(1)).default([]).describe('Globs on the path below the source folder; a matching file is never taken.'),
    records: z
      .strictObject({
        where: z.string().min(1).optional().describe("A SOQL condition the records must meet, e.g. \"Approval_Status__c = 'Approved'\"."),
        fields: z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9_.]*$/)).default([]).describe('Record fields to read, usable as {record.Field} in templates and companion files.'),
      })
      .optional()
      .describe('For a Salesforce source ("org:Opportunity"): take only the files of records that meet a condition.'),
    maxFiles: z.int().positive().optional().describe('Take at most this many files per run; the rest wait for the next run.'),
  })
  .describe('Where the files come from.');

const manifestSchema = z
  .strictObject({
    name: z.string().min(1).describe('Glob of the manifest file name, e.g. "manifest-*.csv".'),
    format: z
      .enum(['sums', 'csv', 'json'])
      .default('sums')
      .describe('"sums": lines of "<checksum>  <name>" (sha256sum output) or plain names; "csv": columns name[,size][,checksum]; "json": [{name, size?, checksum?}].'),
    checksum: z.enum(['md5', 'sha1', 'sha256']).optional().describe('The algorithm of the listed checksums, which are then verified.'),
  })
  .describe('A manifest lists the expected set: nothing is taken until every listed file is present.');

const arrivalSchema = z
  .strictObject({
    stableFor: duration
      .default('5s')
      .describe('A file is taken only when its size and modification time stayed the same over this interval ("0s" turns the check off).'),
    ignore: z.array(z.string().min(1)).default(DEFAULT_IGNORED).describe('Globs of names that are still being written (partial uploads): never taken.'),
    doneFile: templateBelow({ names: 'name', is: "a name in the file's own folder" })
      .optional()
      .describe('A marker that must exist before a file is taken, e.g. "{name}.done"; it is removed with the file.'),
    trigger: fileBelowSource.optional().describe('A file whose presence releases the whole folder, e.g. "READY"; removed after a successful run.'),
    manifest: manifestSchema.optional(),
    expect: z.array(slaConfigSchema).default([]).describe('Files expected by a deadline: an alert goes out when one has not arrived.'),
  })
  .describe('When a file counts as arrived.');

const quarantineSchema = z
  .strictObject({
    location: location.optional().describe("Where rejected files are kept; default: the quarantine folder in Ferry's data folder."),
    returnTo: location.optional().describe('Where "quarantine return" sends a rejected file back to the partner, e.g. "partner-ftp:/rejected".'),
    note: templateBelow({ names: 'name', is: 'a name next to the returned file' })
      .default('{name}.rejected.txt')
      .describe('Name of the rejection note written next to a returned file.'),
  })
  .describe('What happens to files that fail validation.');

const whenSchema = z
  .strictObject({
    name: z.string().min(1).optional().describe('Glob on the file name.'),
    path: z.string().min(1).optional().describe('Glob on the path below the source folder.'),
    minSize: size.optional(),
    maxSize: size.optional(),
    captures: z.record(z.string(), z.string()).optional().describe('Capture name → regular expression its value must fully match.'),
    content: z
      .strictObject({
        column: z.string().min(1).describe('A column (CSV), key (JSON) or element (XML) of the first record.'),
        equals: z.string().optional(),
        in: z.array(z.string()).optional(),
        matches: z.string().optional().describe('A regular expression the value must fully match.'),
      })
      .optional()
      .describe('A condition on a field of the file\'s first record, read with validate.csv settings for CSV files.'),
  })
  .describe('Which files take this route; every condition given must hold.');

const httpSchema = z
  .strictObject({
    url: z.string().regex(/^https?:\/\//, 'an http or https URL').describe('The endpoint; may contain name-template placeholders.'),
    method: z.enum(['POST', 'PUT']).default('POST'),
    as: z.enum(['body', 'multipart']).default('body').describe('"body": the file is the request body; "multipart": a form with a "file" part.'),
    headers: z.record(z.string(), z.string()).default({}),
    secretHeaders: z.record(z.string(), z.string()).default({}).describe('Header → name of a secret in Ferry\'s secret store (the value never appears in the job file).'),
  })
  .describe('Deliver by HTTP, as ERP, PIM, DAM and order systems take files. Each request carries an Idempotency-Key that stays the same when a delivery is retried.');

const convertSchema = z
  .union([
    z.strictObject({
      profile: z.string().min(1).describe('A partner profile file, relative to the job file.'),
      direction: z.enum(['inbound', 'outbound']).describe('inbound: partner format → internal; outbound: internal → partner format.'),
    }),
    conversionSchema,
  ])
  .describe('Converts the file\'s content: a partner profile, or an inline {input, mapping, output}.');

const companionSchema = z
  .strictObject({
    name: deliveredName.default('{stem}.json').describe('Name of the companion file, delivered next to the file.'),
    format: z.enum(['json', 'csv']).default('json'),
    fields: z.record(z.string(), template).describe('Output field → template, e.g. {"Account": "{record.Name}", "Closed": "{record.CloseDate}"}.'),
  })
  .describe('A metadata file delivered with each file.');

const routeSchema = z
  .strictObject({
    name: z.string().regex(JOB_NAME, 'letters, digits, ".", "_" or "-"').describe('Names the route in previews and history.'),
    when: whenSchema.optional(),
    to: location.optional().describe('Destination folder; may contain name-template placeholders ("erp:/in/{capture.type}/").'),
    http: httpSchema.optional(),
    attachBy: z
      .string()
      .min(1)
      .optional()
      .describe("Salesforce destination: the record each file belongs to, by a naming rule such as 'INV-{AccountNumber}-{*}.pdf' or '{AccountNumber}/{**}'."),
    rename: deliveredName.optional().describe('The delivered name; overrides the job\'s rename for this route.'),
    convert: convertSchema.optional(),
    companion: companionSchema.optional(),
    conflict: z
      .enum(CONFLICT_POLICIES)
      .default('changed')
      .describe('When the destination file exists: changed (replace unless size and time match), overwrite, skip, rename, newer. On Salesforce, a replaced file becomes a new version.'),
  })
  .refine((r) => (r.to === undefined) !== (r.http === undefined), { message: 'a route needs exactly one of "to" and "http"' })
  .refine((r) => r.attachBy === undefined || r.to !== undefined, { message: '"attachBy" needs a Salesforce "to"' });

const afterSchema = z
  .strictObject({
    source: z
      .union([z.enum(['keep', 'delete']), z.strictObject({ moveTo: folderBelowSource.describe('A folder below the source folder, e.g. "processed/{date:yyyy-MM}".') })])
      .default('keep')
      .describe('What becomes of a source file once every delivery is verified. Kept files are remembered and not taken again unless they change.'),
    markRecords: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .optional()
      .describe('Salesforce source: fields written on each record once all its files are delivered, e.g. {"Exported__c": true}.'),
  })
  .describe('Post-actions.');

const syncSchema = z
  .strictObject({
    to: location.describe("The folder that becomes a mirror of the source folder, e.g. \"archive-sftp:/mirror\"."),
    compare: z
      .enum(['size-and-time', 'size', 'checksum'])
      .default('size-and-time')
      .describe('How an unchanged file is told: "size-and-time" (then a hash or what Ferry wrote where times cannot tell), "size" alone, or "checksum": a hash both sides know first.'),
    maxDelete: z
      .union([z.int().nonnegative(), z.string().regex(/^\d+(\.\d+)?%$/, 'a number of files (25) or a percentage such as "10%"')])
      .optional()
      .describe("Delete nothing, and fail the run, when more files than this would go: a count (25) or a share of the destination's files (\"10%\")."),
    backupDir: location
      .optional()
      .describe('A folder on the same connection as "to", outside it: replaced and deleted files are moved there under their relative paths instead of being lost.'),
  })
  .describe(
    'Mirror the source folder and its subfolders into "to", one way: new and changed files are copied, then what the source no longer has is deleted, only once every copy is verified. ' +
      'source.include and source.exclude, and arrival.ignore, name what is left alone on both sides: never copied, never deleted.',
  );

export const jobSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Editors use this to find the schema; Ferry ignores it.'),
    version: z.literal(JOB_FORMAT_VERSION).describe('The job file format version.'),
    name: z.string().regex(JOB_NAME, 'letters, digits, ".", "_" or "-", up to 64').describe('Unique job name, used in history and on the command line.'),
    description: z.string().optional(),
    source: sourceSchema,
    arrival: arrivalSchema.prefault({}),
    validate: z
      .union([validationConfigSchema, z.array(scopedValidationSchema).min(1)])
      .optional()
      .describe('Checks every file must pass, or a list of rule sets each for the files it names; a failing file is quarantined.'),
    quarantine: quarantineSchema.prefault({}),
    rename: deliveredName.optional().describe('The delivered name of each file (default: its own name).'),
    routing: z.enum(['first', 'all']).default('first').describe('"first": each file takes the first route it matches; "all": every route it matches.'),
    routes: z.array(routeSchema).default([]).describe('Destinations, tried in order; a job has routes or a sync.'),
    sync: syncSchema.optional(),
    after: afterSchema.prefault({}),
    notify: z.array(notificationRuleSchema).default([]).describe('Who is told of quarantined files, failures, missed deadlines and successes.'),
    schedule: scheduleConfigSchema.optional().describe('When the daemon runs the job; without one it runs only when started.'),
    concurrency: z.int().min(1).max(64).default(4).describe('Files handled at once (also capped by each server\'s connection limit).'),
    bandwidth: bandwidthText
      .optional()
      .describe(
        'The run\'s bandwidth limit, shared by all its files, on top of each connection\'s: a rate ("2M"), upload:download ("1M:4M") ' +
          'or a timetable of local times ("08:00,2M 18:00,off": 2 MiB/s in office hours, full speed at night).',
      ),
  })
  .describe('A Ferry job: where files come from, how they are checked, renamed and converted, and where they go.');

export type JobDefinition = z.output<typeof jobSchema>;
export type ScopedValidation = z.output<typeof scopedValidationSchema>;

/** The job's rule sets, each with the files it applies to. */
export function validationSets(job: JobDefinition): ScopedValidation[] {
  const rules = job.validate;
  if (rules === undefined) return [];
  return Array.isArray(rules) ? rules : [{ ...rules, files: '*' }];
}
export type JobRoute = JobDefinition['routes'][number];
export type JobSync = NonNullable<JobDefinition['sync']>;
export type RouteCondition = NonNullable<JobRoute['when']>;
export type HttpDelivery = NonNullable<JobRoute['http']>;
export type Companion = NonNullable<JobRoute['companion']>;
export type ArrivalRules = JobDefinition['arrival'];
export type ManifestRule = NonNullable<ArrivalRules['manifest']>;

/** The schema as JSON Schema (draft 2020-12), describing the file as written (defaults optional). */
export function jobJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(jobSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }),
    $id: 'https://ferry.app/schemas/job-v1.json',
    title: 'Ferry job',
  };
}
