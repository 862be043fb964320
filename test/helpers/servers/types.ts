export interface SftpServerInfo {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Absolute path on the server (no chroot) of a folder the user owns; sessions start there. */
  readonly home: string;
  /** Root-owned 0555 folder inside `home`: writes there fail with permission denied. */
  readonly readonlyDir: string;
  /** ed25519 private key without passphrase, OpenSSH format. */
  readonly privateKeyPath: string;
  /** ed25519 private key protected by `keyPassphrase`, OpenSSH format. */
  readonly encryptedKeyPath: string;
  readonly keyPassphrase: string;
  /** RSA private key protected by `keyPassphrase`, legacy PEM format (what older partners hand out). */
  readonly encryptedRsaKeyPath: string;
  /** The server's host public key as in known_hosts, without host name: 'ssh-ed25519 AAAA...'. */
  readonly hostKeyLine: string;
  /** OpenSSH form 'SHA256:<base64 without padding>' of the host key. */
  readonly hostKeyFingerprint: string;
}

export type FtpServerId = 'vsftpd-plain' | 'vsftpd-explicit' | 'vsftpd-implicit' | 'pureftpd' | 'pureftpd-quota';

export type FtpSecurity = 'none' | 'explicit' | 'implicit';

export interface FtpServerInfo {
  readonly id: FtpServerId;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Absolute local path of the folder the FTP user sees as '/' (every server chroots). */
  readonly home: string;
  /** Remote path the user lands in after login. */
  readonly loginDir: string;
  /** Remote path of a root-owned 0555 folder: writes there are refused. */
  readonly readonlyDir: string;
  readonly secure: FtpSecurity;
  /** PEM certificate the server presents when TLS is used (also set when TLS is optional); trust it with `ca`. */
  readonly caFile?: string;
  /** SHA-256 of the certificate as Node's `getPeerCertificate().fingerprint256` prints it. */
  readonly certFingerprint256?: string;
  /** Upload quota in bytes enforced by the server, when there is one. */
  readonly quotaBytes?: number;
  /** Upload quota in files enforced by the server, when there is one. */
  readonly quotaFiles?: number;
}

export interface TestServers {
  readonly sftp: SftpServerInfo;
  readonly ftp: Readonly<Record<FtpServerId, FtpServerInfo>>;
}

/** A started server: what tests need to reach it, and how to stop it. */
export interface RunningServer<T> {
  readonly info: T;
  stop(): Promise<void>;
}
