import { z } from 'zod';
import { empty } from './emptyPayload.js';
import { connectionName, relativePath } from './models.js';

/** File names read from a source folder for one try: enough to see a partner's habits, few enough to look up at once. */
export const NAMING_SOURCE_NAMES = 500;
/** Names typed by hand for one try. */
export const NAMING_TYPED_NAMES = 200;
/** Candidates listed for an ambiguous name; the rest are counted. */
export const NAMING_CANDIDATES = 10;

/** A naming rule exactly as a job route's `attachBy` holds it. */
const ruleText = z.string().max(500);

/** A Salesforce connection and the object folder whose records a rule finds, e.g. `Account`. */
const ruleTarget = z.strictObject({
  connection: connectionName,
  object: relativePath.refine((p) => p !== '' && !p.includes('/'), 'an object folder is one name, e.g. Account'),
});

/** Field → value, in the object's spelling of the field. */
const captured = z.record(z.string(), z.string());

const recordRef = z.strictObject({ id: z.string(), name: z.string() });

export const MATCH_KINDS = ['exact', 'ambiguous', 'none', 'unreadable'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

export const namingRowSchema = z.strictObject({
  /** The file's path below the source folder, or the name as typed. */
  name: z.string(),
  from: z.enum(['source', 'typed']),
  /**
   * `unreadable`: the name does not fit the rule; `none`: no record has what it captured; `ambiguous`:
   * several have; `exact`: one has.
   */
  match: z.enum(MATCH_KINDS),
  /** Every reading of the name the rule allows; for an exact match, the one that found the record. */
  captured: z.array(captured),
  record: recordRef.optional(),
  /** An ambiguous name's records, the first `NAMING_CANDIDATES` of them. */
  candidates: z.array(recordRef.extend({ matchedOn: captured })),
  /** Candidates not listed. */
  moreCandidates: z.number().int().nonnegative(),
  /** Why a name that is not an exact match is refused, as a transfer or a job run would say it. */
  reason: z.string().optional(),
});
export type NamingRow = z.infer<typeof namingRowSchema>;

export const namingCostSchema = z.strictObject({
  /** SOQL queries that resolving every name took: one per few hundred values, however many names. */
  queries: z.number().int().nonnegative(),
  recordsRead: z.number().int().nonnegative(),
  /** Calls to the org's API: the queries and the look at the object's fields. */
  apiCalls: z.number().int().nonnegative(),
  /** The org's daily API allocation after the try, when the org has reported it. */
  apiUsage: z.strictObject({ used: z.number().int().nonnegative(), limit: z.number().int().nonnegative() }).nullable(),
});
export type NamingCost = z.infer<typeof namingCostSchema>;

export const namingTrySchema = z.discriminatedUnion('status', [
  /** The rule does not parse: where (1-based character) and why. Nothing was asked of Salesforce. */
  z.strictObject({ status: z.literal('invalid'), position: z.number().int().positive(), reason: z.string(), message: z.string() }),
  z.strictObject({
    status: z.literal('tried'),
    /** The object's fields the rule captures, in the object's spelling: the grid's columns. */
    fields: z.array(z.string()),
    rows: z.array(namingRowSchema),
    /** Files in the source folder that were not read (past `NAMING_SOURCE_NAMES`), and folders skipped. */
    sourceLeftOut: z.number().int().nonnegative(),
    cost: namingCostSchema,
  }),
]);
export type NamingTry = z.infer<typeof namingTrySchema>;

/** A job route that attaches by a naming rule, where the editor can load its rule from and save it back. */
export const namingRouteSchema = z.strictObject({
  /** The job file's name in Ferry's jobs folder. */
  file: z.string(),
  job: z.string(),
  route: z.string(),
  rule: z.string(),
  target: ruleTarget,
  /** The job's source folder; null when it is not a folder the window can list. */
  source: z.strictObject({ connection: connectionName, path: relativePath }).nullable(),
});
export type NamingRoute = z.infer<typeof namingRouteSchema>;

/** Naming rules tried on real file names: captured fields, the record each matches, and what resolving them costs. */
export const NAMING_COMMANDS = {
  'naming.try': {
    input: z.strictObject({
      rule: ruleText,
      target: ruleTarget,
      /** A folder whose files' names are tried, the first `NAMING_SOURCE_NAMES` by name. */
      source: z.strictObject({ connection: connectionName, path: relativePath }).optional(),
      names: z.array(z.string().min(1).max(1000)).max(NAMING_TYPED_NAMES),
    }),
    output: namingTrySchema,
  },
  /** Every route of the jobs in Ferry's jobs folder that attaches by a naming rule; job files that do not load are named with why. */
  'naming.routes': {
    input: empty,
    output: z.strictObject({
      routes: z.array(namingRouteSchema),
      unreadable: z.array(z.strictObject({ file: z.string(), reason: z.string() })),
    }),
  },
  /** Writes a rule into a job route's `attachBy`, keeping the rest of the file, comments included, as it was. */
  'naming.save': {
    input: z.strictObject({ file: z.string().min(1).max(255), route: z.string().min(1).max(200), rule: ruleText.min(1) }),
    output: z.strictObject({ route: namingRouteSchema }),
  },
} as const;
