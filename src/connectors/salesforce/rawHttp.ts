import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface RawRequest {
  readonly method: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Readable;
  /** The body's exact length, sent as Content-Length so that no chunked framing is needed. */
  readonly length?: number;
  readonly signal?: AbortSignal;
}

/**
 * One HTTP(S) exchange resolving with the response head. node:http keeps a streamed body under
 * backpressure, where Node's fetch reads it ahead whole: memory would grow with the file.
 */
export function sendRaw(url: URL, init: RawRequest): Promise<IncomingMessage> {
  const headers: Record<string, string | number> = { ...init.headers };
  if (init.length !== undefined) headers['Content-Length'] = init.length;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: init.method, headers, ...(init.signal === undefined ? {} : { signal: init.signal }) }, resolve);
    req.once('error', reject);
    if (init.body === undefined) {
      req.end();
      return;
    }
    pipeline(init.body, req).catch((e: unknown) => {
      const error = e instanceof Error ? e : new Error(String(e));
      req.destroy(error);
      reject(error);
    });
  });
}
