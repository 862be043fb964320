import type { IncomingMessage } from 'node:http';
import { TransferError } from '../../errors.js';
import type { SalesforceSession } from '../SalesforceSession.js';
import type { UploadBody } from '../uploadBody.js';
import type { FileObjectInfo } from './fileObjects.js';
import { mimeTypeOf } from './mimeTypes.js';
import { buildS3Form, formFields } from './s3Form.js';
import { drain, s3Request, transportError } from './s3Http.js';
import { completeUpload, deleteFiles, initializeUpload } from './sdriveResource.js';

export interface UploadTarget {
  readonly session: SalesforceSession;
  readonly fileObject: FileObjectInfo;
  /** Where uploads go when the initialize answer does not say. */
  readonly uploadUrl: string | undefined;
  readonly recordId: string;
  /** The folder record's id; '' for the record's root. */
  readonly folderId: string;
  /** The name the record is created with. */
  readonly fileName: string;
  /** The name a download is saved under, and what the MIME type is guessed from. */
  readonly shownName: string;
  /** The connector path, for messages. */
  readonly subject: string;
}

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * S3's ETag of a single-part upload is the MD5 of the bytes, unless the object is encrypted with a KMS
 * or customer key: only then is it no checksum, and the comparison is skipped.
 */
function checkEtag(response: IncomingMessage, md5: string, subject: string): void {
  const etag = /^"?([0-9a-f]{32})"?$/i.exec(header(response, 'etag') ?? '')?.[1];
  const encryption = header(response, 'x-amz-server-side-encryption');
  const plainMd5 = (encryption === undefined || encryption === 'AES256') && header(response, 'x-amz-server-side-encryption-customer-algorithm') === undefined;
  if (etag === undefined || !plainMd5 || etag.toLowerCase() === md5) return;
  throw new TransferError('integrity', `S3 stored ${subject} differently from what was sent (MD5 ${etag.toLowerCase()}, sent ${md5})`, { path: subject, retryable: true });
}

/** The vendor's cancelUpload: the work-in-progress record goes, so no orphan is left behind. */
async function cancelUpload(target: UploadTarget, wipId: string, error: TransferError): Promise<TransferError> {
  try {
    await deleteFiles(target.session, target.recordId, [wipId], `cancelling the upload of ${target.subject}`);
    return error;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return new TransferError(error.kind, `${error.message}; the unfinished S-Drive record ${wipId} could not be removed either: ${why}`, {
      path: target.subject,
      retryable: error.retryable,
      cause: error,
    });
  }
}

/**
 * S-Drive's three-step upload of one file: initialize (a work-in-progress record and a signed policy),
 * the browser-style POST of the bytes to S3, streamed, then complete with S3's version id. Any failure
 * after initialize deletes the work-in-progress record again. Returns the new record's id.
 */
export async function uploadFile(target: UploadTarget, body: UploadBody, signal?: AbortSignal): Promise<string> {
  const contentType = mimeTypeOf(target.shownName);
  const info = await initializeUpload(
    target.session,
    { recordId: target.recordId, fileObject: target.fileObject, folderId: target.folderId, fileName: target.fileName, contentType, size: body.size },
    target.subject,
    signal,
  );
  try {
    const url = info.uploadUrl ?? target.uploadUrl;
    if (url === undefined) {
      throw new TransferError('config', `S-Drive did not say where its bucket takes uploads: set the S3 upload URL of this connection (${target.subject})`);
    }
    const form = buildS3Form(formFields(info, target.shownName, contentType), body.open(), body.size, contentType);
    const response = await s3Request(
      url,
      { method: 'POST', headers: { 'Content-Type': form.contentType }, body: form.body, length: form.contentLength, ...(signal === undefined ? {} : { signal }) },
      `the upload of ${target.subject}`,
    );
    await drain(response);
    checkEtag(response, form.md5(), target.subject);
    await completeUpload(target.session, info.wipFileId, header(response, 'x-amz-version-id'), target.subject, signal);
    return info.wipFileId;
  } catch (e) {
    throw await cancelUpload(target, info.wipFileId, transportError(e, target.subject));
  }
}
