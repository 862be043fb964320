import type { IncomingMessage } from 'node:http';
import { declaredLength } from './apiEnvelope.js';

/** A command's input never comes near this; it only keeps a runaway client from filling memory. */
export const MAX_JSON_BODY = 8 * 1024 * 1024;

export type JsonBody = { readonly kind: 'json'; readonly value: unknown } | { readonly kind: 'tooLarge' } | { readonly kind: 'invalid' } | { readonly kind: 'aborted' };

/**
 * Reads a JSON body up to `limit` bytes. Past the limit the rest is read and dropped rather than the
 * connection cut, so that the client reads the refusal instead of a reset.
 */
export function readJsonBody(req: IncomingMessage, limit = MAX_JSON_BODY): Promise<JsonBody> {
  return new Promise((resolve) => {
    const declared = declaredLength(req);
    if (declared !== undefined && declared > limit) {
      req.resume();
      resolve({ kind: 'tooLarge' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve({ kind: 'tooLarge' });
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => {
      if (over) return;
      try {
        resolve({ kind: 'json', value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      } catch {
        resolve({ kind: 'invalid' });
      }
    });
    req.on('error', () => resolve({ kind: 'aborted' }));
  });
}
