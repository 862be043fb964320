import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { RunningServer, SftpServerInfo } from './types.js';
import {
  HOST,
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

export const SSH_KEY_PASSPHRASE = 'ferry key passphrase';

export function sshd(): string {
  return requireBinary('/usr/sbin/sshd');
}

export function sshKeygen(): string {
  return requireBinary('/usr/bin/ssh-keygen');
}

/** OpenSSH's 'SHA256:...' form: base64 of the key blob's digest, padding dropped. */
export function openSshFingerprint(publicKeyLine: string): string {
  const blob = publicKeyLine.trim().split(/\s+/)[1];
  if (!blob) {
    throw new Error(`not a public key line: ${publicKeyLine}`);
  }
  const digest = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

async function keygen(file: string, type: 'ed25519' | 'rsa', passphrase: string, extra: string[] = []): Promise<string> {
  await run(sshKeygen(), ['-q', '-t', type, ...extra, '-N', passphrase, '-C', 'ferry-test', '-f', file]);
  return (await readFile(`${file}.pub`, 'utf8')).trim();
}

/** What sets a dedicated sshd apart from the shared one. */
export interface SshdOptions {
  /** Its folder under the run's root; 'sshd' for the shared one. */
  readonly name?: string;
  /** OpenSSH's LoginGraceTime: how long it waits for a login before it hangs up (default 120). */
  readonly loginGraceSeconds?: number;
}

/**
 * A private OpenSSH sshd serving only SFTP (internal-sftp) for the test user, on its own port,
 * config, host key and authorized keys. No chroot: sshd refuses one under world-writable /tmp,
 * so sessions start in `home` instead and tests use absolute paths.
 */
export async function startSshd(root: string, user: TestUser, options: SshdOptions = {}): Promise<RunningServer<SftpServerInfo>> {
  const sshdPath = sshd();
  sshKeygen();
  const dir = await makeDir(`${root}/${options.name ?? 'sshd'}`, 0o755);
  const keysDir = await makeDir(`${dir}/keys`, 0o755);
  const authorizedDir = await makeDir(`${dir}/authorized_keys`, 0o755);
  const { home, readonlyDir } = await makeHome(`${dir}/home`, user);
  // The privilege separation directory; a fresh container may not have it.
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });

  const hostKey = `${dir}/ssh_host_ed25519_key`;
  const privateKeyPath = `${keysDir}/id_ed25519`;
  const encryptedKeyPath = `${keysDir}/id_ed25519_encrypted`;
  const encryptedRsaKeyPath = `${keysDir}/id_rsa_encrypted.pem`;
  const [hostKeyLine, plainPub, encryptedPub, rsaPub] = await Promise.all([
    keygen(hostKey, 'ed25519', ''),
    keygen(privateKeyPath, 'ed25519', ''),
    keygen(encryptedKeyPath, 'ed25519', SSH_KEY_PASSPHRASE),
    keygen(encryptedRsaKeyPath, 'rsa', SSH_KEY_PASSPHRASE, ['-b', '2048', '-m', 'PEM']),
  ]);
  // sshd reads this as the user, so it must be world-readable.
  await writeFile(`${authorizedDir}/${user.name}`, `${plainPub}\n${encryptedPub}\n${rsaPub}\n`, { mode: 0o644 });

  const port = await reservePortBlock(1);
  const logFile = `${dir}/sshd.log`;
  const config = [
    `ListenAddress ${HOST}`,
    `Port ${port}`,
    `HostKey ${hostKey}`,
    `PidFile ${dir}/sshd.pid`,
    `AuthorizedKeysFile ${authorizedDir}/%u`,
    'UsePAM no',
    'StrictModes no',
    'PasswordAuthentication yes',
    'PubkeyAuthentication yes',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin no',
    'UseDNS no',
    // Tests open many connections at once; the defaults (10:30:100, 10) would drop some.
    'MaxStartups 100:30:200',
    'MaxSessions 100',
    'MaxAuthTries 10',
    'LogLevel VERBOSE',
    ...(options.loginGraceSeconds === undefined ? [] : [`LoginGraceTime ${options.loginGraceSeconds}`]),
    `AllowUsers ${user.name}`,
    `Subsystem sftp internal-sftp -d ${home}`,
    `Match User ${user.name}`,
    `  ForceCommand internal-sftp -d ${home}`,
    '',
  ].join('\n');
  const configFile = `${dir}/sshd_config`;
  await writeFile(configFile, config);

  const server = startProcess({
    name: options.name ?? 'sshd',
    command: sshdPath,
    args: ['-D', '-f', configFile, '-E', logFile],
    logFile,
    root,
  });
  try {
    await waitForBanner({ server, port, banner: /^SSH-2\.0-[^\r\n]*\r?\n/ });
  } catch (error) {
    await server.stop();
    releasePortBlock(port);
    throw error;
  }
  const keyLine = hostKeyLine.split(/\s+/).slice(0, 2).join(' ');
  return {
    info: {
      host: HOST,
      port,
      user: user.name,
      password: user.password,
      home,
      readonlyDir,
      privateKeyPath,
      encryptedKeyPath,
      encryptedRsaKeyPath,
      keyPassphrase: SSH_KEY_PASSPHRASE,
      hostKeyLine: keyLine,
      hostKeyFingerprint: openSshFingerprint(keyLine),
    },
    async stop() {
      await server.stop();
      releasePortBlock(port);
    },
  };
}
