import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ferryPaths } from '../../../src/config/ferryHome.js';
import { secretKey } from '../../../src/security/secretKeys.js';
import { readFileZillaSites } from '../../../src/workspace/siteImport/filezilla.js';
import { applySiteImport, previewSiteImport, safeName } from '../../../src/workspace/siteImport/siteImport.js';
import { readWinScpSites } from '../../../src/workspace/siteImport/winscp.js';
import { decodeWinScpPassword } from '../../../src/workspace/siteImport/winscpPassword.js';
import { Workspace } from '../../../src/workspace/Workspace.js';

const fixture = (name: string): Promise<string> => readFile(join(import.meta.dirname, '../../fixtures/siteImport', name), 'utf8');

/** WinSCP's own EncryptPassword, written from its description: flag, length, random padding, key + password, random tail. */
function winScpEncrypt(password: string, user: string, host: string): string {
  const hex = (byte: number): string => ((~byte ^ 0xa3) & 0xff).toString(16).toUpperCase().padStart(2, '0');
  const random = (): number => Math.floor(Math.random() * 256);
  const clear = Buffer.from(user + host + password, 'utf8');
  const shift = clear.length < 50 ? Math.floor(Math.random() * (50 - clear.length)) : 0;
  let out = hex(0xff) + hex(0) + hex(clear.length) + hex(shift);
  for (let i = 0; i < shift; i++) out += hex(random());
  for (const byte of clear) out += hex(byte);
  while (out.length < 100) out += hex(random());
  return out;
}

describe("FileZilla's sitemanager.xml", () => {
  it('reads sites in nested folders with their protocol, port, user, folder and stored password', async () => {
    const sites = readFileZillaSites('sitemanager.xml', await fixture('sitemanager.xml'));
    expect(sites.map((s) => s.source)).toEqual([
      'Tailspin archive',
      'Public mirror',
      'Reports bucket',
      '../../etc/passwd',
      'Partners/Northwind outbox',
      'Partners/Contoso (implicit TLS)',
      'Partners/Europe/Fabrikam Lager & Logistik',
    ]);
    const bySource = new Map(sites.map((s) => [s.source, s]));
    expect(bySource.get('Partners/Northwind outbox')).toMatchObject({
      address: { kind: 'sftp', host: 'sftp.northwind.example', port: 2222, user: 'ops-ferry', root: '/outbox/daily' },
      password: 'North&Wind 2026!',
    });
    expect(bySource.get('Partners/Contoso (implicit TLS)')?.address).toMatchObject({ kind: 'ftp', security: 'implicit', port: 990 });
    expect(bySource.get('Partners/Europe/Fabrikam Lager & Logistik')?.address).toMatchObject({ kind: 'ftp', security: 'explicit', root: '/Eingang Lager' });
    expect(bySource.get('Tailspin archive')).toMatchObject({ address: { kind: 'sftp' }, keyFile: 'C:\\Users\\ana\\Documents\\keys\\tailspin.ppk' });
    expect(bySource.get('Public mirror')).toMatchObject({ address: { kind: 'ftp', security: 'explicit', user: 'anonymous' }, password: 'anonymous@' });
  });

  it('says which passwords were not imported and why: master password, asked each time', async () => {
    const sites = new Map(readFileZillaSites('sitemanager.xml', await fixture('sitemanager.xml')).map((s) => [s.source, s]));
    const contoso = sites.get('Partners/Contoso (implicit TLS)');
    expect(contoso?.password).toBeUndefined();
    expect(contoso?.notImported).toContain('password: FileZilla protects it with a master password; enter it when you edit the connection');
    const fabrikam = sites.get('Partners/Europe/Fabrikam Lager & Logistik');
    expect(fabrikam?.password).toBeUndefined();
    expect(fabrikam?.notImported.join()).toMatch(/asks for it at each connection/);
    expect(sites.get('Reports bucket')).toEqual({ source: 'Reports bucket', imported: [], notImported: ['the site: Ferry does not connect to Amazon S3'] });
  });

  it('drops a default folder that climbs out with ".."', async () => {
    const hostile = readFileZillaSites('sitemanager.xml', await fixture('sitemanager.xml')).find((s) => s.source === '../../etc/passwd');
    expect(hostile?.address).toMatchObject({ kind: 'ftp', security: 'none', root: '' });
    expect(hostile?.notImported).toEqual(['default remote folder "1 0 2 .. 3 etc": it is not a folder Ferry can use']);
  });

  it('refuses malformed XML naming the file and the line', async () => {
    expect(() => readFileZillaSites('sitemanager.xml', '<FileZilla3><Servers><Server>')).toThrow(/^sitemanager\.xml, line 1: not well-formed XML/);
    expect(() => readFileZillaSites('broken-sitemanager.xml', '')).toThrow(/broken-sitemanager\.xml/);
  });

  it('refuses a document type declaration before it can expand entities', () => {
    const bomb = '<?xml version="1.0"?>\n<!DOCTYPE lol [<!ENTITY lol "lol">]>\n<FileZilla3><Servers/></FileZilla3>';
    expect(() => readFileZillaSites('sitemanager.xml', bomb)).toThrow('sitemanager.xml, line 2: a document type declaration is not allowed in a site list');
  });

  it('refuses a file too large to be a site list', () => {
    const huge = `<FileZilla3><Servers>${'<Server><Host>h</Host></Server>'.repeat(200_000)}</Servers></FileZilla3>`;
    expect(() => readFileZillaSites('sitemanager.xml', huge)).toThrow('sitemanager.xml is larger than 5 MB: it is not a site list Ferry can import');
  });

  it('refuses XML that is not a FileZilla site list', () => {
    expect(() => readFileZillaSites('other.xml', '<rss><channel/></rss>')).toThrow('other.xml, line 1: this is not a FileZilla site list (no <FileZilla3><Servers>)');
  });
});

