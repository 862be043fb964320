import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked, type CommandSpec } from '../measure.js';
import { PARALLEL_FILES, remotePath, type Job, type Peer, type Protocol, type ServerAccess } from './types.js';

const RCLONE = '/usr/bin/rclone';

function remoteName(protocol: Protocol): string {
  return `BENCH${protocol.toUpperCase()}`;
}

/**
 * rclone with remotes defined only by RCLONE_CONFIG_* variables and an empty config file, so nothing
 * from the machine's own configuration leaks in.
 */
export class RclonePeer implements Peer {
  readonly name = 'rclone';
  readonly protocols: ReadonlyArray<Protocol> = ['sftp', 'ftp'];
  #env: Record<string, string> = {};
  #config = '';

  async prepare(servers: ReadonlyArray<ServerAccess>, workDir: string): Promise<void> {
    this.#config = join(workDir, 'rclone.conf');
    await writeFile(this.#config, '');
    const env: Record<string, string> = {};
    for (const s of servers) {
      const p = `RCLONE_CONFIG_${remoteName(s.protocol)}_`;
      env[`${p}TYPE`] = s.protocol;
      env[`${p}HOST`] = s.host;
      env[`${p}PORT`] = String(s.port);
      env[`${p}USER`] = s.user;
      if (s.protocol === 'sftp') {
        if (s.privateKeyPath === undefined || s.knownHostsFile === undefined) throw new Error('rclone needs the SFTP key and known_hosts');
        env[`${p}KEY_FILE`] = s.privateKeyPath;
        // Checked like OpenSSH's StrictHostKeyChecking=yes: an unknown or changed key fails the run.
        env[`${p}KNOWN_HOSTS_FILE`] = s.knownHostsFile;
        // internal-sftp runs no commands: without this rclone would try md5sum/sha1sum over SSH first.
        env[`${p}SHELL_TYPE`] = 'none';
        env[`${p}MD5SUM_COMMAND`] = 'none';
        env[`${p}SHA1SUM_COMMAND`] = 'none';
      } else {
        const obscured = await runChecked({ command: RCLONE, args: ['obscure', '-'], input: s.password, timeoutMs: 30_000 });
        env[`${p}PASS`] = obscured.trim();
      }
    }
    this.#env = env;
  }

  command(job: Job): CommandSpec {
    const remote = `${remoteName(job.server.protocol)}:${remotePath(job)}`;
    const [from, to] = job.direction === 'up' ? [job.local, remote] : [remote, job.local];
    return {
      command: RCLONE,
      args: [
        job.data === 'small' ? 'copy' : 'copyto',
        from,
        to,
        '--config',
        this.#config,
        '--transfers',
        String(PARALLEL_FILES),
        // A failure should show as a failure, not as a slow run that quietly started over.
        '--retries',
        '1',
        '--stats',
        '0',
        // Its default for big downloads, several ranged RETRs at once, fails here every time: vsftpd answers
        // "426 Failure writing network stream" when rclone closes a range early. One stream, as lftp and Ferry.
        ...(job.server.protocol === 'ftp' && job.direction === 'down' ? ['--multi-thread-streams', '0'] : []),
      ],
      env: this.#env,
      timeoutMs: 300_000,
    };
  }

  async describe(): Promise<string> {
    const version = (await runChecked({ command: RCLONE, args: ['version'], timeoutMs: 30_000 })).split('\n')[0] ?? 'rclone';
    return `${version}; copy/copyto --transfers ${PARALLEL_FILES} --retries 1 (checkers 8); SFTP: key_file, ` +
      `known_hosts_file, shell_type none, default multi-thread download (4 streams above 250 MiB); FTP: obscured ` +
      `password, --multi-thread-streams 0 for downloads`;
  }
}
