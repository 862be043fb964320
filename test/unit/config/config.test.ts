import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConnectionUrl } from '../../../src/config/connectionUrl.js';
import { ConnectionStore } from '../../../src/config/ConnectionStore.js';
import { ferryPaths } from '../../../src/config/ferryHome.js';
import { parseLocation } from '../../../src/cli/location.js';

describe('connection URLs', () => {
  it('reads the schemes as FileZilla, curl and lftp do', () => {
    expect(parseConnectionUrl('sftp://alice@files.example.com:2222/data/in')).toEqual({
      kind: 'sftp', host: 'files.example.com', port: 2222, user: 'alice', root: '/data/in',
    });
    expect(parseConnectionUrl('sftp://alice@h')).toMatchObject({ port: 22, root: '' });
    expect(parseConnectionUrl('ftp://bob@h/')).toMatchObject({ kind: 'ftp', security: 'none', port: 21, root: '' });
    expect(parseConnectionUrl('ftpes://bob@h/x')).toMatchObject({ security: 'explicit', port: 21, root: '/x' });
    expect(parseConnectionUrl('ftps://bob@h')).toMatchObject({ security: 'implicit', port: 990 });
    expect(parseConnectionUrl('file:///srv/drop')).toEqual({ kind: 'local', root: '/srv/drop' });
    expect(parseConnectionUrl('sftp://a%40corp@h/~/inbox')).toMatchObject({ user: 'a@corp', root: 'inbox' });
    expect(parseConnectionUrl('sftp://u@[::1]:22/')).toMatchObject({ host: '::1' });
  });

  it('refuses passwords in URLs, unknown schemes, missing users and ".." roots', () => {
    expect(() => parseConnectionUrl('sftp://u:secret@h/')).toThrow(/--password-stdin/);
    expect(() => parseConnectionUrl('sftp://u:secret@h/')).not.toThrow(/secret/);
    expect(() => parseConnectionUrl('http://u@h/')).toThrow(/Unsupported scheme/);
    expect(() => parseConnectionUrl('ftp://h/')).toThrow(/no user/);
    expect(parseConnectionUrl('sftp://u@h/a/../..')).toMatchObject({ root: '' });
    expect(() => parseConnectionUrl('sftp://u@h/a%2F..%2Fb')).toThrow(/may not contain ".."/);
    expect(() => parseConnectionUrl('not a url')).toThrow(/Not a connection URL/);
  });
});

describe('locations', () => {
  it('tells connections from local paths', () => {
    expect(parseLocation('partner:in/a.csv')).toEqual({ kind: 'connection', connection: 'partner', path: 'in/a.csv' });
    expect(parseLocation('partner:')).toEqual({ kind: 'connection', connection: 'partner', path: '' });
    expect(parseLocation('./partner:x')).toEqual({ kind: 'local', path: './partner:x' });
    expect(parseLocation('/abs/path')).toEqual({ kind: 'local', path: '/abs/path' });
    expect(parseLocation('C:\\data', 'win32')).toEqual({ kind: 'local', path: 'C:\\data' });
    expect(parseLocation('plain-folder')).toEqual({ kind: 'local', path: 'plain-folder' });
  });
});

describe('data folder', () => {
  it('honours FERRY_HOME, else follows the desktop convention per platform', () => {
    expect(ferryPaths({ FERRY_HOME: '/x' }).knownHosts).toBe('/x/known_hosts');
    expect(ferryPaths({ XDG_CONFIG_HOME: '/cfg' }, 'linux').home).toBe('/cfg/Ferry');
    expect(ferryPaths({ APPDATA: 'C:/Users/a/AppData/Roaming' }, 'win32').home).toContain('Roaming');
  });
});

describe('connection store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-store-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('saves, replaces, lists sorted and removes', async () => {
    const store = new ConnectionStore(join(dir, 'c.json'));
    await store.save({ name: 'zeta', kind: 'local', root: '/z' });
    await store.save({ name: 'alpha', kind: 'local', root: '/a' });
    await store.save({ name: 'zeta', kind: 'local', root: '/z2' });
    expect((await store.list()).map((c) => [c.name, c.kind === 'local' ? c.root : ''])).toEqual([['alpha', '/a'], ['zeta', '/z2']]);
    expect(await store.remove('alpha')).toBe(true);
    expect(await store.remove('alpha')).toBe(false);
  });

  it('names the file and the field when the file is damaged', async () => {
    const file = join(dir, 'c.json');
    await writeFile(file, JSON.stringify({ version: 1, connections: [{ name: 'x', kind: 'sftp', host: 'h' }] }));
    await expect(new ConnectionStore(file).list()).rejects.toThrow(/c\.json is not a valid connections file at connections\.0\./);
    await writeFile(file, '{oops');
    await expect(new ConnectionStore(file).list()).rejects.toThrow(/c\.json is not valid JSON/);
  });

  it('writes settings only, readable by the owner only', async () => {
    const file = join(dir, 'c.json');
    await new ConnectionStore(file).save({
      name: 's', kind: 'sftp', host: 'h', port: 22, user: 'u', root: '', hasPassword: true, hasKeyPassphrase: false,
      useAgent: false, hostKeyPolicy: 'strict',
    });
    const { mode } = await import('node:fs/promises').then((m) => m.stat(file));
    expect(mode & 0o077).toBe(0);
    expect(await readFile(file, 'utf8')).toContain('"hasPassword": true');
  });
});
