import { writeFile } from 'node:fs/promises';
import type { TestCertificate } from './certificate.js';
import type { FtpServerInfo } from './types.js';
import {
  HOST,
  PUREFTPD_DIR,
  READONLY_NAME,
  makeDir,
  makeHome,
  releasePortBlock,
  requireBinary,
  reservePortBlock,
  run,
  startProcess,
  waitForBanner,
  type TestUser,
} from './util.js';

const PASSIVE_PORTS = 100;
/** Small enough that a test file of a few MB trips it, large enough for ordinary round trips. */
export const PUREFTPD_QUOTA_MB = 1;
export const PUREFTPD_QUOTA_FILES = 1000;

export const PUREFTPD_USER = 'ferry';
export const PUREFTPD_QUOTA_USER = 'ferry-quota';

export function pureFtpd(): string {
  return requireBinary(`${PUREFTPD_DIR}/usr/sbin/pure-ftpd`);
}

export function purePw(): string {
  return requireBinary(`${PUREFTPD_DIR}/usr/bin/pure-pw`);
}

interface VirtualUser {
  readonly name: string;
  readonly home: string;
  readonly quotaFiles?: number;
  readonly quotaMb?: number;
}

/**
 * One puredb line, laid out as `pure-pw useradd` writes it. Written directly because pure-pw
 * always hashes with argon2id at a cost that takes ~3 s per user here, and the server pays the same
 * on every login; a SHA-512 crypt hash is checked in milliseconds.
 */
function passwdLine(user: VirtualUser, hash: string, system: TestUser): string {
  const quotaFiles = user.quotaFiles === undefined ? '' : String(user.quotaFiles);
  const quotaBytes = user.quotaMb === undefined ? '' : String(user.quotaMb * 1024 * 1024);
  const fields = [
    user.name,
    hash,
    String(system.uid),
    String(system.gid),
    '', // gecos
    `${user.home}/./`, // '/./' marks the chroot point
    '', // upload bandwidth
    '', // download bandwidth
    '', // upload ratio
    '', // download ratio
    '', // concurrent sessions
    quotaFiles,
    quotaBytes,
    '', // allowed local IPs
    '', // denied local IPs
    '', // allowed client IPs
    '', // denied client IPs
    '', // time restrictions
  ];
  return fields.join(':');
}

/**
 * pure-ftpd (unpacked by .ci/install-servers) with two virtual users mapped to the test system user:
 * one without quota and one whose virtual quota makes the server refuse uploads past 1 MB. TLS is
 * offered but optional.
 */
export async function startPureFtpd(
  root: string,
  user: TestUser,
  cert: TestCertificate,
): Promise<{ readonly plain: FtpServerInfo; readonly quota: FtpServerInfo; stop(): Promise<void> }> {
  const binary = pureFtpd();
  const pw = purePw();
  const openssl = requireBinary('/usr/bin/openssl');
  const dir = await makeDir(`${root}/pureftpd`, 0o755);
  const plainHome = await makeHome(`${dir}/home`, user);
  const quotaHome = await makeHome(`${dir}/home-quota`, user);
  const users: VirtualUser[] = [
    { name: PUREFTPD_USER, home: plainHome.home },
    { name: PUREFTPD_QUOTA_USER, home: quotaHome.home, quotaFiles: PUREFTPD_QUOTA_FILES, quotaMb: PUREFTPD_QUOTA_MB },
  ];
  const hash = (await run(openssl, ['passwd', '-6', '-stdin'], { input: `${user.password}\n` })).trim();
  const passwdFile = `${dir}/pureftpd.passwd`;
  const pdbFile = `${dir}/pureftpd.pdb`;
  await writeFile(passwdFile, `${users.map((u) => passwdLine(u, hash, user)).join('\n')}\n`, { mode: 0o600 });
  await run(pw, ['mkdb', pdbFile, '-f', passwdFile]);

  const base = await reservePortBlock(1 + PASSIVE_PORTS);
  const port = base;
  const logFile = `${dir}/pure-ftpd.log`;
  const args = [
    '-S',
    `${HOST},${port}`,
    '-4',
    '-p',
    `${base + 1}:${base + PASSIVE_PORTS}`,
    '-P',
    HOST,
    '-l',
    `puredb:${pdbFile}`,
    '-E', // no anonymous logins
    '-A', // chroot everyone
    '-H', // no reverse DNS
    // pure-ftpd lists at most 2,000 entries by default; the conformance suite lists 10,000.
    '-L',
    '20000:8',
    '-c',
    '200',
    '-C',
    '200',
    '-Y',
    '1', // TLS optional
    '-2',
    cert.combinedPath,
    '-g',
    `${dir}/pure-ftpd.pid`,
    '-O',
    `clf:${dir}/transfers.log`,
  ];
  // Without a syslog socket (containers) fatal errors only reach fd 0.
  const server = startProcess({ name: 'pure-ftpd', command: binary, args, logFile, root, logOnStdin: true });
  try {
    await waitForBanner({ server, port, banner: /^220 [^\r\n]*\r?\n/m });
  } catch (error) {
    await server.stop();
    releasePortBlock(base);
    throw error;
  }
  const common = {
    host: HOST,
    port,
    password: user.password,
    loginDir: '/',
    readonlyDir: `/${READONLY_NAME}`,
    secure: 'none',
    caFile: cert.certPath,
    certFingerprint256: cert.fingerprint256,
  } as const;
  return {
    plain: { ...common, id: 'pureftpd', user: PUREFTPD_USER, home: plainHome.home },
    quota: {
      ...common,
      id: 'pureftpd-quota',
      user: PUREFTPD_QUOTA_USER,
      home: quotaHome.home,
      quotaBytes: PUREFTPD_QUOTA_MB * 1024 * 1024,
      quotaFiles: PUREFTPD_QUOTA_FILES,
    },
    async stop() {
      await server.stop();
      releasePortBlock(base);
    },
  };
}
