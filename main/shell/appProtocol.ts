import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { CustomScheme } from 'electron';
import { safeSegments } from '../../src/host/http/requestTarget.js';
import { CONTENT_TYPES } from '../../src/host/http/staticFiles.js';
import { APP_URL, CONTENT_SECURITY_POLICY } from '../security.js';

const APP_HOST = new URL(APP_URL).host;

/**
 * `app:` behaves like https for the page (standard URLs, a secure context, fetch), so the renderer's
 * relative asset URLs resolve, and nothing else about it is loosened. Registered before the app is ready.
 */
export const APP_SCHEME: CustomScheme = {
  scheme: new URL(APP_URL).protocol.slice(0, -1),
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

/**
 * Answers `app://ferry/<path>` with the file at `<path>` under `root` (the renderer's build), the CSP as
 * a header on every answer. A path that leaves `root` (`..`, an encoded slash) or another host is 404:
 * the page can reach the renderer's files and nothing else on disk.
 */
export function rendererResponder(root: string, read: (file: string) => Promise<Buffer> = readFile): (request: Request) => Promise<Response> {
  const base = resolve(root);
  return async (request) => {
    const file = fileFor(base, request.url);
    if (file === undefined) return answer(404, 'text/plain; charset=utf-8', 'Not found');
    try {
      return answer(200, CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', await read(file));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR') return answer(404, 'text/plain; charset=utf-8', 'Not found');
      throw e;
    }
  };
}

function fileFor(base: string, url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.host !== APP_HOST) return undefined;
  const segments = safeSegments(parsed.pathname);
  if (segments === undefined) return undefined;
  return join(base, ...(segments.length === 0 ? ['index.html'] : segments));
}

function answer(status: number, contentType: string, body: Buffer | string): Response {
  return new Response(typeof body === 'string' ? body : new Uint8Array(body), {
    status,
    headers: { 'Content-Type': contentType, 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' },
  });
}
