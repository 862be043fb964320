import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWebHost } from '../../src/host/http/startWebHost.js';
import type { FakeCore} from './webHostFakes.js';
import { commandHeaders, send, type Answer, type Started, openSignedIn, type SignedInWorld } from './webHostFakes.js';

describe('ferry serve: who gets in', () => {
  let world: SignedInWorld;
  let folder: string;
  let core: FakeCore;
  let started: Started;

  beforeEach(async () => {
    world = await openSignedIn();
    ({ folder, core, started } = world);
  });
  afterEach(() => world.close());

  it('listens on 127.0.0.1 with a new token of at least 128 random bits on each start', async () => {
    const url = new URL(started.host.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(Buffer.from(started.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const other = await startWebHost({ core, port: 0, staticDir: folder });
    try {
      expect(new URL(other.url).searchParams.get('token')).not.toBe(started.token);
    } finally {
      await other.close();
    }
  });

  it('exchanges the token for an HttpOnly, SameSite=Strict session cookie and drops it from the address', async () => {
    const answer = await send(started.port, { path: `/transfers?view=queue&token=${started.token}` });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/transfers?view=queue');
    const cookie = answer.headers['set-cookie']?.[0] ?? '';
    expect(cookie.split(';').map((p) => p.trim())).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    expect(cookie).not.toContain(started.token);
    const next = await send(started.port, { path: '/transfers?view=queue', headers: { Cookie: cookie.split(';')[0] ?? '' } });
    expect(next.status).not.toBe(401);
  });

  it('refuses a wrong token without a cookie', async () => {
    const answer = await send(started.port, { path: `/?token=${started.token.slice(1)}x` });
    expect(answer.status).toBe(401);
    expect(answer.headers['set-cookie']).toBeUndefined();
  });

  it('redirects only to its own pages after the exchange', async () => {
    const answer = await send(started.port, { path: `//evil.example/?token=${started.token}` });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/evil.example/');
  });

  it('refuses every request without the session cookie, or with another one', async () => {
    const page = await send(started.port, { path: '/' });
    expect(page.status).toBe(401);
    expect(page.headers['content-type']).toMatch(/^text\/plain/);
    const { Cookie: _cookie, ...noCookie } = commandHeaders(started);
    expect((await send(started.port, { method: 'POST', path: '/api/app.info', headers: noCookie, body: '{}' })).status).toBe(401);
    const forged = { ...noCookie, Cookie: `${started.cookie.split('=')[0] ?? ''}=${started.token}` };
    expect((await send(started.port, { method: 'POST', path: '/api/app.info', headers: forged, body: '{}' })).status).toBe(401);
    expect(core.invoked).toEqual([]);
  });

  it('refuses any Host but its own, even with the session or the token (DNS rebinding)', async () => {
    const evil = `evil.example:${started.port}`;
    expect((await send(started.port, { path: '/', headers: { Host: evil, Cookie: started.cookie } })).status).toBe(421);
    const exchange = await send(started.port, { path: `/?token=${started.token}`, headers: { Host: evil } });
    expect(exchange.status).toBe(421);
    expect(exchange.headers['set-cookie']).toBeUndefined();
    const command = await send(started.port, { method: 'POST', path: '/api/app.info', headers: { ...commandHeaders(started), Host: evil }, body: '{}' });
    expect(command.status).toBe(421);
    expect((await send(started.port, { path: '/', headers: { Host: `127.0.0.1:${started.port + 1}`, Cookie: started.cookie } })).status).toBe(421);
    expect(core.invoked).toEqual([]);
    expect((await send(started.port, { method: 'POST', path: '/api/app.info', headers: { ...commandHeaders(started), Host: `localhost:${started.port}`, Origin: `http://localhost:${started.port}` }, body: '{}' })).status).toBe(200);
  });

  it('refuses a request from another origin', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${started.port + 1}`, 'null', `https://127.0.0.1:${started.port}`]) {
      const answer = await send(started.port, { method: 'POST', path: '/api/app.info', headers: { ...commandHeaders(started), Origin: origin }, body: '{}' });
      expect(answer.status, origin).toBe(403);
    }
    expect(core.invoked).toEqual([]);
  });

  it('refuses a command without X-Ferry, with another content type or another method', async () => {
    const { 'X-Ferry': _x, ...noFerry } = commandHeaders(started);
    const missing = await send(started.port, { method: 'POST', path: '/api/app.info', headers: noFerry, body: '{}' });
    expect(missing.status).toBe(403);
    expect(JSON.parse(missing.body)).toMatchObject({ ok: false, error: { kind: 'badRequest' } });
    const form = await send(started.port, { method: 'POST', path: '/api/app.info', headers: { ...commandHeaders(started), 'Content-Type': 'application/x-www-form-urlencoded' }, body: '{}' });
    expect(form.status).toBe(415);
    const plain = await send(started.port, { method: 'POST', path: '/api/app.info', headers: { ...commandHeaders(started), 'Content-Type': 'text/plain' }, body: '{}' });
    expect(plain.status).toBe(415);
    const get = await send(started.port, { path: '/api/app.info', headers: commandHeaders(started) });
    expect(get.status).toBe(405);
    expect(core.invoked).toEqual([]);
  });

  it("hands a command and its input to the core and answers with the core's Wire", async () => {
    const info = await send(started.port, { method: 'POST', path: '/api/app.info', headers: commandHeaders(started), body: '{}' });
    expect(info.status).toBe(200);
    expect(info.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(info.body)).toEqual({ ok: true, value: { version: '9.9.9', host: 'web', dataFolder: '/tmp/ferry' } });
    const failed = await send(started.port, { method: 'POST', path: '/api/connections.test', headers: { ...commandHeaders(started), 'Content-Type': 'application/json; charset=utf-8' }, body: '{"name":"partner"}' });
    expect(failed.status).toBe(200);
    expect(JSON.parse(failed.body)).toEqual({ ok: false, error: { kind: 'notFound', message: 'no connection named {"name":"partner"}', retryable: false } });
    expect(core.invoked).toEqual([
      { command: 'app.info', input: {} },
      { command: 'connections.test', input: { name: 'partner' } },
    ]);
  });

  it('answers unknownCommand for a command the contract does not name', async () => {
    for (const name of ['files.format', '__proto__', 'toString']) {
      const answer = await send(started.port, { method: 'POST', path: `/api/${name}`, headers: commandHeaders(started), body: '{}' });
      expect(answer.status, name).toBe(404);
      expect(JSON.parse(answer.body), name).toMatchObject({ ok: false, error: { kind: 'unknownCommand' } });
    }
    expect(core.invoked).toEqual([]);
  });

  it('refuses a body that is not JSON or is larger than 8 MiB', async () => {
    const invalid = await send(started.port, { method: 'POST', path: '/api/app.info', headers: commandHeaders(started), body: '{"name":' });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body)).toMatchObject({ ok: false, error: { kind: 'badRequest' } });
    const huge = await send(started.port, { method: 'POST', path: '/api/app.info', headers: commandHeaders(started), body: `"${'x'.repeat(8 * 1024 * 1024)}"` });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body)).toMatchObject({ ok: false, error: { kind: 'badRequest' } });
    const streamed = await send(started.port, { method: 'POST', path: '/api/app.info', headers: { ...commandHeaders(started), 'Transfer-Encoding': 'chunked' }, body: `"${'x'.repeat(8 * 1024 * 1024)}"` });
    expect(streamed.status).toBe(413);
    expect(core.invoked).toEqual([]);
  });

  it('sends no CORS header on any answer, a preflight included', async () => {
    const answers: Answer[] = [
      await send(started.port, { method: 'OPTIONS', path: '/api/app.info', headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-ferry' } }),
      await send(started.port, { method: 'OPTIONS', path: '/api/app.info', headers: { Cookie: started.cookie, Origin: `http://127.0.0.1:${started.port}`, 'Access-Control-Request-Method': 'POST' } }),
      await send(started.port, { method: 'POST', path: '/api/app.info', headers: commandHeaders(started), body: '{}' }),
      await send(started.port, { method: 'POST', path: '/api/app.info', headers: { ...commandHeaders(started), Origin: 'http://evil.example' }, body: '{}' }),
      await send(started.port, { path: `/?token=${started.token}` }),
      await send(started.port, { path: '/', headers: { Cookie: started.cookie } }),
      await send(started.port, { path: '/' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([403, 405, 200, 403, 303, 503, 401]);
    for (const answer of answers) expect(Object.keys(answer.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('stops listening when closed', async () => {
    await started.host.close();
    await expect(send(started.port, { path: '/' })).rejects.toThrow(/ECONNREFUSED/);
  });
});
