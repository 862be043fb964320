import { deriveFields } from '../api/values.js';
import type { SandboxContext } from '../context.js';
import { asObject, readJson } from '../http/body.js';
import { sendJson } from '../http/respond.js';
import type { RouteRequest, Router, ServerResponse } from '../http/router.js';
import { sameId } from '../ids.js';
import type { SRecord } from '../OrgStore.js';
import { duplicateName, missingFields, notFound, unprocessable } from './errors.js';
import { type FileObject, fileRecord } from './fileObjects.js';
import { initializeUpload } from './initialize.js';
import { deleteS3Object, getS3Object } from './objects.js';
import { BUCKET_NAME } from './s3.js';
import { MAX_LINK_SECONDS, presignedGetUrl, s3Keys } from './signing.js';

const RESOURCE = '/services/apexrest/cg/SDrive/files';
const DEFAULT_LINK_SECONDS = 300;

interface FoundFile {
  readonly fileObject: FileObject;
  readonly record: SRecord;
}

/** Ids given as `a,b` or as repeated parameters. */
function idList(url: URL, name: string): string[] {
  return url.searchParams
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items: unknown[] = value;
  return items.every((v): v is string => typeof v === 'string') ? items : undefined;
}

function findFile(ctx: SandboxContext, id: string): FoundFile {
  const found = fileRecord(ctx.store, id);
  if (found === undefined) throw notFound(`No S-Drive file found with id ${id}`);
  return found;
}

function checkParent(found: FoundFile, parentId: string): void {
  if (!sameId(found.fileObject.parentOf(found.record), parentId)) {
    throw unprocessable(`The file ${found.record.Id} does not belong to the record ${parentId}`);
  }
}

/** PUT: marks uploaded files complete; a file whose bytes never reached the bucket stays in progress. */
async function completeUpload(ctx: SandboxContext, req: RouteRequest, res: ServerResponse): Promise<void> {
  const body = asObject(await readJson(req.raw));
  const wipIds = stringList(body['wipIds']) ?? [];
  if (wipIds.length === 0) throw missingFields(['wipIds']);
  const versionIds = body['versionIds'] === undefined || body['versionIds'] === null ? [] : stringList(body['versionIds']);
  if (versionIds === undefined || (versionIds.length > 0 && versionIds.length !== wipIds.length)) {
    throw unprocessable('versionIds must list one version id per wipId');
  }
  const files = wipIds.map((id) => findFile(ctx, id));
  const userId = req.principal?.userId ?? ctx.defaultUser.id;
  const resultObjects = files.map(({ fileObject, record }, i) => {
    const failed = (message: string): { id: string; success: false; message: string } => ({ id: record.Id, success: false, message });
    // A repeated call (jsforce retries a PUT whose answer was lost) finds the file already complete.
    if (!fileObject.isWip(record)) return { id: record.Id, success: true };
    const object = getS3Object(ctx.store, fileObject.text(record, 'Key__c'));
    if (object === undefined) return failed('The file has not been uploaded');
    const versionId = versionIds[i] ?? '';
    if (versionId !== '' && versionId !== object.versionId) return failed(`The uploaded object's version is ${object.versionId}, not ${versionId}`);
    const name = fileObject.text(record, 'File_Name__c');
    const folder = fileObject.text(record, 'Parent_Folder_Id__c');
    // Two uploads of one name may both have started; the second to finish must not make a duplicate.
    if (fileObject.findByName(ctx.store, fileObject.parentOf(record), folder, name, record.Id) !== undefined) return failed(duplicateName(name));
    ctx.store.update(record.Id, fileObject.values({ WIP__c: false, File_Size_in_Bytes__c: object.size, Version_Id__c: object.versionId }), userId);
    deriveFields(fileObject.def, record);
    return { id: record.Id, success: true };
  });
  sendJson(res, 200, { resultObjects });
}

