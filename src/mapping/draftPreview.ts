import type { Conversion } from './convert.js';
import { missingColumns, partnerProfileSchema, profileIssues, sampleRows, type ProfileIssue } from './profile.js';
import type { Row } from './records.js';

export type Direction = 'inbound' | 'outbound';

/** A row's problem placed where a person looks for it: the output field, and the sample column it was read from. */
export interface PlacedProblem {
  readonly field?: string;
  readonly column?: string;
  readonly message: string;
}

export interface PreviewRow {
  readonly rowNumber: number;
  readonly before: Row;
  readonly after?: Row;
  readonly problem?: PlacedProblem;
}

export interface DraftPreview {
  /** Why the draft is not a valid profile, each at its path; no row is converted until there are none. */
  readonly profileProblems: ReadonlyArray<ProfileIssue>;
  /** What is wrong with the sample as a whole: columns the mapping reads that it lacks, a line that cannot be read. */
  readonly sampleProblems: ReadonlyArray<string>;
  /** The sample's columns, and the converted file's. */
  readonly before: ReadonlyArray<string>;
  readonly after: ReadonlyArray<string>;
  readonly rows: ReadonlyArray<PreviewRow>;
}

function outputColumns(conversion: Conversion, rows: ReadonlyArray<PreviewRow>): string[] {
  if (conversion.mapping !== undefined) return conversion.mapping.fields.map((field) => field.to);
  return Object.keys(rows.find((row) => row.after !== undefined)?.after ?? rows[0]?.before ?? {});
}

/**
 * The first `limit` rows of a sample before and after the draft's conversion in `direction`, as a job
 * would convert them. `label` names the sample in messages in place of `samplePath`, which is only where
 * a copy of it was put to be read.
 */
export async function previewDraft(draft: unknown, direction: Direction, samplePath: string, label: string, now: Date, limit: number): Promise<DraftPreview> {
  const none = { sampleProblems: [], before: [], after: [], rows: [] };
  const profile = partnerProfileSchema.safeParse(draft);
  if (!profile.success) return { profileProblems: profileIssues(draft), ...none };
  const conversion = profile.data[direction];
  if (conversion === undefined) return { profileProblems: [{ path: [direction], message: `the profile has no ${direction} conversion` }], ...none };

  const named = (message: string): string => message.split(samplePath).join(label);
  const fromOf = new Map((conversion.mapping?.fields ?? []).map((field) => [field.to, field.from]));
  const rows: PreviewRow[] = [];
  const sampleProblems: string[] = [];
  try {
    for await (const row of sampleRows(samplePath, conversion, now)) {
      if (row.rowNumber === 1) sampleProblems.push(...missingColumns(row.input, conversion));
      const column = row.problem?.field === undefined ? undefined : fromOf.get(row.problem.field);
      const problem = row.problem === undefined ? {} : { problem: { ...row.problem, ...(column === undefined ? {} : { column }), message: named(row.problem.message) } };
      rows.push({ rowNumber: row.rowNumber, before: row.input, ...(row.output === undefined ? {} : { after: row.output }), ...problem });
      if (rows.length >= limit) break;
    }
  } catch (error) {
    sampleProblems.push(named((error as Error).message));
  }
  const before = Object.keys(rows[0]?.before ?? {});
  return { profileProblems: [], sampleProblems, before, after: outputColumns(conversion, rows), rows };
}
