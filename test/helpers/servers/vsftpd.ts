import { readFile, writeFile } from 'node:fs/promises';
import type { TestCertificate } from './certificate.js';
import type { FtpSecurity, FtpServerId, FtpServerInfo, RunningServer } from './types.js';
import {
  HOST,
  READONLY_NAME,
  makeDir,
  makeHome,
  releasePortBlock,
  requireBinary,
  reservePortBlock,
  startProcess,
  waitForBanner,
  type TestUser,
} from './util.js';

/** Enough passive ports for a pool of clients while closed ones linger in TIME_WAIT. */
const PASSIVE_PORTS = 100;

export function vsftpd(): string {
  return requireBinary('/usr/sbin/vsftpd');
}

const IDS: Record<FtpSecurity, FtpServerId> = {
  none: 'vsftpd-plain',
  explicit: 'vsftpd-explicit',
  implicit: 'vsftpd-implicit',
};

/**
 * One vsftpd instance for the test user, chrooted to its own home. FTPS instances demand TLS for
 * login and data and, unless `requireSslReuse` is false, TLS session reuse on data connections, as
 * strict partner servers do.
 */
export async function startVsftpd(
  root: string,
  user: TestUser,
  secure: FtpSecurity,
  cert: TestCertificate,
  options: { readonly requireSslReuse?: boolean } = {},
): Promise<RunningServer<FtpServerInfo>> {
  const binary = vsftpd();
  const id = IDS[secure];
  const dir = await makeDir(`${root}/${id}`, 0o755);
  const { home } = await makeHome(`${dir}/home`, user);
  // vsftpd chroots its unprivileged helper here; it must exist and be unwritable.
  const emptyDir = await makeDir(`${dir}/empty`, 0o555, { uid: 0, gid: 0 });
  const base = await reservePortBlock(1 + PASSIVE_PORTS);
  const port = base;
  const logFile = `${dir}/vsftpd.log`;

  const lines = [
    'background=NO',
    'listen=YES',
    'listen_ipv6=NO',
    `listen_address=${HOST}`,
    `listen_port=${port}`,
    // The sandboxes need namespaces and syscalls that containers often forbid.
    'seccomp_sandbox=NO',
    'isolate=NO',
    'isolate_network=NO',
    `secure_chroot_dir=${emptyDir}`,
    'pam_service_name=vsftpd',
    'anonymous_enable=NO',
    'local_enable=YES',
    'write_enable=YES',
    'local_umask=022',
    'userlist_enable=NO',
    // local_root moves the chroot from the passwd home (which sshd and pure-ftpd do not use) here.
    `local_root=${home}`,
    'chroot_local_user=YES',
    'allow_writeable_chroot=YES',
    'pasv_enable=YES',
    `pasv_address=${HOST}`,
    `pasv_min_port=${base + 1}`,
    `pasv_max_port=${base + PASSIVE_PORTS}`,
    'connect_from_port_20=NO',
    'dirmessage_enable=NO',
    'session_support=NO',
    'use_localtime=NO',
    'max_clients=200',
    'max_per_ip=200',
    'delay_failed_login=0',
    'ftpd_banner=Ferry test vsftpd',
    `vsftpd_log_file=${logFile}`,
    'xferlog_enable=YES',
    'xferlog_std_format=NO',
    'log_ftp_protocol=YES',
  ];
  if (secure !== 'none') {
    lines.push(
      'ssl_enable=YES',
      `rsa_cert_file=${cert.certPath}`,
      `rsa_private_key_file=${cert.keyPath}`,
      'allow_anon_ssl=NO',
      'force_local_logins_ssl=YES',
      'force_local_data_ssl=YES',
      `require_ssl_reuse=${options.requireSslReuse === false ? 'NO' : 'YES'}`,
      'ssl_ciphers=HIGH',
      'debug_ssl=YES',
    );
    if (secure === 'implicit') {
      lines.push('implicit_ssl=YES');
    }
  }
  const configFile = `${dir}/vsftpd.conf`;
  await writeFile(configFile, `${lines.join('\n')}\n`, { mode: 0o600 });

  const server = startProcess({ name: id, command: binary, args: [configFile], logFile, root, logOnStdin: true });
  try {
    await waitForBanner({
      server,
      port,
      banner: /^220 [^\r\n]*\r?\n/m,
      ...(secure === 'implicit' ? { tls: { ca: await readFile(cert.certPath) } } : {}),
    });
  } catch (error) {
    await server.stop();
    releasePortBlock(base);
    throw error;
  }
  return {
    info: {
      id,
      host: HOST,
      port,
      user: user.name,
      password: user.password,
      home,
      loginDir: '/',
      readonlyDir: `/${READONLY_NAME}`,
      secure,
      ...(secure === 'none' ? {} : { caFile: cert.certPath, certFingerprint256: cert.fingerprint256 }),
    },
    async stop() {
      await server.stop();
      releasePortBlock(base);
    },
  };
}
