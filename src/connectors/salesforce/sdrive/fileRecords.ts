import { TransferError } from '../../errors.js';
import { mapSalesforceError } from '../mapSalesforceError.js';
import type { SalesforceSession } from '../SalesforceSession.js';
import { chunkForInClause, soqlString } from '../soqlText.js';
import { textOf } from '../../../shared/util/textOf.js';
import type { FileObjectInfo } from './fileObjects.js';
import type { FileRow } from './folderTree.js';

/** What marks a file-object record as a folder rather than a file. */
export const FOLDER_CONTENT_TYPE = 'Folder';

interface Row {
  readonly Id: string;
  readonly LastModifiedDate?: string;
  readonly [field: string]: unknown;
}

interface SaveResult {
  readonly success: boolean;
  readonly errors?: ReadonlyArray<{ readonly statusCode: string; readonly message: string }>;
}

/**
 * The finished, live records (files and folders) of many parent records, by parent id (15 characters),
 * with one query per few hundred parents. Uploads in progress and deleted files are never selected.
 */
export async function loadRows(session: SalesforceSession, info: FileObjectInfo, recordIds: ReadonlyArray<string>, signal?: AbortSignal): Promise<Map<string, FileRow[]>> {
  const f = info.field;
  const fields = ['Id', f('File_Name__c'), f('Content_Type__c'), f('Parent_Folder_Id__c'), f('File_Size_in_Bytes__c'), 'LastModifiedDate', info.parentField];
  const latest = info.latestVersionField === undefined ? '' : ` AND ${info.latestVersionField} = true`;
  const byRecord = new Map<string, FileRow[]>(recordIds.map((id) => [id.slice(0, 15), []]));
  for (const chunk of chunkForInClause(recordIds, { maxItems: 200 })) {
    const rows = await session.query<Row>(
      `SELECT ${fields.join(', ')} FROM ${info.name} WHERE ${info.parentField} IN (${chunk.map(soqlString).join(',')}) ` +
        `AND ${f('WIP__c')} = false AND ${f('Is_Deleted__c')} = false${latest}`,
      `the S-Drive files of ${chunk.length} record(s)`,
      signal,
    );
    for (const row of rows) {
      const size = row[f('File_Size_in_Bytes__c')];
      byRecord.get(textOf(row[info.parentField]).slice(0, 15))?.push({
        id: row.Id,
        name: textOf(row[f('File_Name__c')]),
        folderId: textOf(row[f('Parent_Folder_Id__c')]),
        isFolder: row[f('Content_Type__c')] === FOLDER_CONTENT_TYPE,
        size: typeof size === 'number' ? size : -1,
        modifiedAt: row.LastModifiedDate === undefined ? undefined : Date.parse(row.LastModifiedDate),
      });
    }
  }
  return byRecord;
}

/** A finished folder record, as S-Drive's own folders are: no upload step, so never in progress. */
export async function createFolder(session: SalesforceSession, info: FileObjectInfo, recordId: string, parentFolderId: string, name: string, subject: string): Promise<string> {
  const f = info.field;
  const created = await session.json<{ id: string }>('POST', `/sobjects/${info.name}`, subject, {
    [info.parentField]: recordId,
    [f('File_Name__c')]: name,
    [f('Content_Type__c')]: FOLDER_CONTENT_TYPE,
    [f('WIP__c')]: false,
    [f('Parent_Folder_Id__c')]: parentFolderId === '' ? null : parentFolderId,
    ...(info.nameField.createable ? { Name: name.slice(0, 80) } : {}),
  });
  return created.id;
}

/**
 * Whether anything at all points at the folder, in progress or deleted included: S-Drive's delete takes a
 * folder's whole contents with it, so only a folder with nothing inside may go.
 */
export async function hasChildren(session: SalesforceSession, info: FileObjectInfo, recordId: string, folderId: string, subject: string): Promise<boolean> {
  const ids = [...new Set([folderId, folderId.slice(0, 15)])].map(soqlString).join(',');
  const rows = await session.query<Row>(
    `SELECT Id FROM ${info.name} WHERE ${info.parentField} = ${soqlString(recordId)} AND ${info.field('Parent_Folder_Id__c')} IN (${ids}) LIMIT 1`,
    subject,
  );
  return rows.length > 0;
}

/** Renames several records in one all-or-none call, so that two names can trade places without a gap. */
export async function renameAll(session: SalesforceSession, info: FileObjectInfo, renames: ReadonlyArray<{ id: string; name: string }>, subject: string): Promise<void> {
  const records = renames.map(({ id, name }) => ({
    attributes: { type: info.name },
    id,
    [info.field('File_Name__c')]: name,
    ...(info.nameField.updateable ? { Name: name.slice(0, 80) } : {}),
  }));
  const results = await session.json<SaveResult[]>('PATCH', '/composite/sobjects', subject, { allOrNone: true, records });
  const cause = results.flatMap((r) => r.errors ?? []).find((e) => e.statusCode !== 'ALL_OR_NONE_OPERATION_ROLLED_BACK');
  if (cause !== undefined) throw mapSalesforceError({ data: [cause] }, subject);
  if (results.some((r) => !r.success)) throw new TransferError('protocol', `${subject}: Salesforce rolled the renames back without saying why`);
}
