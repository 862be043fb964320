import type { IncomingMessage } from 'node:http';
import type { LoopbackSite } from './loopbackSite.js';
import { readCookie, sameSecret } from './sessionSecrets.js';

/** Why a request is not answered, as an HTTP status and a short text for whoever sent it. */
export interface Refusal {
  readonly status: number;
  readonly text: string;
}

/**
 * Refuses what did not come from our own pages at our own address: a `Host` other than ours is how a
 * DNS-rebinding page reaches a loopback server under its own name, and an `Origin` other than ours is
 * another site's page. A request without `Origin` is not a browser's cross-site request; the session
 * cookie still has to be there.
 */
export function foreignRequestRefusal(req: IncomingMessage, site: LoopbackSite): Refusal | undefined {
  const host = req.headers.host?.toLowerCase();
  if (host === undefined || !site.hosts.has(host)) {
    return { status: 421, text: `Ferry answers only at http://127.0.0.1:${site.port}/ and http://localhost:${site.port}/.` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !site.origins.has(origin)) return { status: 403, text: 'Ferry does not answer requests from other web pages.' };
  return undefined;
}

export const NO_SESSION: Refusal = { status: 401, text: 'Open Ferry with the address `ferry serve` printed (it carries the key).' };

export function hasSession(req: IncomingMessage, site: LoopbackSite): boolean {
  const presented = readCookie(req.headers.cookie, site.cookieName);
  return presented !== undefined && sameSecret(presented, site.session);
}
