import { deriveFields } from '../api/values.js';
import type { SandboxContext } from '../context.js';
import { asObject, readJson } from '../http/body.js';
import { sendJson } from '../http/respond.js';
import type { RouteRequest, ServerResponse } from '../http/router.js';
import { normalizeId, sameId } from '../ids.js';
import type { OrgStore } from '../OrgStore.js';
import { duplicateName, missingFields, notFound, SAME_FOLDER_REQUIRED, unprocessable } from './errors.js';
import { type FileObject, fileObjectNamed, fileRecord, objectKey } from './fileObjects.js';
import { encodePolicy, MAX_POST_BYTES, POLICY_LIFETIME_MS, uploadPolicy } from './policy.js';
import { BUCKET_NAME } from './s3.js';
import { amzDate, AWS_REGION, credentialOf, s3Keys, sign } from './signing.js';

/** One entry of `fileProperties`; the vendor's DTO carries every value as text. */
interface FileProperty {
  readonly fileName: string;
  /** The target folder's record id, '' for the record's root. */
  readonly fileLocation: string;
  readonly description: string;
  readonly relationshipFieldName: string;
  readonly fileType: string;
  readonly fileSizeInBytes: string;
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
}

function readProperties(body: Record<string, unknown>): { objectId: string; fileType: string; files: FileProperty[] } {
  const objectId = textOf(body['objectId']);
  const fileType = textOf(body['fileType']);
  const entries: unknown[] = Array.isArray(body['fileProperties']) ? body['fileProperties'] : [];
  const missing = [...(objectId === '' ? ['objectId'] : []), ...(fileType === '' ? ['fileType'] : []), ...(entries.length === 0 ? ['fileProperties'] : [])];
  const files = entries.map((entry, i) => {
    const p = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    const file: FileProperty = {
      fileName: textOf(p['fileName']),
      fileLocation: textOf(p['fileLocation']),
      description: textOf(p['description']),
      relationshipFieldName: textOf(p['relationshipFieldName']),
      fileType: textOf(p['fileType']),
      fileSizeInBytes: textOf(p['fileSizeInBytes']),
    };
    if (file.fileName === '') missing.push(`fileProperties[${i}].fileName`);
    if (file.relationshipFieldName === '') missing.push(`fileProperties[${i}].relationshipFieldName`);
    return file;
  });
  if (missing.length > 0) throw missingFields(missing);
  return { objectId, fileType, files };
}

/** The one folder every file goes to: S-Drive uploads a batch into a single folder. */
function targetFolder(files: ReadonlyArray<FileProperty>): string {
  const folders = new Set(files.map((f) => (f.fileLocation === '' ? '' : (normalizeId(f.fileLocation) ?? f.fileLocation))));
  const [folder = ''] = folders;
  if (folders.size > 1) throw unprocessable(SAME_FOLDER_REQUIRED);
  return folder;
}

function checkFolder(store: OrgStore, fileObject: FileObject, parentId: string, folderId: string): void {
  if (folderId === '') return;
  const found = fileRecord(store, folderId);
  const usable =
    found !== undefined &&
    found.fileObject.def.name === fileObject.def.name &&
    fileObject.isFolder(found.record) &&
    !fileObject.isWip(found.record) &&
    !fileObject.isDeleted(found.record) &&
    sameId(fileObject.parentOf(found.record), parentId);
  if (!usable) throw unprocessable(`${folderId} is not a folder of record ${parentId}`);
}

/** The largest body the policy allows: the declared size, or S3's POST cap when none is declared. */
function allowedBytes(file: FileProperty): number {
  if (file.fileSizeInBytes === '') return MAX_POST_BYTES;
  if (!/^\d+$/.test(file.fileSizeInBytes)) throw unprocessable(`fileSizeInBytes of ${file.fileName} is not a number of bytes: ${file.fileSizeInBytes}`);
  const size = Number(file.fileSizeInBytes);
  if (size > MAX_POST_BYTES) throw unprocessable(`${file.fileName} is larger than the 5 GB one upload can carry`);
  return size;
}

