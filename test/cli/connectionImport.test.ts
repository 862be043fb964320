import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { runFerry, type FerryRun } from '../helpers/runFerry.js';

const fixtures = join(import.meta.dirname, '../fixtures/siteImport');

describe('ferry connection import', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-import-cli-'));
  });
  afterEach(async () => rm(home, { recursive: true, force: true }));

  const ferry = (args: ReadonlyArray<string>): Promise<FerryRun> => runFerry(home, args);

  it('with --dry-run shows each site, what it becomes and what it leaves behind, and saves nothing', async () => {
    const run = await ferry(['connection', 'import', join(fixtures, 'WinSCP.ini'), '--dry-run']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('WinSCP.ini: 5 sites (WinSCP)');
    expect(run.out).toContain('  Adatum partners/Adatum SFTP → Adatum-partners-Adatum-SFTP  sftp://ops@sftp.adatum.example:22/home/ops/to%20ferry');
    expect(run.out).toContain('  Woodgrove WebDAV: not imported');
    expect(run.out).toContain('      not imported: the site: Ferry does not connect to WebDAV');
    expect(run.out).toContain('Dry run: nothing saved (4 would be imported).');
    expect(run.out).not.toContain('Sp1ke');
    expect((await ferry(['connection', 'list'])).out).toMatch(/^No connections yet/);
  });

  it('saves every site it can, and a second import names its sites apart from the first', async () => {
    const first = await ferry(['connection', 'import', join(fixtures, 'sitemanager.xml')]);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('Imported 6 connections');
    const again = await ferry(['connection', 'import', join(fixtures, 'sitemanager.xml')]);
    expect(again.out).toContain('A connection named "Partners-Northwind-outbox" exists already: this one is saved as "Partners-Northwind-outbox-2"');
    const names = JSON.parse((await ferry(['connection', 'list', '--json'])).out) as Array<{ name: string }>;
    expect(names.map((c) => c.name)).toContain('etc-passwd');
    expect(names).toHaveLength(12);
    expect(await readFile(join(home, 'connections.json'), 'utf8')).not.toContain('North&Wind');
  });

  it('imports a site whose stored password signs in to a real server', async () => {
    const server = inject('servers').ftp['vsftpd-plain'];
    const ini = join(home, 'WinSCP.ini');
    await writeFile(ini, `[Sessions\\Test%20server]\r\nHostName=${server.host}\r\nPortNumber=${server.port}\r\nUserName=${server.user}\r\nPassword=${winScpPassword(server.password, server.user, server.host)}\r\nFSProtocol=5\r\nFtps=0\r\n`);
    expect((await ferry(['connection', 'import', ini])).code).toBe(0);
    const test = await ferry(['connection', 'test', 'Test-server']);
    expect(test.code, test.err).toBe(0);
    expect(test.out).toMatch(/resume: +yes/);
  });

  it('names the file and the line of a malformed site list', async () => {
    const run = await ferry(['connection', 'import', join(fixtures, 'broken-sitemanager.xml')]);
    expect(run.code).not.toBe(0);
    expect(run.err).toMatch(/broken-sitemanager\.xml, line 8: not well-formed XML/);
  });

  it('refuses a file too large to be a site list before reading it whole', async () => {
    const huge = join(home, 'sitemanager.xml');
    await writeFile(huge, Buffer.alloc(6 * 1024 * 1024, 0x20));
    const run = await ferry(['connection', 'import', huge]);
    expect(run.code).not.toBe(0);
    expect(run.err).toMatch(/site list .*sitemanager\.xml is larger than 5 MiB/);
  });
});

/** WinSCP's stored-password form: flag, length, no padding, then user, host and password, each byte as ~(b ^ 0xA3). */
function winScpPassword(password: string, user: string, host: string): string {
  const hex = (byte: number): string => ((~byte ^ 0xa3) & 0xff).toString(16).toUpperCase().padStart(2, '0');
  const clear = Buffer.from(user + host + password, 'utf8');
  return [0xff, 0, clear.length, 0, ...clear].map(hex).join('');
}
