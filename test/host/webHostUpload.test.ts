import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Location } from '../../src/shared/contract/models.js';
import { ok, type Wire } from '../../src/shared/contract/wire.js';
import { commandHeaders, FakeCore, send, type Started, openSignedIn, startSignedIn, type SignedInWorld } from './webHostFakes.js';

function uploadHeaders(started: Started): Record<string, string> {
  return { ...commandHeaders(started), 'Content-Type': 'application/octet-stream' };
}

function uploadPath(connection: string, path: string, name: string): string {
  return `/api/upload?${new URLSearchParams({ connection, path, name }).toString()}`;
}

describe('ferry serve: files dropped into the browser', () => {
  let world: SignedInWorld;
  let folder: string;
  let core: FakeCore;
  let started: Started;

  beforeEach(async () => {
    world = await openSignedIn();
    ({ folder, core, started } = world);
  });
  afterEach(() => world.close());

  it('streams the body into receive byte for byte, with its declared size', async () => {
    const data = randomBytes(5 * 1024 * 1024 + 17);
    const answer = await send(started.port, { method: 'POST', path: uploadPath('partner', 'inbox/2024', 'Invoice 7 (final).pdf'), headers: uploadHeaders(started), body: data });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ ok: true, value: { path: 'inbox/2024/Invoice 7 (final).pdf' } });
    expect(core.received).toEqual([
      { target: { connection: 'partner', path: 'inbox/2024' }, name: 'Invoice 7 (final).pdf', size: data.length, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') },
    ]);
  });

  it('passes no size for a body sent without a length', async () => {
    const data = randomBytes(3 * 1024 * 1024);
    const answer = await send(started.port, { method: 'POST', path: uploadPath('@computer', '', 'a.bin'), headers: { ...uploadHeaders(started), 'Transfer-Encoding': 'chunked' }, body: data });
    expect(answer.status).toBe(200);
    expect(core.received).toEqual([{ target: { connection: '@computer', path: '' }, name: 'a.bin', size: undefined, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') }]);
  });

  it('hands the core the first bytes before the browser has sent the last', async () => {
    let firstBytes!: () => void;
    const seen = new Promise<void>((resolve) => (firstBytes = resolve));
    const streaming = new (class extends FakeCore {
      override async receive(_target: Location, name: string, data: Readable, size: number | undefined): Promise<Wire<{ readonly path: string }>> {
        let bytes = 0;
        for await (const chunk of data) {
          bytes += (chunk as Buffer).length;
          firstBytes();
        }
        return ok({ path: `${name} ${bytes} of ${size ?? '?'}` });
      }
    })();
    const host = await startSignedIn(streaming, folder);
    try {
      const answer = new Promise<string>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: host.port, method: 'POST', path: uploadPath('partner', '', 'big.bin'), headers: { ...uploadHeaders(host), Host: `127.0.0.1:${host.port}`, 'Content-Length': '2048' } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString('utf8')));
          res.on('end', () => resolve(body));
        });
        req.on('error', reject);
        req.write(Buffer.alloc(1024, 1));
        // The rest follows only once the core has read the start: a host that waited for the whole body would never answer.
        void seen.then(() => req.end(Buffer.alloc(1024, 2)));
      });
      expect(JSON.parse(await answer)).toEqual({ ok: true, value: { path: 'big.bin 2048 of 2048' } });
    } finally {
      await host.host.close();
    }
  });

  it('refuses a file name that is not one safe segment, before the core sees anything', async () => {
    for (const name of ['../escape.txt', 'a/b.txt', 'a\\b.txt', '..', '.', '', 'evil\r\nDELE x']) {
      const answer = await send(started.port, { method: 'POST', path: uploadPath('partner', 'inbox', name), headers: uploadHeaders(started), body: 'data' });
      expect(answer.status, name).toBe(400);
      expect(JSON.parse(answer.body), name).toMatchObject({ ok: false, error: { kind: 'badRequest' } });
    }
    expect(core.received).toEqual([]);
  });

  it('refuses an upload that names its target incompletely or twice', async () => {
    const paths = [
      '/api/upload?connection=partner&name=a.txt',
      '/api/upload?path=inbox&name=a.txt',
      '/api/upload?connection=partner&path=inbox',
      '/api/upload?connection=partner&path=inbox&name=a.txt&name=b.txt',
      '/api/upload?connection=&path=inbox&name=a.txt',
      '/api/upload?connection=partner&path=in%00box&name=a.txt',
    ];
    for (const path of paths) expect((await send(started.port, { method: 'POST', path, headers: uploadHeaders(started), body: 'data' })).status, path).toBe(400);
    expect(core.received).toEqual([]);
  });

  it('refuses an upload without X-Ferry, the session, as JSON or from another origin', async () => {
    const path = uploadPath('partner', 'inbox', 'a.txt');
    const { 'X-Ferry': _x, ...noFerry } = uploadHeaders(started);
    expect((await send(started.port, { method: 'POST', path, headers: noFerry, body: 'data' })).status).toBe(403);
    const { Cookie: _c, ...noCookie } = uploadHeaders(started);
    expect((await send(started.port, { method: 'POST', path, headers: noCookie, body: 'data' })).status).toBe(401);
    expect((await send(started.port, { method: 'POST', path, headers: commandHeaders(started), body: 'data' })).status).toBe(415);
    expect((await send(started.port, { method: 'POST', path, headers: { ...uploadHeaders(started), Origin: 'http://evil.example' }, body: 'data' })).status).toBe(403);
    expect(core.received).toEqual([]);
  });
});
