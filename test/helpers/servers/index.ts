import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { claimRoot, ROOT_PREFIX, sweepAbandonedRuns } from './cleanup.js';
import { makeCertificate } from './certificate.js';
import { pureFtpd, purePw, startPureFtpd } from './pureftpd.js';
import { sshd, sshKeygen, startSshd } from './sshd.js';
import type { FtpServerInfo, RunningServer, TestServers } from './types.js';
import { ensureTestUser, requireBinary } from './util.js';
import { startVsftpd, vsftpd } from './vsftpd.js';

export type {
  FtpSecurity,
  FtpServerId,
  FtpServerInfo,
  RunningServer,
  SftpServerInfo,
  TestServers,
} from './types.js';
export { openSshFingerprint, startSshd } from './sshd.js';
export { startVsftpd } from './vsftpd.js';
export { makeCertificate } from './certificate.js';
export { MissingBinaryError, TEST_PASSWORD, TEST_USER } from './util.js';

export interface StartedServers {
  readonly servers: TestServers;
  /** Temp folder holding every server's config, keys, logs and homes. */
  readonly root: string;
  /** Stops every server and removes `root`. Safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * A server of a test's own, set up as the shared ones are (its state in a temp folder the next run
 * sweeps should this process die, the test user): for settings no other test may see, such as a short
 * login grace time. A missing binary fails the test, as for the shared servers.
 */
export async function startDedicatedServer<T>(start: (root: string, user: Awaited<ReturnType<typeof ensureTestUser>>) => Promise<RunningServer<T>>): Promise<RunningServer<T>> {
  checkServerBinaries();
  const user = await ensureTestUser();
  const root = await mkdtemp(`${tmpdir()}/${ROOT_PREFIX}`);
  await claimRoot(root);
  await chmod(root, 0o755);
  try {
    const server = await start(root, user);
    return {
      info: server.info,
      async stop() {
        await server.stop();
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

/** Fails fast, before anything starts, with the install hint for the first missing binary. */
export function checkServerBinaries(): void {
  if (process.getuid?.() !== 0) {
    throw new Error('the test servers must be started as root (they switch to a test user per login)');
  }
  sshd();
  sshKeygen();
  vsftpd();
  pureFtpd();
  purePw();
  requireBinary('/usr/bin/openssl');
}

/**
 * Starts sshd, three vsftpd instances (plain, explicit FTPS, implicit FTPS) and pure-ftpd, each
 * on 127.0.0.1 with free ports and all state under one temp folder.
 */
export async function startTestServers(): Promise<StartedServers> {
  checkServerBinaries();
  await sweepAbandonedRuns();
  const user = await ensureTestUser();
  const root = await mkdtemp(`${tmpdir()}/${ROOT_PREFIX}`);
  await claimRoot(root);
  // The test user must be able to walk down to its homes.
  await chmod(root, 0o755);

  const stops: Array<() => Promise<void>> = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) {
      return;
    }
    stopped = true;
    await Promise.allSettled(stops.map((s) => s()));
    await rm(root, { recursive: true, force: true });
  };
  const track = <T extends { stop(): Promise<void> }>(started: T): T => {
    stops.push(() => started.stop());
    return started;
  };

  try {
    const cert = await makeCertificate(root);
    const [sftp, plain, explicit, implicit, pure] = await Promise.allSettled([
      startSshd(root, user).then(track),
      startVsftpd(root, user, 'none', cert).then(track),
      startVsftpd(root, user, 'explicit', cert).then(track),
      startVsftpd(root, user, 'implicit', cert).then(track),
      startPureFtpd(root, user, cert).then(track),
    ]);
    const failures = [sftp, plain, explicit, implicit, pure].flatMap((r) =>
      r.status === 'rejected' ? [(r.reason as Error).message] : [],
    );
    if (
      sftp.status !== 'fulfilled' ||
      plain.status !== 'fulfilled' ||
      explicit.status !== 'fulfilled' ||
      implicit.status !== 'fulfilled' ||
      pure.status !== 'fulfilled'
    ) {
      throw new Error(`test servers failed to start:\n\n${failures.join('\n\n')}`);
    }
    const ftp: Record<FtpServerInfo['id'], FtpServerInfo> = {
      'vsftpd-plain': plain.value.info,
      'vsftpd-explicit': explicit.value.info,
      'vsftpd-implicit': implicit.value.info,
      pureftpd: pure.value.plain,
      'pureftpd-quota': pure.value.quota,
    };
    return { servers: { sftp: sftp.value.info, ftp }, root, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
