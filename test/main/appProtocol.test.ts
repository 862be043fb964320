import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererResponder } from '../../main/shell/appProtocol.js';
import { CONTENT_SECURITY_POLICY } from '../../main/security.js';

let root: string;
let outside: string;
let respond: (request: Request) => Promise<Response>;

beforeAll(async () => {
  outside = await mkdtemp(join(tmpdir(), 'ferry-protocol-'));
  root = join(outside, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Ferry</title>');
  await writeFile(join(root, 'assets', 'main-1a2b.js'), 'console.log("ferry")');
  await writeFile(join(outside, 'secret.txt'), 'not for the page');
  respond = rendererResponder(root);
});

afterAll(async () => {
  await rm(outside, { recursive: true, force: true });
});

const get = (url: string): Promise<Response> => respond(new Request(url));

describe('the app:// scheme', () => {
  it('serves the page and its assets with their type and the CSP as a header', async () => {
    for (const url of ['app://ferry/', 'app://ferry/index.html']) {
      const page = await get(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await page.text()).toContain('<title>Ferry</title>');
    }
    const script = await get('app://ferry/assets/main-1a2b.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await script.text()).toBe('console.log("ferry")');
  });

  it('answers 404, with the CSP, for anything outside the renderer or another host', async () => {
    for (const url of [
      'app://ferry/../secret.txt',
      'app://ferry/%2e%2e/secret.txt',
      'app://ferry/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://ferry/..%5csecret.txt',
      'app://ferry/missing.js',
      'app://ferry/assets',
      'app://ferry/%E0%A4%A',
      'app://evil/index.html',
    ]) {
      const answer = await get(url);
      expect(answer.status, url).toBe(404);
      expect(answer.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await answer.text()).not.toContain('not for the page');
    }
  });
});
