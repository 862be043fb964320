import { readFile } from 'node:fs/promises';
import { extname, relative, resolve, sep } from 'node:path';
import type { CustomScheme } from 'electron';
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

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
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
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0') || path.includes('\\')) return undefined;
  const file = resolve(base, `.${path === '/' ? '/index.html' : path}`);
  const inside = relative(base, file);
  return inside === '' || inside.startsWith(`..${sep}`) || inside === '..' ? undefined : file;
}

function answer(status: number, contentType: string, body: Buffer | string): Response {
  return new Response(typeof body === 'string' ? body : new Uint8Array(body), {
    status,
    headers: { 'Content-Type': contentType, 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' },
  });
}
