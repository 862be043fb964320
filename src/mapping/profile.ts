import { z } from 'zod';
import { rowMapper, type Conversion } from './convert.js';
import { fieldMappingSchema, mappingColumns, MappingError } from './fieldMapping.js';
import { formatSpecSchema } from './format.js';
import { outputProblem, readRecords, type Row } from './records.js';

export const conversionSchema = z
  .strictObject({
    input: formatSpecSchema.describe('Format of the file as it arrives.'),
    mapping: fieldMappingSchema.optional().describe('Field mapping from input to output columns (default: columns pass through).'),
    output: formatSpecSchema.describe('Format of the file as it is delivered.'),
  })
  .describe('A file conversion: read input, map, write output.');

export const partnerProfileSchema = z
  .strictObject({
    partner: z.string().min(1).describe('Partner name, for logs and messages.'),
    description: z.string().optional().describe('Free text about the partner and its formats.'),
    inbound: conversionSchema.optional().describe('Partner format → internal format.'),
    outbound: conversionSchema.optional().describe('Internal format → partner format.'),
  })
  .describe('A partner profile: how files from and to one partner are converted.');

export type PartnerProfile = z.infer<typeof partnerProfileSchema>;

/** A profile that does not match the schema; the message names the file and the offending paths. */
export class ProfileError extends Error {
  override readonly name = 'ProfileError';
}

function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text === '' ? String(key) : `${text}.${String(key)}`;
  }, '');
}

/** One reason a profile does not match the schema, at the path of the value it is about. */
export interface ProfileIssue {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

/** Every reason `value` is not a valid profile, each at its path; empty when it is one. */
export function profileIssues(value: unknown): ProfileIssue[] {
  const result = partnerProfileSchema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({
    path: issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
    message: issue.message,
  }));
}

/** The issues as one sentence naming the file: `Partner profile acme.yaml is not valid: inbound.output.type: …`. */
export function describeIssues(issues: ReadonlyArray<ProfileIssue>, source: string): string {
  return `Partner profile ${source} is not valid: ${issues.map((issue) => `${issuePath(issue.path) || '(top level)'}: ${issue.message}`).join('; ')}`;
}

export function parseProfile(value: unknown, source: string): PartnerProfile {
  const result = partnerProfileSchema.safeParse(value);
  if (result.success) return result.data;
  throw new ProfileError(describeIssues(profileIssues(value), source));
}

const MAX_ERRORS = 100;

/** What is wrong with one row of a sample: the output field it is about, where the problem names one. */
export interface RowProblem {
  readonly field?: string;
  readonly message: string;
}

/** One data row of a sample, as read and as the conversion made it; a row that does not map has no output. */
export interface SampleRow {
  readonly rowNumber: number;
  readonly input: Row;
  readonly output?: Row;
  readonly problem?: RowProblem;
}

/** Every format states the field an output problem is about first: `field "price" …`. */
const OUTPUT_FIELD = /^field "([^"]*)"/;

/**
 * The sample's data rows, each mapped as a job maps it and checked against the output format, one at a
 * time: a row that does not map is yielded with its problem and the next one still gets its turn. A file
 * that cannot be read throws (a FormatError naming the file, line and column).
 */
export async function* sampleRows(samplePath: string, conversion: Conversion, now: Date): AsyncGenerator<SampleRow> {
  const map = rowMapper(conversion, { now });
  let rowNumber = 0;
  for await (const input of readRecords(samplePath, conversion.input)) {
    rowNumber++;
    let output: Row;
    try {
      output = map(input, rowNumber);
    } catch (error) {
      const field = error instanceof MappingError ? { field: error.field } : {};
      yield { rowNumber, input, problem: { ...field, message: (error as Error).message } };
      continue;
    }
    const problem = outputProblem(output, conversion.output);
    if (problem === undefined) {
      yield { rowNumber, input, output };
      continue;
    }
    const field = OUTPUT_FIELD.exec(problem)?.[1];
    yield { rowNumber, input, output, problem: { ...(field === undefined ? {} : { field }), message: `Row ${rowNumber}: ${problem}` } };
  }
}

/** The columns the mapping reads that the sample's first row lacks, each as a sentence. */
export function missingColumns(first: Row, conversion: Conversion): string[] {
  if (conversion.mapping === undefined) return [];
  const missing = mappingColumns(conversion.mapping).filter((column) => !Object.hasOwn(first, column));
  return missing.map((column) => `The mapping reads column "${column}", which the sample does not have (it has ${Object.keys(first).join(', ')})`);
}

/**
 * Maps a sample file as a job would and reports instead of failing: the first `limit` output rows, and every
 * problem found (unknown columns, values that do not map, rows the output format cannot hold, a file that
 * cannot be read), so a profile can be tried before it goes live.
 */
export async function previewConversion(
  samplePath: string,
  conversion: Conversion,
  now: Date,
  limit = 20,
): Promise<{ rows: Row[]; errors: string[] }> {
  const rows: Row[] = [];
  const errors: string[] = [];
  const report = (message: string): void => {
    if (errors.length < MAX_ERRORS) errors.push(message);
  };
  try {
    for await (const row of sampleRows(samplePath, conversion, now)) {
      if (row.rowNumber === 1) for (const problem of missingColumns(row.input, conversion)) report(problem);
      if (row.problem !== undefined) report(row.problem.message);
      else if (row.output !== undefined && rows.length < limit) rows.push(row.output);
    }
  } catch (error) {
    report((error as Error).message);
  }
  return { rows, errors };
}
