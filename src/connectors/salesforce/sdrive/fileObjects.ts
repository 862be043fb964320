import { TransferError } from '../../errors.js';
import type { SalesforceSession } from '../SalesforceSession.js';

/** Which S-Drive file object holds the files of an object's records, and the field that links them. */
export interface SDriveObjectConfig {
  /** The object whose records carry files, e.g. `Account` or `Order`. */
  readonly object: string;
  /** Its S-Drive file object, e.g. `cg__AccountFile__c`, or an admin-created `OrderFile__c`. */
  readonly fileObject: string;
  /** The file object's master-detail to the record, e.g. `cg__Account__c` or `Parent__c`. */
  readonly parentField: string;
}

/** The file objects the S-Drive package ships; file objects for other objects are created by an admin. */
export const PACKAGED_OBJECTS: ReadonlyArray<SDriveObjectConfig> = ['Account', 'Case', 'Contact', 'Opportunity', 'Lead'].map((object) => ({
  object,
  fileObject: `cg__${object}File__c`,
  parentField: `cg__${object}__c`,
}));

/** S-Drive's file-object fields by their unprefixed names. */
export type SDriveField =
  | 'Content_Type__c'
  | 'File_Name__c'
  | 'File_Size_in_Bytes__c'
  | 'Is_Deleted__c'
  | 'Parent_Folder_Id__c'
  | 'WIP__c';

const REQUIRED_FIELDS: ReadonlyArray<SDriveField> = ['Content_Type__c', 'File_Name__c', 'File_Size_in_Bytes__c', 'Is_Deleted__c', 'Parent_Folder_Id__c', 'WIP__c'];

/** A file object as the org describes it: every field name spelled the way the org spells it. */
export interface FileObjectInfo {
  readonly name: string;
  readonly parentField: string;
  readonly field: (name: SDriveField) => string;
  /** Set when the object keeps old versions as records: only the latest one is a file to show. */
  readonly latestVersionField: string | undefined;
  /** The record's own `Name`, where the org lets a client write it: kept equal to the file name. */
  readonly nameField: { readonly createable: boolean; readonly updateable: boolean };
}

interface DescribedField {
  readonly name: string;
  readonly type?: string;
  readonly createable?: boolean;
  readonly updateable?: boolean;
  readonly autoNumber?: boolean;
}

/** `cg__WIP__c` in the package, `WIP__c` on an admin-created object: the prefix is read off this field. */
const WIP_FIELD = /^([A-Za-z][A-Za-z0-9]*__)?WIP__c$/i;

/**
 * Describes a file object once and reads its field names from the answer: packaged objects prefix every
 * field with `cg__`, admin-created ones with nothing, and neither is assumed.
 */
export async function describeFileObject(session: SalesforceSession, config: SDriveObjectConfig, signal?: AbortSignal): Promise<FileObjectInfo> {
  let described: { name: string; fields: ReadonlyArray<DescribedField> };
  try {
    described = await session.json('GET', `/sobjects/${encodeURIComponent(config.fileObject)}/describe`, `the S-Drive file object ${config.fileObject}`, undefined, signal);
  } catch (e) {
    if (e instanceof TransferError && e.kind === 'notFound') {
      throw new TransferError('config', `The org has no S-Drive file object ${config.fileObject} (configured for ${config.object}): is S-Drive installed, and the file object created?`, {
        cause: e,
      });
    }
    throw e;
  }
  const byName = new Map(described.fields.map((f) => [f.name.toLowerCase(), f]));
  const wip = described.fields.find((f) => WIP_FIELD.test(f.name));
  const prefix = wip === undefined ? '' : wip.name.slice(0, wip.name.length - 'WIP__c'.length);
  const spelled = (name: string): string | undefined => byName.get(`${prefix}${name}`.toLowerCase())?.name;
  const missing = REQUIRED_FIELDS.filter((f) => spelled(f) === undefined);
  if (wip === undefined || missing.length > 0) {
    throw new TransferError('config', `${described.name} is not an S-Drive file object: it lacks ${missing.map((f) => `${prefix}${f}`).join(', ')}`);
  }
  const parent = byName.get(config.parentField.toLowerCase());
  if (parent === undefined || parent.type !== 'reference') {
    throw new TransferError('config', `${described.name} has no relationship field ${config.parentField} to ${config.object}`);
  }
  const name = byName.get('name');
  const writableName = name !== undefined && name.type === 'string' && name.autoNumber !== true;
  return {
    name: described.name,
    parentField: parent.name,
    field: (f) => spelled(f) ?? `${prefix}${f}`,
    latestVersionField: spelled('Is_Latest_Version__c'),
    nameField: { createable: writableName && name.createable === true, updateable: writableName && name.updateable === true },
  };
}