/** GET: presigned download links, one per file, never for a folder or a file still in progress. */
async function fileUrls(ctx: SandboxContext, req: RouteRequest, res: ServerResponse): Promise<void> {
  const ids = idList(req.url, 'fileObjectId');
  const parents = idList(req.url, 'parentId');
  const missing = [...(ids.length === 0 ? ['fileObjectId'] : []), ...(parents.length === 0 ? ['parentId'] : [])];
  if (missing.length > 0) throw missingFields(missing);
  if (ids.length !== parents.length) throw unprocessable('The fileObjectId and parentId arrays must have the same length');
  const timeText = req.url.searchParams.get('timeValue')?.trim() ?? '';
  const seconds = timeText === '' ? DEFAULT_LINK_SECONDS : /^\d+$/.test(timeText) ? Number(timeText) : Number.NaN;
  if (!(seconds >= 1 && seconds <= MAX_LINK_SECONDS)) throw unprocessable(`timeValue must be between 1 and ${MAX_LINK_SECONDS} seconds`);
  const overrides = [...req.url.searchParams].filter(([name]) => name.startsWith('response-'));
  const keys = s3Keys(ctx.store);
  const issuedAt = new Date();
  const links = ids.map((id, i) => {
    const found = findFile(ctx, id);
    const { fileObject, record } = found;
    if (fileObject.isDeleted(record)) throw notFound(`No S-Drive file found with id ${id}`);
    if (fileObject.isFolder(record)) throw unprocessable(`${record.Id} is a folder, not a file`);
    if (fileObject.isWip(record)) throw unprocessable(`${record.Id} is still being uploaded`);
    checkParent(found, parents[i] ?? '');
    const key = fileObject.text(record, 'Key__c');
    if (key === '') throw unprocessable(`${record.Id} has no stored object`);
    return presignedGetUrl(keys, { baseUrl: ctx.baseUrl(), bucket: BUCKET_NAME, key, expiresSeconds: seconds, issuedAt, overrides });
  });
  sendJson(res, 200, { fileUrls: links });
}

/** A file, or a folder with everything under it, deepest last. */
function withContents(ctx: SandboxContext, { fileObject, record }: FoundFile): SRecord[] {
  const all = [record];
  for (let i = 0; i < all.length; i++) {
    const current = all[i];
    if (current === undefined || !fileObject.isFolder(current)) continue;
    all.push(...fileObject.children(ctx.store, fileObject.parentOf(current), current.Id));
  }
  return all;
}

/** DELETE: removes files and folders with their contents, records and stored objects alike. */
async function deleteFiles(ctx: SandboxContext, req: RouteRequest, res: ServerResponse): Promise<void> {
  const parentId = req.url.searchParams.get('objectId')?.trim() ?? '';
  const ids = idList(req.url, 'fileObjectId');
  const missing = [...(parentId === '' ? ['objectId'] : []), ...(ids.length === 0 ? ['fileObjectId'] : [])];
  if (missing.length > 0) throw missingFields(missing);
  if (ctx.store.get(parentId) === undefined) throw notFound(`No record found for objectId ${parentId}`);
  const files = ids.map((id) => findFile(ctx, id));
  for (const found of files) checkParent(found, parentId);
  for (const found of files) {
    for (const record of withContents(ctx, found)) {
      const key = found.fileObject.text(record, 'Key__c');
      if (key !== '') await deleteS3Object(ctx.store, key);
      ctx.store.delete(record.Id);
    }
  }
  sendJson(res, 200, { resultObjects: files.map(({ record }) => ({ id: record.Id, success: true })) });
}

/** S-Drive's packaged Apex REST resource for uploading, linking and deleting files. */
export function registerSDriveRoutes(router: Router, ctx: SandboxContext): void {
  router.add('POST', RESOURCE, (req, res) => initializeUpload(ctx, req, res));
  router.add('PUT', RESOURCE, (req, res) => completeUpload(ctx, req, res));
  router.add('GET', RESOURCE, (req, res) => fileUrls(ctx, req, res));
  router.add('DELETE', RESOURCE, (req, res) => deleteFiles(ctx, req, res));
}
