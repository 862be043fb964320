import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { defaultRendererFolder, ferryVersion } from '../../src/host/http/ferryPackage.js';
import { runFerry } from '../helpers/runFerry.js';
import { send } from './webHostFakes.js';

const ADDRESS = /^Ferry is open at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]+)) \(Ctrl-C stops it\)$/m;

describe('ferry serve', () => {
  let home: string;
  let ui: string;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-home-'));
    ui = await mkdtemp(join(tmpdir(), 'ferry-ui-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
    await rm(ui, { recursive: true, force: true });
  });

  it('prints one address with the token, serves the core behind it, and stops cleanly when signalled', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    const printed = new Promise<RegExpExecArray>((resolve) =>
      stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const match = ADDRESS.exec(out);
        if (match !== null) resolve(match);
      }),
    );
    const stop = new AbortController();
    const exit = runCli(['serve', '--ui', ui], { stdout, stderr, stdin: Readable.from(['']), env: { FERRY_HOME: home } }, stop.signal);
    const [, , portText = '', token = ''] = await printed;
    const port = Number(portText);

    const signIn = await send(port, { path: `/?token=${token}` });
    const cookie = signIn.headers['set-cookie']?.[0]?.split(';')[0] ?? '';
    const info = await send(port, {
      method: 'POST',
      path: '/api/app.info',
      headers: { Cookie: cookie, 'X-Ferry': '1', 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${port}` },
      body: '{}',
    });
    expect(JSON.parse(info.body)).toEqual({ ok: true, value: { version: await ferryVersion(), host: 'web', dataFolder: home } });
    expect((await send(port, { path: '/', headers: { Cookie: cookie } })).body).toContain('npm run build');

    stop.abort();
    expect(await exit).toBe(0);
    await expect(send(port, { path: '/' })).rejects.toThrow(/ECONNREFUSED/);
    expect((out + err).split(token).length - 1).toBe(1);
  });

  it('refuses a port that is not a number', async () => {
    const r = await runFerry(home, ['serve', '--port', '80a']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--port takes a port number/);
  });

  it('says so when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as { port: number }).port;
      const r = await runFerry(home, ['serve', '--port', String(port)]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`Port ${port} of 127.0.0.1 is taken`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it("takes the window from out/renderer-web of Ferry's folder unless told otherwise", async () => {
    expect(defaultRendererFolder()).toBe(join(process.cwd(), 'out', 'renderer-web'));
    const manifest = JSON.parse(await readFile(join(process.cwd(), 'package.json'), 'utf8')) as { version: string };
    expect(await ferryVersion()).toBe(manifest.version);
  });
});
