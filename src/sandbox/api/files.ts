import type { SandboxContext } from '../context.js';
import { apiError } from '../http/respond.js';
import type { SRecord, StoredBlob } from '../OrgStore.js';
import { textOf } from '../../shared/util/textOf.js';

const FILE_TYPES: Readonly<Record<string, string>> = {
  pdf: 'PDF',
  doc: 'WORD',
  docx: 'WORD_X',
  xls: 'EXCEL',
  xlsx: 'EXCEL_X',
  ppt: 'POWER_POINT',
  pptx: 'POWER_POINT_X',
  csv: 'CSV',
  txt: 'TEXT',
  xml: 'XML',
  json: 'JSON',
  png: 'PNG',
  jpg: 'JPG',
  jpeg: 'JPEG',
  gif: 'GIF',
  tif: 'TIFF',
  tiff: 'TIFF',
  zip: 'ZIP',
  mp4: 'MP4',
  mov: 'MOV',
  psd: 'PSD',
  ai: 'AI',
  eps: 'EPS',
};

export function extensionOf(pathOnClient: string): string | null {
  const name = pathOnClient.split(/[\\/]/).pop() ?? pathOnClient;
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : null;
}

function titleFrom(pathOnClient: string): string {
  const name = pathOnClient.split(/[\\/]/).pop() ?? pathOnClient;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** Bytes Salesforce Files take from the org's file storage; S-Drive's bytes live in S3 and do not count. */
export function fileStorageBytes(ctx: SandboxContext): number {
  let total = 0;
  for (const version of ctx.store.all('ContentVersion')) total += typeof version['ContentSize'] === 'number' ? version['ContentSize'] : 0;
  return total;
}

function storageCheck(ctx: SandboxContext, incomingBytes: number): void {
  const limit = ctx.settings.fileStorageMb * 1024 * 1024;
  if (fileStorageBytes(ctx) + incomingBytes > limit) {
    throw apiError(400, 'STORAGE_LIMIT_EXCEEDED', 'storage limit exceeded', []);
  }
}

/**
 * Inserts a ContentVersion as Salesforce does. Without ContentDocumentId it creates the document, the
 * owner's link and, with FirstPublishLocationId, the link to that record, all in one call. With
 * ContentDocumentId it adds the next version and makes it the latest. The body is either `multipart`
 * (already stored) or the decoded base64 of `VersionData`.
 */
export async function insertContentVersion(
  ctx: SandboxContext,
  values: Record<string, unknown>,
  multipart: StoredBlob | undefined,
  userId: string,
  undo: Array<() => Promise<void>>,
): Promise<SRecord> {
  const store = ctx.store;
  const versionDef = store.schema.object('ContentVersion');
  const docDef = store.schema.object('ContentDocument');
  if (versionDef === undefined || docDef === undefined) throw new Error('The sandbox schema lacks Files');
  const inline = values['VersionData'];
  delete values['VersionData'];
  const path = values['PathOnClient'];
  if (typeof path !== 'string' || path === '') {
    throw apiError(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [PathOnClient]', ['PathOnClient']);
  }
  if (multipart === undefined && !Buffer.isBuffer(inline)) {
    throw apiError(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [VersionData]', ['VersionData']);
  }
  const existingDocId = values['ContentDocumentId'];
  const location = values['FirstPublishLocationId'];
  if (typeof existingDocId === 'string' && typeof location === 'string') {
    throw apiError(400, 'FIELD_INTEGRITY_EXCEPTION', 'First Publish Location ID: cannot be set on a new version of an existing document', ['FirstPublishLocationId']);
  }
  const doc = typeof existingDocId === 'string' ? store.get(existingDocId) : undefined;
  if (typeof existingDocId === 'string' && doc === undefined) {
    throw apiError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['ContentDocumentId']);
  }
  storageCheck(ctx, Buffer.isBuffer(inline) ? inline.length : (multipart?.size ?? 0));
  const blob = multipart ?? (await store.putBlobBytes(inline as Buffer));
  const extension = extensionOf(path);
  const previous = doc === undefined ? undefined : store.get(String(doc['LatestPublishedVersionId']));
  const versionNumber = previous === undefined ? 1 : Number(previous['VersionNumber']) + 1;
  const title = typeof values['Title'] === 'string' && values['Title'] !== '' ? values['Title'] : titleFrom(path);
  const now = new Date().toISOString().replace('Z', '+0000');
  const version = store.insert(
    versionDef,
    {
      ...values,
      Title: title,
      ContentSize: blob.size,
      Checksum: blob.md5,
      FileExtension: extension,
      FileType: extension === null ? 'UNKNOWN' : (FILE_TYPES[extension] ?? 'UNKNOWN'),
      IsLatest: true,
      VersionNumber: String(versionNumber),
      PublishStatus: 'P',
      ContentModifiedDate: values['ContentModifiedDate'] ?? now,
      VersionDataKey: blob.key,
    },
    userId,
  );
  const docValues = {
    Title: title,
    FileExtension: version['FileExtension'],
    FileType: version['FileType'],
    ContentSize: blob.size,
    LatestPublishedVersionId: version.Id,
    ContentModifiedDate: version['ContentModifiedDate'],
  };
  if (doc !== undefined && previous !== undefined) {
    const before = { ...doc };
    store.update(previous.Id, { IsLatest: false }, userId);
    store.update(doc.Id, docValues, userId);
    store.update(version.Id, { ContentDocumentId: doc.Id }, userId);
    undo.push(async () => {
      store.delete(version.Id);
      await store.removeBlob(blob.key);
      store.update(previous.Id, { IsLatest: true }, userId);
      store.update(doc.Id, before, userId);
    });
    return version;
  }
  const newDoc = store.insert(docDef, { ...docValues, PublishStatus: typeof location === 'string' ? 'P' : 'R', OwnerId: userId }, userId);
  store.update(version.Id, { ContentDocumentId: newDoc.Id }, userId);
  linkDocument(ctx, newDoc.Id, userId, 'I', 'AllUsers');
  if (typeof location === 'string') linkDocument(ctx, newDoc.Id, location, 'V', 'AllUsers');
  undo.push(() => deleteContentDocument(ctx, newDoc.Id));
  return version;
}

function linkDocument(ctx: SandboxContext, documentId: string, entityId: string, shareType: string, visibility: string): SRecord {
  const def = ctx.store.schema.object('ContentDocumentLink');
  if (def === undefined) throw new Error('The sandbox schema lacks ContentDocumentLink');
  return ctx.store.insert(def, { ContentDocumentId: documentId, LinkedEntityId: entityId, ShareType: shareType, Visibility: visibility }, entityId);
}

/** A ContentDocumentLink inserted by a client: one link per document and entity. */
export function insertContentDocumentLink(ctx: SandboxContext, values: Record<string, unknown>): SRecord {
  const documentId = String(values['ContentDocumentId']);
  const entityId = String(values['LinkedEntityId']);
  for (const link of ctx.store.all('ContentDocumentLink')) {
    if (link['ContentDocumentId'] === documentId && link['LinkedEntityId'] === entityId) {
      throw apiError(400, 'DUPLICATE_VALUE', `duplicate value found: ContentDocumentId duplicates value on record with id: ${link.Id}`, []);
    }
  }
  return linkDocument(ctx, documentId, entityId, textOf(values['ShareType'] ?? 'V'), textOf(values['Visibility'] ?? 'AllUsers'));
}

/** Deleting a document deletes every version, its bodies and its links. */
export async function deleteContentDocument(ctx: SandboxContext, documentId: string): Promise<void> {
  const store = ctx.store;
  for (const version of [...store.all('ContentVersion')]) {
    if (version['ContentDocumentId'] !== documentId) continue;
    store.delete(version.Id);
    const key = version['VersionDataKey'];
    if (typeof key === 'string') await store.removeBlob(key);
  }
  for (const link of [...store.all('ContentDocumentLink')]) {
    if (link['ContentDocumentId'] === documentId) store.delete(link.Id);
  }
  store.delete(documentId);
}

/** Where a version's bytes are kept; undefined for a record without a body. */
export function versionBlob(ctx: SandboxContext, version: SRecord): StoredBlob | undefined {
  const key = version['VersionDataKey'];
  return typeof key === 'string' ? ctx.store.blob(key) : undefined;
}
