import { z } from 'zod';
import { TransferError } from '../../errors.js';
import { errorEntryOf } from '../mapSalesforceError.js';
import type { HttpMethod, SalesforceSession } from '../SalesforceSession.js';
import type { FileObjectInfo } from './fileObjects.js';
import type { UploadGrant } from './s3Form.js';

/** S-Drive's packaged Apex REST resource: initialize (POST), complete (PUT), download links (GET), delete. */
const RESOURCE = '/services/apexrest/cg/SDrive/files';
/** Download links live long enough to start the transfer; S3 checks expiry only when a request begins. */
const LINK_SECONDS = 300;

const UploadInfoSchema = z.object({
  fileLocation: z.string().min(1),
  fileType: z.string().nullish(),
  wipFileId: z.string().min(1),
  signature: z.string(),
  policy: z.string(),
  timeStamp: z.string(),
  awsCredential: z.string(),
  metadataHeaders: z.record(z.string(), z.string()).nullish(),
  s3EncryptionType: z.string().nullish(),
  uploadUrl: z.string().nullish(),
});
const InitializeAnswer = z.object({ uploadRequestInfo: z.array(UploadInfoSchema).min(1) });
const ResultsAnswer = z.object({
  resultObjects: z.array(z.object({ id: z.string().nullish(), success: z.boolean(), message: z.string().nullish() })).nullish(),
});
const LinksAnswer = z.object({ fileUrls: z.array(z.string()).min(1) });

export interface UploadInfo extends UploadGrant {
  readonly wipFileId: string;
  /** The bucket's POST endpoint, where the org says it (the vendor's answer leaves it to configuration). */
  readonly uploadUrl: string | undefined;
}

export interface InitializeRequest {
  readonly recordId: string;
  readonly fileObject: FileObjectInfo;
  /** The folder record's id; '' for the record's root. */
  readonly folderId: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
}

const DUPLICATE_NAME = /same name exists/i;

/**
 * S-Drive refuses semantically wrong input (a duplicate name, a folder of another record) with its own
 * error code, which the generic mapping calls a protocol error: the file's own problem is named here.
 */
function refine(e: unknown): unknown {
  if (!(e instanceof TransferError)) return e;
  const entry = errorEntryOf(e.cause);
  if (entry === undefined || !/^INVALID_INPUT$|^ERROR_HTTP_422$/.test(entry.errorCode)) return e;
  return new TransferError(DUPLICATE_NAME.test(entry.message) ? 'exists' : 'validation', e.message, { cause: e.cause });
}

async function call<T>(schema: z.ZodType<T>, session: SalesforceSession, method: HttpMethod, path: string, subject: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let answer: unknown;
  try {
    answer = await session.json<unknown>(method, path, subject, body, signal);
  } catch (e) {
    throw refine(e);
  }
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw new TransferError('protocol', `${subject}: S-Drive answered in an unexpected shape (${z.prettifyError(parsed.error)})`);
  return parsed.data;
}

function failedResult(answer: z.infer<typeof ResultsAnswer>, subject: string): TransferError | undefined {
  const failed = answer.resultObjects?.find((r) => !r.success);
  if (failed === undefined) return undefined;
  const message = failed.message ?? 'no reason given';
  return new TransferError(DUPLICATE_NAME.test(message) ? 'exists' : 'protocol', `${subject}: S-Drive refused: ${message}`);
}

/** Step 1: a work-in-progress record for one file, and the signed policy for its S3 upload. */
export async function initializeUpload(session: SalesforceSession, request: InitializeRequest, subject: string, signal?: AbortSignal): Promise<UploadInfo> {
  const answer = await call(
    InitializeAnswer,
    session,
    'POST',
    RESOURCE,
    subject,
    {
      objectId: request.recordId,
      multipartUpload: false,
      fileType: request.fileObject.name,
      fileProperties: [
        {
          fileName: request.fileName,
          fileLocation: request.folderId,
          description: '',
          relationshipFieldName: request.fileObject.parentField,
          fileType: request.contentType,
          fileSizeInBytes: String(request.size),
        },
      ],
    },
    signal,
  );
  const [info] = answer.uploadRequestInfo;
  if (info === undefined || answer.uploadRequestInfo.length !== 1) {
    throw new TransferError('protocol', `${subject}: S-Drive prepared ${answer.uploadRequestInfo.length} uploads for one file`);
  }
  return {
    fileLocation: info.fileLocation,
    fileType: info.fileType ?? '',
    wipFileId: info.wipFileId,
    signature: info.signature,
    policy: info.policy,
    timeStamp: info.timeStamp,
    awsCredential: info.awsCredential,
    metadataHeaders: info.metadataHeaders ?? {},
    s3EncryptionType: info.s3EncryptionType ?? '',
    uploadUrl: info.uploadUrl ?? undefined,
  };
}

/** Step 3: marks the uploaded file finished; S3's version id ties the record to exactly the bytes sent. */
export async function completeUpload(session: SalesforceSession, wipId: string, versionId: string | undefined, subject: string, signal?: AbortSignal): Promise<void> {
  const body = { wipIds: [wipId], ...(versionId === undefined ? {} : { versionIds: [versionId] }) };
  const answer = await call(ResultsAnswer, session, 'PUT', RESOURCE, subject, body, signal);
  const failed = failedResult(answer, subject);
  if (failed !== undefined) throw failed;
}

/** A presigned S3 link to one finished file. */
export async function downloadLink(session: SalesforceSession, fileId: string, recordId: string, subject: string, signal?: AbortSignal): Promise<string> {
  const query = new URLSearchParams({ fileObjectId: fileId, parentId: recordId, timeValue: String(LINK_SECONDS) });
  const answer = await call(LinksAnswer, session, 'GET', `${RESOURCE}?${query.toString()}`, subject, undefined, signal);
  const [url] = answer.fileUrls;
  if (url === undefined || !/^https?:\/\//i.test(url)) throw new TransferError('protocol', `${subject}: S-Drive gave no usable download link`);
  return url;
}

/**
 * Deletes files or folders (a folder with its whole contents) with their stored objects; also how an
 * unfinished upload is cancelled, as the vendor's cancelUpload deletes the work-in-progress record.
 */
export async function deleteFiles(session: SalesforceSession, recordId: string, ids: ReadonlyArray<string>, subject: string): Promise<void> {
  const query = new URLSearchParams({ objectId: recordId, fileObjectId: ids.join(',') });
  const answer = await call(ResultsAnswer, session, 'DELETE', `${RESOURCE}?${query.toString()}`, subject);
  const failed = failedResult(answer, subject);
  if (failed !== undefined) throw failed;
}
