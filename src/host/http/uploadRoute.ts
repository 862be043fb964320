import type { IncomingMessage, ServerResponse } from 'node:http';
import { unsafeNameReason } from '../../connectors/paths.js';
import { locationSchema, type Location } from '../../shared/contract/models.js';
import type { CoreHost } from '../CoreHost.js';
import { declaredLength, envelopeRefusal } from './apiEnvelope.js';
import { badRequest, sendWire } from './responses.js';

/**
 * `POST /api/upload?connection=…&path=…&name=…`: a file dropped from the desktop into the browser, which
 * has no path for it, sent as the raw body and streamed into the core as it arrives.
 */
export async function answerUpload(req: IncomingMessage, res: ServerResponse, core: CoreHost, query: URLSearchParams): Promise<void> {
  const refusal = envelopeRefusal(req, 'application/octet-stream');
  if (refusal !== undefined) {
    sendWire(res, refusal.status, refusal.wire, refusal.headers);
    return;
  }
  const target = uploadTarget(query);
  if (typeof target === 'string') {
    sendWire(res, 400, badRequest(target));
    return;
  }
  sendWire(res, 200, await core.receive(target.folder, target.name, req, declaredLength(req)));
}

/** The folder and file name an upload names, or why they are refused. */
function uploadTarget(query: URLSearchParams): { readonly folder: Location; readonly name: string } | string {
  const single = (key: string): string | undefined => {
    const values = query.getAll(key);
    return values.length === 1 ? values[0] : undefined;
  };
  const connection = single('connection');
  const path = single('path');
  const name = single('name');
  if (connection === undefined || path === undefined || name === undefined) return 'An upload names its connection, folder path and file name, each once';
  const folder = locationSchema.safeParse({ connection, path });
  if (!folder.success) return `The upload's folder is not valid: ${folder.error.issues[0]?.message ?? 'unknown problem'}`;
  const reason = unsafeNameReason(name);
  if (reason !== undefined) return `Refused the file name ${JSON.stringify(name)}: ${reason}`;
  return { folder: folder.data, name };
}
