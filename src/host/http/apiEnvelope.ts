import type { IncomingMessage } from 'node:http';
import type { Wire } from '../../shared/contract/wire.js';
import { badRequest } from './responses.js';

/** A request to the API refused before its body is read. */
export interface EnvelopeRefusal {
  readonly status: number;
  readonly wire: Wire<never>;
  readonly headers: Readonly<Record<string, string>>;
}

export const FERRY_HEADER = 'x-ferry';

/**
 * What every state-changing request must carry. A page of another site can send a form or a simple
 * `fetch` without asking, but not a custom header or a JSON or octet-stream body: those need a CORS
 * preflight, which this server never approves.
 */
export function envelopeRefusal(req: IncomingMessage, contentType: 'application/json' | 'application/octet-stream'): EnvelopeRefusal | undefined {
  if (req.method !== 'POST') return { status: 405, wire: badRequest('Ferry takes this request only as POST'), headers: { Allow: 'POST' } };
  if (req.headers[FERRY_HEADER] !== '1') return { status: 403, wire: badRequest('Ferry takes this request only with the header X-Ferry: 1'), headers: {} };
  if (mediaType(req.headers['content-type']) !== contentType) {
    return { status: 415, wire: badRequest(`Ferry takes this request only as ${contentType}`), headers: {} };
  }
  return undefined;
}

function mediaType(header: string | undefined): string | undefined {
  return header?.split(';')[0]?.trim().toLowerCase();
}

/** The declared body length, or undefined when the client streams it without saying (chunked). */
export function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers['content-length'];
  if (header === undefined || !/^\d+$/.test(header)) return undefined;
  return Number(header);
}