describe("WinSCP's WinSCP.ini", () => {
  it('decodes the passwords WinSCP obfuscates, whatever padding it chose', () => {
    for (const password of ['s3cret', 'Grüße & Co #1', '']) {
      expect(decodeWinScpPassword(winScpEncrypt(password, 'ops', 'sftp.example'), 'ops', 'sftp.example')).toBe(password);
    }
    // Salted with user and host: another site's text does not decode as this one's password.
    expect(decodeWinScpPassword(winScpEncrypt('s3cret', 'ops', 'a.example'), 'ops', 'b.example')).toBeUndefined();
    expect(decodeWinScpPassword('not hex', 'ops', 'a.example')).toBeUndefined();
  });

  it('reads sessions with URL-encoded names and folders, protocols, ports, users and passwords', async () => {
    const sites = readWinScpSites('WinSCP.ini', await fixture('WinSCP.ini'));
    expect(sites.map((s) => s.source)).toEqual(['Adatum partners/Adatum SFTP', 'Fabrikam FTPES', 'Tailspin SCP', 'Woodgrove WebDAV', '../../windows/system32']);
    const [adatum, fabrikam, tailspin, webdav, hostile] = sites;
    expect(adatum).toMatchObject({ address: { kind: 'sftp', host: 'sftp.adatum.example', port: 22, user: 'ops', root: '/home/ops/to ferry' }, password: 'Sp1ke&Co#2026' });
    expect(fabrikam).toMatchObject({ address: { kind: 'ftp', security: 'explicit', port: 21, user: 'lager' }, password: 'kennwort-Ü' });
    expect(tailspin).toMatchObject({ address: { kind: 'sftp', port: 2022 }, keyFile: 'C:\\Users\\ana\\.ssh\\tailspin.ppk' });
    expect(tailspin?.notImported.join()).toMatch(/^SCP: Ferry reaches the same server with SFTP/);
    expect(adatum?.imported).toEqual(['SFTP', 'server sftp.adatum.example:22', 'user ops', 'remote folder /home/ops/to ferry', 'password (into the secret store)']);
    expect(webdav).toEqual({ source: 'Woodgrove WebDAV', imported: [], notImported: ['the site: Ferry does not connect to WebDAV'] });
    expect(hostile?.address).toMatchObject({ kind: 'ftp', security: 'implicit', port: 990 });
  });

  it('notes passwords a master password encrypts as not imported', async () => {
    const [site] = readWinScpSites('WinSCP.ini', await fixture('WinSCP-master.ini'));
    expect(site?.password).toBeUndefined();
    expect(site?.notImported).toContain('password: WinSCP protects it with a master password; enter it when you edit the connection');
  });

  it('refuses a line that is neither a section nor a setting, naming the file and the line', async () => {
    expect(() => readWinScpSites('WinSCP-broken.ini', '')).not.toThrow();
    expect(() => readWinScpSites('WinSCP-broken.ini', 'x')).toThrow('WinSCP-broken.ini, line 1: expected key=value, found "x"');
    await expect(fixture('WinSCP-broken.ini').then((t) => readWinScpSites('WinSCP-broken.ini', t))).rejects.toThrow(
      'WinSCP-broken.ini, line 3: expected key=value, found "this line is not a setting"',
    );
  });
});

