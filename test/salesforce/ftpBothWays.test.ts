import { createHash, randomUUID } from 'node:crypto';
import { chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@jsforce/jsforce-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FtpFs } from '../../src/connectors/ftp/FtpFs.js';
import { SftpFs } from '../../src/connectors/sftp/SftpFs.js';
import { KnownHosts } from '../../src/security/KnownHosts.js';
import { MemoryResumeJournal } from '../../src/engine/ResumeJournal.js';
import { transfer } from '../../src/engine/transfer.js';
import { makeScratch } from '../conformance/scratch.js';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';

/** The everyday flows: a partner's FTP drop into a record's files, and a record's files out to an SFTP archive. */
describe('copies between real file servers and Salesforce records, both ways', () => {
  const servers = inject('servers');
  let org: TestOrg;
  let orderId: string;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    org = await startTestOrg({ seed: 'demo' });
    const conn = new Connection({
      instanceUrl: org.sandbox.url,
      accessToken: org.sandbox.oauth.issueAccessToken(org.sandbox.context.defaultUser.username),
      version: '64.0',
    });
    const orders = await conn.query<{ Id: string }>('SELECT Id FROM Order ORDER BY OrderNumber LIMIT 1');
    orderId = orders.records[0]?.Id ?? '';
  });
  afterAll(async () => {
    for (const c of cleanups) await c();
    await org?.close();
  });

  it('takes a partner folder from FTP into an Order, then archives the Order\'s files to SFTP, byte for byte', async () => {
    const ftpServer = servers.ftp['vsftpd-plain'];
    const drop = await makeScratch(ftpServer.home, 'sf-drop');
    cleanups.push(drop.remove);
    const files: Record<string, string> = { 'shipping note 4711.pdf': 'shipped 3 pallets', 'certificate ✓.txt': 'ISO 9001' };
    await mkdir(join(drop.path, 'out'));
    await chown(join(drop.path, 'out'), drop.owner.uid, drop.owner.gid);
    for (const [name, body] of Object.entries(files)) {
      await writeFile(join(drop.path, 'out', name), body);
      await chown(join(drop.path, 'out', name), drop.owner.uid, drop.owner.gid);
    }
    const ftp = new FtpFs({
      host: ftpServer.host, port: ftpServer.port, username: ftpServer.user, password: ftpServer.password,
      root: `/${drop.name}`, security: ftpServer.secure, trust: { kind: 'system' },
    });
    cleanups.push(() => ftp.close());
    const up = await transfer({
      source: ftp, sourcePath: 'out', target: org.files(), targetPath: `Order/${orderId}`, recursive: true,
      policy: 'changed', move: true, dryRun: false, journal: new MemoryResumeJournal(),
    });
    expect(up.failed).toEqual([]);
    const stored = org.files();
    for (const [name, body] of Object.entries(files)) {
      expect(await stored.hash(`Order/${orderId}/${name}`)).toBe(createHash('md5').update(body).digest('hex'));
    }
    expect(await ftp.list('')).toEqual([]);

    const sftpServer = servers.sftp;
    const archive = await makeScratch(sftpServer.home, 'sf-archive');
    cleanups.push(archive.remove);
    const knownHosts = join(tmpdir(), `ferry-kh-${randomUUID()}`);
    await writeFile(knownHosts, `[${sftpServer.host}]:${sftpServer.port} ${sftpServer.hostKeyLine}\n`);
    cleanups.push(() => rm(knownHosts, { force: true }));
    const sftp = new SftpFs({
      host: sftpServer.host, port: sftpServer.port, username: sftpServer.user, password: sftpServer.password,
      root: archive.path,
      hostKeys: new KnownHosts({ path: knownHosts, policy: 'strict' }),
    });
    cleanups.push(() => sftp.close());
    const down = await transfer({
      source: org.files(), sourcePath: `Order/${orderId}`, target: sftp, targetPath: 'orders', recursive: true,
      policy: 'changed', move: false, dryRun: false, journal: new MemoryResumeJournal(),
    });
    expect(down.failed).toEqual([]);
    for (const [name, body] of Object.entries(files)) expect(await readFile(join(archive.path, 'orders', name), 'utf8')).toBe(body);
  });
});
