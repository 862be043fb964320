import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sendHtml, sendText } from './responses.js';

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

const NOT_BUILT = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Ferry</title></head>
<body>
<h1>Ferry's window is not built yet</h1>
<p>In Ferry's folder, run <code>npm run build</code>, then reload this page.</p>
</body>
</html>
`;

/**
 * The built window, from one folder and never outside it. A path without an extension that names no
 * file is one of the window's own routes and gets `index.html`; a missing asset is a 404, so that a
 * script tag never receives a page.
 */
export class StaticFiles {
  readonly #folder: string;

  constructor(folder: string) {
    this.#folder = folder;
  }

  /** `segments` are decoded and already free of `.`, `..` and separators (see `safeSegments`). */
  async serve(req: IncomingMessage, res: ServerResponse, segments: ReadonlyArray<string>): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Ferry serves its window only to GET.', { Allow: 'GET, HEAD' });
      return;
    }
    const root = await realpath(this.#folder).catch(() => undefined);
    const file = root === undefined ? undefined : await this.#file(root, segments);
    if (file !== undefined) {
      await sendFile(req, res, file);
      return;
    }
    if (extname(segments.at(-1) ?? '') !== '') {
      sendText(res, 404, 'Not found.');
      return;
    }
    const index = root === undefined ? undefined : await this.#file(root, ['index.html']);
    if (index === undefined) sendHtml(res, 503, NOT_BUILT);
    else await sendFile(req, res, index);
  }

  /** The real path of a regular file under `root`, following links only as far as they stay inside. */
  async #file(root: string, segments: ReadonlyArray<string>): Promise<{ readonly path: string; readonly size: number } | undefined> {
    const path = await realpath(join(root, ...segments)).catch(() => undefined);
    if (path === undefined || !path.startsWith(root + sep)) return undefined;
    const info = await stat(path).catch(() => undefined);
    return info?.isFile() === true ? { path, size: info.size } : undefined;
  }
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: { readonly path: string; readonly size: number }): Promise<void> {
  const type = CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream';
  // Nothing outlives a rebuild of the window: pages are never stored, other files are asked for again.
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(file.size), 'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'no-cache' });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // A page that goes away mid-file has ended the response itself; there is no one left to tell.
  await pipeline(createReadStream(file.path), res).catch(() => undefined);
}
