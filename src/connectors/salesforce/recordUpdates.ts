import type { RecordValues } from '../types.js';
import type { SalesforceSession } from './SalesforceSession.js';

interface SaveResult {
  readonly id?: string;
  readonly success: boolean;
  readonly errors?: ReadonlyArray<{ readonly statusCode: string; readonly message: string; readonly fields?: ReadonlyArray<string> }>;
}

/** sObject Collections take at most 200 records per request. */
const BATCH = 200;

/**
 * Writes fields on records with sObject Collections, not all-or-none: one record that a validation
 * rule refuses is reported with Salesforce's reason while the others are saved.
 */
export async function updateRecords(
  session: SalesforceSession,
  object: string,
  updates: ReadonlyArray<{ readonly id: string; readonly values: RecordValues }>,
  signal?: AbortSignal,
): Promise<Array<{ id: string; error?: string }>> {
  const outcomes: Array<{ id: string; error?: string }> = [];
  for (let i = 0; i < updates.length; i += BATCH) {
    const batch = updates.slice(i, i + BATCH);
    const records = batch.map((u) => ({ attributes: { type: object }, id: u.id, ...u.values }));
    const results = await session.json<SaveResult[]>('PATCH', '/composite/sobjects', `updating ${batch.length} ${object} records`, { allOrNone: false, records }, signal);
    batch.forEach((u, j) => {
      const result = results[j];
      if (result?.success === true) outcomes.push({ id: u.id });
      else outcomes.push({ id: u.id, error: result?.errors?.map((e) => `${e.statusCode}: ${e.message}`).join('; ') ?? 'no answer for this record' });
    });
  }
  return outcomes;
}
