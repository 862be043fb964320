import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ferryPaths } from '../../src/config/ferryHome.js';
import { Workspace } from '../../src/workspace/Workspace.js';
import { runFerry, type FerryRun } from '../helpers/runFerry.js';

describe('ferry connection list shows URLs that can be pasted back into ferry connection add', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-urls-home-'));
  });
  afterEach(async () => rm(home, { recursive: true, force: true }));

  const ferry = (args: ReadonlyArray<string>, stdin = ''): Promise<FerryRun> => runFerry(home, args, stdin);

  const urls = [
    'sftp://ann%40corp.example@[::1]:2222/in%20box/%231%20100%25/a%3Fb',
    'ftpes://DOMAIN%5Cbob%20smith@ftp.example.com:21/~/Ausgang/M%C3%BCller%20%26%20S%C3%B6hne',
    'file:///srv/drop%20box/%23in',
  ];

  it('each listed URL, added again, gives the same settings; no secret is shown', async () => {
    for (const [i, url] of urls.entries()) {
      const added = await ferry(['connection', 'add', `c${i}`, url, ...(url.startsWith('file:') ? [] : ['--password-stdin']), '--no-test'], 'pw-never-shown\n');
      expect(added.code, added.err).toBe(0);
    }
    const listed = await ferry(['connection', 'list']);
    expect(listed.out).not.toContain('pw-never-shown');
    const shown = listed.out.trim().split('\n').map((line) => line.split(/\s+/)[1] ?? '');
    expect(shown).toEqual(urls);
    for (const [i, url] of shown.entries()) {
      const again = await ferry(['connection', 'add', `again${i}`, url, ...(url.startsWith('file:') ? [] : ['--password-stdin']), '--no-test'], 'pw\n');
      expect(again.code, again.err).toBe(0);
    }
    const all = JSON.parse((await ferry(['connection', 'list', '--json'])).out) as Array<Record<string, unknown>>;
    const settings = (name: string): Record<string, unknown> => {
      const { name: _name, ...rest } = all.find((c) => c.name === name) ?? {};
      return rest;
    };
    for (const i of urls.keys()) expect(settings(`again${i}`)).toEqual(settings(`c${i}`));
    expect(all.find((c) => c.name === 'c0')).toMatchObject({ user: 'ann@corp.example', host: '::1', root: '/in box/#1 100%/a?b', url: urls[0] });
  });

  it('gives a Salesforce connection no made-up url in JSON: its addresses are its own fields', async () => {
    const ws = new Workspace(ferryPaths({ FERRY_HOME: home }), { FERRY_HOME: home });
    await ws.saveConnection(
      { name: 'org', kind: 'salesforce', auth: 'jwt', loginUrl: 'https://login.salesforce.com', clientId: 'Ferry', username: 'ops@acme.example', jwtKeyFile: '/keys/ferry.pem', apiVersion: '64.0', root: '', mode: 'files' },
      {},
    );
    ws.close();
    const [org] = JSON.parse((await ferry(['connection', 'list', '--json'])).out) as Array<Record<string, unknown>>;
    expect(org).toMatchObject({ name: 'org', loginUrl: 'https://login.salesforce.com', username: 'ops@acme.example' });
    expect(org).not.toHaveProperty('url');
    expect((await ferry(['connection', 'list'])).out).toMatch(/^org\s+salesforce ops@acme\.example \(JWT\) via https:\/\/login\.salesforce\.com/);
  });
});
