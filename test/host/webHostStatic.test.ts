import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeCore, send, startSignedIn, type Answer, type Started } from './webHostFakes.js';

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/app-3f2a.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = 'console.log("Ferry");';
const SECRET = 'partner password: hunter2';

describe("ferry serve: the window's files", () => {
  let folder: string;
  let site: string;
  let started: Started;

  const get = (path: string): Promise<Answer> => send(started.port, { path, headers: { Cookie: started.cookie } });

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ferry-web-'));
    site = join(folder, 'renderer-web');
    await mkdir(join(site, 'assets'), { recursive: true });
    await writeFile(join(site, 'index.html'), INDEX);
    await writeFile(join(site, 'assets', 'app-3f2a.js'), SCRIPT);
    await writeFile(join(site, 'assets', 'app-3f2a.css'), 'body{margin:0}');
    await writeFile(join(site, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(join(folder, 'package.json'), SECRET);
    await symlink(join(folder, 'package.json'), join(site, 'linked.json'));
    started = await startSignedIn(new FakeCore(), site);
  });
  afterEach(async () => {
    await started.host.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('serves index.html at / with a strict policy and never cached', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toBe(INDEX);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const policy = Object.fromEntries(String(page.headers['content-security-policy']).split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(' ');
      return [name, values];
    }));
    expect(policy['default-src']).toEqual(["'none'"]);
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['connect-src']).toEqual(["'self'", `ws://127.0.0.1:${started.port}`, `ws://localhost:${started.port}`]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
  });

  it('serves assets with their content types', async () => {
    const script = await get('/assets/app-3f2a.js');
    expect([script.status, script.body, script.headers['content-type']]).toEqual([200, SCRIPT, 'text/javascript; charset=utf-8']);
    expect((await get('/assets/app-3f2a.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/favicon.svg')).headers['content-type']).toBe('image/svg+xml');
    expect((await get('/assets/app-3f2a.js')).headers['x-content-type-options']).toBe('nosniff');
  });

  it("answers the window's own routes with index.html, and a missing asset with 404", async () => {
    const route = await get('/transfers/42');
    expect([route.status, route.body]).toEqual([200, INDEX]);
    const missing = await get('/assets/app-0000.js');
    expect(missing.status).toBe(404);
    expect(missing.body).not.toContain('<html');
  });

  it('refuses every path that climbs out of its folder, encoded or not', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/%2E%2E/package.json', '/assets/%2e%2e/%2e%2e/package.json', '/..%2fpackage.json', '/..%5cpackage.json', '/assets/..', '/./index.html', '/%00']) {
      const answer = await get(path);
      expect(answer.status, path).toBe(400);
      expect(answer.body, path).not.toContain(SECRET);
    }
  });

  it('does not follow a link out of its folder', async () => {
    const linked = await get('/linked.json');
    expect(linked.status).toBe(404);
    expect(linked.body).not.toContain(SECRET);
  });

  it('serves files only to GET and HEAD', async () => {
    const head = await send(started.port, { method: 'HEAD', path: '/assets/app-3f2a.js', headers: { Cookie: started.cookie } });
    expect([head.status, head.headers['content-length'], head.body]).toEqual([200, String(SCRIPT.length), '']);
    expect((await send(started.port, { method: 'PUT', path: '/index.html', headers: { Cookie: started.cookie }, body: 'x' })).status).toBe(405);
  });

  it('says how to build the window when its folder is missing', async () => {
    await rm(site, { recursive: true });
    const page = await get('/');
    expect(page.status).toBe(503);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('npm run build');
  });
});
