import { extname } from 'node:path';
import type { FormatSpec } from '../mapping/format.js';
import { readRecords } from '../mapping/records.js';
import type { JobDefinition } from './definition/jobSchema.js';
import { rulesFor } from './jobValidator.js';

/**
 * The first record of a CSV or JSON file, for routing rules and `{field.X}` placeholders. CSV files
 * are read with the `csv` settings of the job's rules for them (delimiter, encoding) where it has them. Other
 * formats have no fields.
 */
export async function firstRecord(localPath: string, name: string, job: JobDefinition, signal: AbortSignal): Promise<Record<string, string> | undefined> {
  const spec = specFor(name, job);
  if (spec === undefined) return undefined;
  for await (const row of readRecords(localPath, spec, signal)) return { ...row };
  return undefined;
}

function specFor(name: string, job: JobDefinition): FormatSpec | undefined {
  const csv = rulesFor(job, name)?.csv;
  const ext = extname(name).toLowerCase();
  if (csv !== undefined || ext === '.csv' || ext === '.txt') {
    return {
      type: 'csv',
      ...(csv?.delimiter === undefined ? {} : { delimiter: csv.delimiter }),
      ...(csv?.encoding === undefined ? {} : { encoding: csv.encoding }),
      ...(csv?.quote === undefined ? {} : { quote: csv.quote }),
    };
  }
  if (ext === '.json') return { type: 'json' };
  return undefined;
}
