import { z } from 'zod';
import { connectionName, relativePath } from './models.js';

/** A Salesforce record id, 15 or 18 characters. */
const recordId = z.string().regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'a record id has 15 or 18 letters and digits');

/** An object's folder on a Salesforce connection, e.g. `Account`: one segment. */
const objectFolder = relativePath.refine((p) => p !== '' && !p.includes('/'), 'an object folder is one name, e.g. Account');

export const foundRecordSchema = z.strictObject({
  id: recordId,
  name: z.string(),
  /** The record's folder, `Account/Acme Corp (001…)`, for `files.list` and the path bar. */
  path: relativePath,
  /** The other fields the search looked in (an Account's number), where the record has them. */
  fields: z.record(z.string(), z.string()),
});
export type FoundRecord = z.infer<typeof foundRecordSchema>;

/** Salesforce records: finding one by what a coordinator knows of it. */
export const RECORDS_COMMANDS = {
  'records.search': {
    input: z.strictObject({
      connection: connectionName,
      object: objectFolder,
      /** Found in the record's name, or in a number field where the object has one (an Account's number). */
      text: z.string().max(200).refine((t) => t.trim() !== '', 'type some of the name or number to search for'),
      limit: z.number().int().min(1).max(200),
      /** Records to pass over, for the next page; Salesforce pages no further than 2,000 records in. */
      offset: z.number().int().min(0).max(2000).optional(),
    }),
    /** `more`: records past this page match too. */
    output: z.strictObject({ records: z.array(foundRecordSchema), more: z.boolean() }),
  },
  'records.names': {
    input: z.strictObject({ connection: connectionName, object: objectFolder, ids: z.array(recordId).min(1).max(2000) }),
    /** By id as asked; an id of no record is left out. */
    output: z.strictObject({ names: z.record(z.string(), z.string()) }),
  },
} as const;
