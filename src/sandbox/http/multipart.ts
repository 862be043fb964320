import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { OrgStore, StoredBlob } from '../OrgStore.js';
import { apiError, SfHttpError } from './respond.js';

export interface MultipartInsert {
  readonly entity: unknown;
  readonly blob: StoredBlob | undefined;
}

/**
 * Reads a multipart sObject insert as it streams: the JSON part (any name, found by its
 * `application/json` type) and the binary part named after the blob field, in either order, the
 * binary one going straight to disk. Both layouts occur in practice: the documentation's
 * `entity_content` first, and jsforce's binary-first with the part named after the object.
 */
export async function readMultipartInsert(req: IncomingMessage, store: OrgStore, blobField: string, maxBytes: number): Promise<MultipartInsert> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { fileSize: maxBytes, fieldSize: 52_428_800 } });
  } catch (e) {
    throw apiError(400, 'MALFORMED_REQUEST', `Invalid multipart request: ${(e as Error).message}`);
  }
  let entity: unknown;
  let blob: Promise<StoredBlob> | undefined;
  let failure: SfHttpError | undefined;
  const fail = (e: SfHttpError): void => {
    failure ??= e;
  };

  parser.on('field', (name, value, info) => {
    if (info.mimeType === 'application/json') {
      try {
        entity = JSON.parse(value) as unknown;
      } catch {
        fail(apiError(400, 'JSON_PARSER_ERROR', `The ${name} part is not valid JSON`));
      }
    } else if (name === blobField) {
      blob = store.putBlobBytes(Buffer.from(value, 'latin1'));
    }
  });
  parser.on('file', (name, stream: Readable) => {
    if (name !== blobField || blob !== undefined) {
      stream.resume();
      return;
    }
    stream.once('limit', () => {
      fail(apiError(400, 'JSON_PARSER_ERROR', `Maximum size of request reached. Maximum size of request is ${maxBytes} bytes.`));
      stream.destroy(new Error('too large'));
    });
    blob = store.putBlob(stream);
    // Handled where the promise is awaited; this keeps an early failure from being reported as unhandled.
    blob.catch(() => undefined);
  });

  const finished = new Promise<void>((resolve, reject) => {
    parser.once('close', resolve);
    parser.once('error', reject);
    req.once('aborted', () => reject(new Error('The client closed the connection')));
  });
  req.pipe(parser);
  let stored: StoredBlob | undefined;
  try {
    await finished;
    stored = blob === undefined ? undefined : await blob;
  } catch (e) {
    if (blob !== undefined) {
      const partial = await blob.catch(() => undefined);
      if (partial !== undefined) await store.removeBlob(partial.key);
    }
    if (failure !== undefined) throw failure;
    if (e instanceof SfHttpError) throw e;
    throw apiError(400, 'MALFORMED_REQUEST', `Invalid multipart request: ${(e as Error).message}`);
  }
  if (failure !== undefined || entity === undefined) {
    if (stored !== undefined) await store.removeBlob(stored.key);
    throw failure ?? apiError(400, 'MALFORMED_REQUEST', 'The multipart request has no part of type application/json');
  }
  return { entity, blob: stored };
}