/**
 * POST: creates one work-in-progress file record per file and hands out what the browser-based S3
 * upload of each needs. Everything is checked before the first record is written.
 */
export async function initializeUpload(ctx: SandboxContext, req: RouteRequest, res: ServerResponse): Promise<void> {
  const { objectId, fileType, files } = readProperties(asObject(await readJson(req.raw)));
  const parentId = normalizeId(objectId);
  const parent = parentId === undefined ? undefined : ctx.store.get(parentId);
  if (parent === undefined) throw notFound(`No record found for objectId ${objectId}`);
  const fileObject = fileObjectNamed(ctx.store.schema, fileType);
  if (fileObject === undefined) throw unprocessable(`${fileType} is not an S-Drive file object`);
  const parentType = ctx.store.typeOf(parent.Id);
  if (parentType !== fileObject.parentObject) {
    throw unprocessable(`${fileObject.def.name} holds files of ${fileObject.parentObject} records, not of ${parentType ?? 'unknown'} records`);
  }
  for (const f of files) {
    if (f.relationshipFieldName.toLowerCase() !== fileObject.parentField.toLowerCase()) {
      throw unprocessable(`${f.relationshipFieldName} is not the parent relationship field of ${fileObject.def.name}`);
    }
  }
  const folderId = targetFolder(files);
  checkFolder(ctx.store, fileObject, parent.Id, folderId);
  const names = new Set<string>();
  for (const f of files) {
    const name = f.fileName.toLowerCase();
    if (f.fileName.length > 255) throw unprocessable(`The file name is longer than 255 characters: ${f.fileName}`);
    if (names.has(name) || fileObject.findByName(ctx.store, parent.Id, folderId, f.fileName) !== undefined) {
      throw unprocessable(duplicateName(f.fileName));
    }
    names.add(name);
  }
  const planned = files.map((f) => {
    const maxBytes = allowedBytes(f);
    const values = {
      Name: f.fileName.slice(0, 80),
      [fileObject.parentField]: parent.Id,
      ...fileObject.values({
        WIP__c: true,
        File_Name__c: f.fileName,
        Content_Type__c: f.fileType === '' ? 'application/octet-stream' : f.fileType,
        Description__c: f.description === '' ? null : f.description,
        File_Size_in_Bytes__c: f.fileSizeInBytes === '' ? null : maxBytes,
        Parent_Folder_Id__c: folderId === '' ? null : folderId,
        Bucket_Id__c: BUCKET_NAME,
      }),
    };
    ctx.validationRules.check(fileObject.def.name, values);
    return { file: f, maxBytes, values };
  });

  const userId = req.principal?.userId ?? ctx.defaultUser.id;
  const now = new Date();
  const date = amzDate(now);
  const keys = s3Keys(ctx.store);
  const credential = credentialOf(keys, date);
  const expiresAt = new Date(now.getTime() + POLICY_LIFETIME_MS);
  const uploadRequestInfo = planned.map(({ file, maxBytes, values }) => {
    const record = ctx.store.insert(fileObject.def, values, userId, now);
    deriveFields(fileObject.def, record);
    const key = objectKey(parent.Id, record.Id, file.fileName);
    ctx.store.update(record.Id, fileObject.values({ Key__c: key }), userId, now);
    const policy = encodePolicy(uploadPolicy({ bucket: BUCKET_NAME, key, maxBytes, credential, date, expiresAt }));
    return {
      fileName: file.fileName,
      fileLocation: key,
      fileSize: file.fileSizeInBytes,
      fileType: values[fileObject.field('Content_Type__c')],
      wipFileId: record.Id,
      signature: sign(keys, date, policy),
      policy,
      timeStamp: date,
      awsRegion: AWS_REGION,
      awsCredential: credential,
      metadataHeaders: {},
      s3EncryptionType: 'AES256',
      // Not in the vendor's answer, which leaves the endpoint to configuration: a sandbox extension.
      uploadUrl: `${ctx.baseUrl()}/s3/${BUCKET_NAME}`,
    };
  });
  sendJson(res, 201, { uploadRequestInfo });
}