describe('connection names from site names', () => {
  it('keeps letters, digits, dots, dashes and underscores, so a name never reads as a path', () => {
    expect(safeName('Partners/Northwind outbox')).toBe('Partners-Northwind-outbox');
    expect(safeName('../../etc/passwd')).toBe('etc-passwd');
    expect(safeName('Fabrikam Lager & Logistik')).toBe('Fabrikam-Lager-Logistik');
    expect(safeName('Grüße')).toBe('Gru-e');
    expect(safeName('///')).toBe('site');
    expect(safeName('x'.repeat(300))).toHaveLength(56);
  });
});

describe('importing into the workspace', () => {
  let home: string;
  let ws: Workspace;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-import-'));
    ws = new Workspace(ferryPaths({ FERRY_HOME: home }), { FERRY_HOME: home });
  });
  afterEach(async () => {
    ws.close();
    await rm(home, { recursive: true, force: true });
  });

  it('previews without saving, with names that clash with none, and never shows a password', async () => {
    await ws.saveConnection({ name: 'Tailspin-archive', kind: 'local', root: '/srv/tailspin' }, {});
    const text = await fixture('sitemanager.xml');
    const preview = await previewSiteImport(ws, 'sitemanager.xml', text);
    expect(preview.format).toBe('filezilla');
    const tailspin = preview.sites.find((s) => s.source === 'Tailspin archive');
    expect(tailspin).toMatchObject({ name: 'Tailspin-archive-2', clash: 'A connection named "Tailspin-archive" exists already: this one is saved as "Tailspin-archive-2"' });
    // The key file is a Windows path, not on this computer: the site is imported without it.
    expect(tailspin?.notImported.join()).toMatch(/key file C:\\Users\\ana\\Documents\\keys\\tailspin\.ppk: it is not on this computer/);
    expect(preview.sites.find((s) => s.source === 'Partners/Northwind outbox')?.url).toBe('sftp://ops-ferry@sftp.northwind.example:2222/outbox/daily');
    expect(preview.sites.find((s) => s.source === 'Reports bucket')?.url).toBeUndefined();
    expect(JSON.stringify(preview)).not.toContain('North&Wind');
    expect((await ws.connections.list()).map((c) => c.name)).toEqual(['Tailspin-archive']);
  });

  it('saves the chosen sites, their passwords in the secret store and nowhere else', async () => {
    const text = await fixture('WinSCP.ini');
    const preview = await previewSiteImport(ws, 'WinSCP.ini', text);
    const chosen = preview.sites.filter((s) => s.source === 'Adatum partners/Adatum SFTP' || s.source === 'Fabrikam FTPES').map((s) => s.id);
    const saved = await applySiteImport(ws, 'WinSCP.ini', text, chosen);
    expect(saved).toEqual([
      { source: 'Adatum partners/Adatum SFTP', name: 'Adatum-partners-Adatum-SFTP' },
      { source: 'Fabrikam FTPES', name: 'Fabrikam-FTPES' },
    ]);
    expect(await ws.connections.get('Fabrikam-FTPES')).toMatchObject({ kind: 'ftp', security: 'explicit', host: 'ftp.fabrikam.example', user: 'lager', hasPassword: true });
    expect(await ws.secrets.get(secretKey('Adatum-partners-Adatum-SFTP', 'password'))).toBe('Sp1ke&Co#2026');
    const files = await Promise.all([readFile(join(home, 'connections.json'), 'utf8'), readFile(ferryPaths({ FERRY_HOME: home }).secrets, 'utf8')]);
    for (const content of files) expect(content).not.toContain('Sp1ke');
  });

  it('refuses a site the file does not have, and one that cannot be imported', async () => {
    const text = await fixture('WinSCP.ini');
    await expect(applySiteImport(ws, 'WinSCP.ini', text, ['99'])).rejects.toThrow('WinSCP.ini has no site 99: open it again');
    await expect(applySiteImport(ws, 'WinSCP.ini', text, ['3'])).rejects.toThrow('Woodgrove WebDAV cannot be imported: the site: Ferry does not connect to WebDAV');
    expect(await ws.connections.list()).toEqual([]);
  });

  it('tells a file that is neither format by its name', async () => {
    const path = join(home, 'notes.txt');
    await writeFile(path, 'hello');
    await expect(previewSiteImport(ws, 'notes.txt', 'hello')).rejects.toThrow('notes.txt is neither a FileZilla sitemanager.xml nor a WinSCP.ini');
  });
});
