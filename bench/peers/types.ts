import type { CommandSpec } from '../measure.js';

export type Protocol = 'sftp' | 'ftp';
export type Direction = 'up' | 'down';
export type DataKind = 'big' | 'small';

/** Files in flight at once for the many-files rows, the same for every tool. */
export const PARALLEL_FILES = 8;

/** How to reach one server; `root` is the bench folder as the tool must name it on that server. */
export interface ServerAccess {
  readonly protocol: Protocol;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** SFTP: absolute path (no chroot). FTP: path as the chrooted login sees it. */
  readonly root: string;
  /** SFTP only: unencrypted private key accepted by the server. */
  readonly privateKeyPath?: string;
  /** SFTP only: known_hosts file naming the server's key as `[host]:port`. */
  readonly knownHostsFile?: string;
  readonly hostKeyLine?: string;
}

/**
 * One transfer: a local file or folder and a remote one, relative to the server's bench folder.
 * Folders are copied by contents: `local` and `remote` name the same folder on both sides, and the
 * destination does not exist beforehand (its parent does).
 */
export interface Job {
  readonly server: ServerAccess;
  readonly direction: Direction;
  readonly data: DataKind;
  /** Absolute local path: the source for uploads, the destination for downloads. */
  readonly local: string;
  /** Relative to `server.root`, e.g. 'up/big.bin' or 'down/small'. */
  readonly remote: string;
}

export interface Peer {
  readonly name: string;
  readonly protocols: ReadonlyArray<Protocol>;
  /** One-time set-up before the first job (configuration files, builds, saved connections). */
  prepare(servers: ReadonlyArray<ServerAccess>, workDir: string): Promise<void>;
  command(job: Job): CommandSpec;
  /** Version and the flags that matter, for the report. */
  describe(): Promise<string>;
}

export function remotePath(job: Job): string {
  return `${job.server.root.replace(/\/$/, '')}/${job.remote}`;
}
