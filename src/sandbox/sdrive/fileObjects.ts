import { sameId } from '../ids.js';
import type { OrgStore, SRecord } from '../OrgStore.js';
import type { Schema, SObjectDef } from '../schema.js';

/** S-Drive's file-object fields by their unprefixed names. */
export type SDriveField =
  | 'Bucket_Id__c'
  | 'Content_Type__c'
  | 'Description__c'
  | 'File_Name__c'
  | 'File_Size_in_Bytes__c'
  | 'Is_Deleted__c'
  | 'Key__c'
  | 'Parent_Folder_Id__c'
  | 'Version_Id__c'
  | 'WIP__c';

export const FOLDER_CONTENT_TYPE = 'Folder';

/**
 * One S-Drive file object as the schema defines it. Packaged objects carry the `cg__` namespace on
 * every field, custom ones none; the prefix is read off the object's own WIP field.
 */
export class FileObject {
  readonly def: SObjectDef;
  /** The master-detail to the record the files belong to: `cg__Account__c`, or `Parent__c`. */
  readonly parentField: string;
  readonly parentObject: string;
  readonly #prefix: string;

  private constructor(def: SObjectDef, prefix: string, parentField: string, parentObject: string) {
    this.def = def;
    this.#prefix = prefix;
    this.parentField = parentField;
    this.parentObject = parentObject;
  }

  static of(def: SObjectDef): FileObject | undefined {
    const wip = def.fields.find((f) => f.name.endsWith('WIP__c'));
    const parent = def.fields.filter((f) => f.type === 'reference' && f.custom && f.referenceTo.length === 1);
    const [parentField] = parent;
    if (wip === undefined || parentField === undefined || parent.length !== 1) return undefined;
    const prefix = wip.name.slice(0, -'WIP__c'.length);
    const needed: SDriveField[] = ['File_Name__c', 'Key__c', 'Parent_Folder_Id__c', 'Content_Type__c'];
    if (!needed.every((n) => def.fields.some((f) => f.name === `${prefix}${n}`))) return undefined;
    return new FileObject(def, prefix, parentField.name, parentField.referenceTo[0] ?? '');
  }

  field(name: SDriveField): string {
    return `${this.#prefix}${name}`;
  }

  /** Record values from unprefixed names. */
  values(values: Partial<Record<SDriveField, unknown>>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(values).map(([name, value]) => [`${this.#prefix}${name}`, value]));
  }

  text(record: SRecord, name: SDriveField): string {
    const value = record[this.field(name)];
    return typeof value === 'string' ? value : '';
  }

  isFolder(record: SRecord): boolean {
    return record[this.field('Content_Type__c')] === FOLDER_CONTENT_TYPE;
  }

  isWip(record: SRecord): boolean {
    return record[this.field('WIP__c')] === true;
  }

  isDeleted(record: SRecord): boolean {
    return record[this.field('Is_Deleted__c')] === true;
  }

  parentOf(record: SRecord): string {
    const value = record[this.parentField];
    return typeof value === 'string' ? value : '';
  }

  /** Records directly inside `folderId` ('' for the record's root) of parent `parentId`. */
  *children(store: OrgStore, parentId: string, folderId: string): Iterable<SRecord> {
    for (const r of store.all(this.def.name)) {
      const folder = this.text(r, 'Parent_Folder_Id__c');
      const inFolder = folderId === '' ? folder === '' : folder !== '' && sameId(folder, folderId);
      if (inFolder && sameId(this.parentOf(r), parentId)) yield r;
    }
  }

  /** A finished, live record named `name` (case-insensitively, as SOQL compares) in the folder. */
  findByName(store: OrgStore, parentId: string, folderId: string, name: string, except?: string): SRecord | undefined {
    const wanted = name.toLowerCase();
    for (const r of this.children(store, parentId, folderId)) {
      if (this.isWip(r) || this.isDeleted(r) || r.Id === except) continue;
      if (this.text(r, 'File_Name__c').toLowerCase() === wanted) return r;
    }
    return undefined;
  }
}

export function fileObjectNamed(schema: Schema, name: string): FileObject | undefined {
  const def = schema.object(name);
  return def === undefined ? undefined : FileObject.of(def);
}

/** The file object a record belongs to, with the record; undefined unless it is an S-Drive file. */
export function fileRecord(store: OrgStore, id: string): { fileObject: FileObject; record: SRecord } | undefined {
  const record = store.get(id);
  const type = store.typeOf(id);
  const fileObject = type === undefined ? undefined : fileObjectNamed(store.schema, type);
  return record === undefined || fileObject === undefined ? undefined : { fileObject, record };
}

/**
 * Where a file's bytes go: `<parent id>/<file record id>/<name>`. The name is reduced to characters
 * that need no escaping in a URL path, and never to dots alone, which URL parsing would collapse.
 */
export function objectKey(parentId: string, recordId: string, fileName: string): string {
  const safe = fileName.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+$/, (dots) => '_'.repeat(dots.length));
  return `${parentId.slice(0, 15)}/${recordId.slice(0, 15)}/${safe}`;
}
