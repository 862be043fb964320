import { apiError, type SfHttpError } from '../http/respond.js';

// The status codes S-Drive's files resource documents, answered in the Apex REST error envelope.

export function missingFields(fields: ReadonlyArray<string>): SfHttpError {
  return apiError(412, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${fields.join(', ')}]`, fields);
}

export function notFound(message: string): SfHttpError {
  return apiError(404, 'NOT_FOUND', message);
}

export function unprocessable(message: string): SfHttpError {
  return apiError(422, 'INVALID_INPUT', message);
}

/** The messages of S-Drive's own `SDriveException`s, which its documentation quotes. */
export const SAME_FOLDER_REQUIRED = 'Parent Folder IDs must be the same for all file records that are being uploaded';

export function duplicateName(fileName: string): string {
  return `A file with the same name exists in the target folder (${fileName})`;
}
