import { z } from 'zod';
import type { Conversion } from './convert.js';
import { compileMapping, fieldMappingSchema, mappingColumns } from './fieldMapping.js';
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

export function parseProfile(value: unknown, source: string): PartnerProfile {
  const result = partnerProfileSchema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issuePath(issue.path) || '(top level)'}: ${issue.message}`);
  throw new ProfileError(`Partner profile ${source} is not valid: ${issues.join('; ')}`);
}

const MAX_ERRORS = 100;

async function sampleProblems(samplePath: string, conversion: Conversion): Promise<string[]> {
  if (conversion.mapping === undefined) return [];
  for await (const first of readRecords(samplePath, conversion.input)) {
    const missing = mappingColumns(conversion.mapping).filter((column) => !Object.hasOwn(first, column));
    return missing.map((column) => `The mapping reads column "${column}", which the sample does not have (it has ${Object.keys(first).join(', ')})`);
  }
  return [];
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
    for (const problem of await sampleProblems(samplePath, conversion)) report(problem);
    const map = conversion.mapping === undefined ? undefined : compileMapping(conversion.mapping, { now });
    let rowNumber = 0;
    for await (const input of readRecords(samplePath, conversion.input)) {
      rowNumber++;
      // Row by row, so a row that does not map is reported and the next one still gets its turn.
      try {
        const row = map === undefined ? input : map(input, rowNumber);
        const problem = outputProblem(row, conversion.output);
        if (problem !== undefined) report(`Row ${rowNumber}: ${problem}`);
        else if (rows.length < limit) rows.push(row);
      } catch (error) {
        report((error as Error).message);
      }
    }
  } catch (error) {
    report((error as Error).message);
  }
  return { rows, errors };
}
