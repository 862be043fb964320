import { readFile, readdir } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { FtpFs } from '../../src/connectors/ftp/FtpFs.js';
import { SftpFs } from '../../src/connectors/sftp/SftpFs.js';
import type { ClockCheck, RemoteFs } from '../../src/connectors/types.js';
import { KnownHosts } from '../../src/security/KnownHosts.js';
import { caTrustFromPem } from '../../src/security/tlsTrust.js';
import { clockWords } from '../../src/shared/serverProbeWords.js';
import { makeCertificate, startDedicatedServer, startVsftpd, type FtpSecurity, type FtpServerInfo, type RunningServer } from '../helpers/servers/index.js';

const servers = inject('servers');
const opened: RemoteFs[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((fs) => fs.close()));
});

/** This computer's clock set `minutes` ahead of the real one, which the servers on this machine keep. */
const shiftedBy = (minutes: number) => (): number => Date.now() + minutes * 60_000;

async function ftp(info: FtpServerInfo, security: FtpSecurity, now?: () => number): Promise<FtpFs> {
  const trust = info.caFile === undefined ? ({ kind: 'system' } as const) : caTrustFromPem(await readFile(info.caFile, 'utf8'), info.caFile);
  const fs = new FtpFs({ host: info.host, port: info.port, username: info.user, password: info.password, root: info.loginDir, security, trust, ...(now === undefined ? {} : { now }) });
  opened.push(fs);
  return fs;
}

function sftp(now?: () => number): SftpFs {
  const info = servers.sftp;
  const hostKeys = new KnownHosts({ path: '/nonexistent/known_hosts', policy: 'strict' });
  const trusted = { verify: (host: string, port: number, key: Buffer) => (key.toString('base64') === info.hostKeyLine.split(' ')[1] ? Promise.resolve(undefined) : hostKeys.verify(host, port, key)) };
  const fs = new SftpFs({ host: info.host, port: info.port, username: info.user, password: info.password, root: info.home, hostKeys: trusted, ...(now === undefined ? {} : { now }) });
  opened.push(fs);
  return fs;
}

/** The check files a clock check left in a login folder: none, once it is done. */
async function checkFilesIn(home: string): Promise<string[]> {
  return (await readdir(home)).filter((name) => name.startsWith('.ferry-clock-check-'));
}

function measured(clock: ClockCheck | undefined): Extract<ClockCheck, { kind: 'measured' }> {
  if (clock?.kind !== 'measured') throw new Error(`the clock was not measured: ${JSON.stringify(clock)}`);
  return clock;
}

describe("a server's clock, read from a file it has just written", () => {
  const cases: ReadonlyArray<readonly [string, string, (now?: () => number) => Promise<RemoteFs>]> = [
    ['vsftpd', servers.ftp['vsftpd-plain'].home, (now) => ftp(servers.ftp['vsftpd-plain'], 'none', now)],
    ['pure-ftpd', servers.ftp.pureftpd.home, (now) => ftp(servers.ftp.pureftpd, 'none', now)],
    ['OpenSSH', servers.sftp.home, (now) => Promise.resolve(sftp(now))],
  ];

  it.each(cases)('%s: in step with a computer on the same clock, the check file removed', async (_server, home, open) => {
    const fs = await open();
    const clock = measured((await fs.probeServer?.())?.clock);
    expect([clockWords(clock), clock.removed]).toEqual(['In step with this computer’s (within a minute)', true]);
    expect(await checkFilesIn(home)).toEqual([]);
  });

  it.each(cases)('%s: minutes behind a computer whose clock is ahead, and ahead of one behind', async (_server, _home, open) => {
    const behind = measured((await (await open(shiftedBy(7))).probeServer?.())?.clock);
    expect(clockWords(behind)).toBe('7 minutes behind this computer’s');
    const ahead = measured((await (await open(shiftedBy(-3))).probeServer?.())?.clock);
    expect(clockWords(ahead)).toBe('3 minutes ahead of this computer’s');
  });
});

describe('TLS session reuse on FTPS data connections, as each server really behaves', () => {
  let lenient: RunningServer<FtpServerInfo>;

  beforeAll(async () => {
    lenient = await startDedicatedServer(async (root, user) => startVsftpd(root, user, 'explicit', await makeCertificate(root), { requireSslReuse: false }));
  });
  afterAll(async () => {
    await lenient?.stop();
  });

  it('vsftpd with require_ssl_reuse=YES requires it, on explicit and implicit FTPS', async () => {
    for (const [info, security] of [
      [servers.ftp['vsftpd-explicit'], 'explicit'],
      [servers.ftp['vsftpd-implicit'], 'implicit'],
    ] as const) {
      expect((await (await ftp(info, security)).probeServer()).tlsSessionReuse).toBe('required');
    }
  });

  it('vsftpd with require_ssl_reuse=NO supports it without requiring it', async () => {
    expect((await (await ftp(lenient.info, 'explicit')).probeServer()).tlsSessionReuse).toBe('supported');
  });

  it('pure-ftpd, which resumes no TLS session, does not support it', async () => {
    expect((await (await ftp(servers.ftp.pureftpd, 'explicit')).probeServer()).tlsSessionReuse).toBe('unsupported');
  });

  it('is not asked of plain FTP', async () => {
    expect((await (await ftp(servers.ftp['vsftpd-plain'], 'none')).probeServer()).tlsSessionReuse).toBeUndefined();
  });
});
