import { dirname } from 'node:path';
import { runChecked, type CommandSpec } from '../measure.js';
import { PARALLEL_FILES, remotePath, type Job, type Peer, type Protocol, type ServerAccess } from './types.js';

const LFTP = '/usr/bin/lftp';

/** Keeps a path with spaces or quotes one argument inside an lftp script. */
function quote(path: string): string {
  return `"${path.replace(/(["\\])/g, '\\$1')}"`;
}

/** lftp for plain FTP: `get`/`put` for one file, `mirror -P 8` / `mirror -R -P 8` for many. */
export class LftpPeer implements Peer {
  readonly name = 'lftp';
  readonly protocols: ReadonlyArray<Protocol> = ['ftp'];

  async prepare(_servers: ReadonlyArray<ServerAccess>, _workDir: string): Promise<void> {
    // Nothing to set up: every run passes its settings in the script.
  }

  command(job: Job): CommandSpec {
    const s = job.server;
    const remote = remotePath(job);
    let transfer: string;
    if (job.data === 'big') {
      transfer = job.direction === 'up' ? `put ${quote(job.local)} -o ${quote(remote)}` : `get ${quote(remote)} -o ${quote(job.local)}`;
    } else {
      transfer =
        job.direction === 'up'
          ? `mirror -R -P ${PARALLEL_FILES} ${quote(job.local)} ${quote(remote)}`
          : `mirror -P ${PARALLEL_FILES} ${quote(remote)} ${quote(job.local)}`;
    }
    const script = [
      // Fail the run on the first error instead of retrying for minutes; plain FTP, so no AUTH TLS probe.
      'set cmd:fail-exit yes',
      'set net:max-retries 1',
      'set net:timeout 30',
      'set ftp:ssl-allow no',
      'set ftp:passive-mode yes',
      `open -u ${s.user} --env-password ftp://${s.host}:${s.port}`,
      transfer,
      'quit',
    ].join('; ');
    return {
      command: LFTP,
      args: ['-c', script],
      env: { LFTP_PASSWORD: s.password },
      cwd: job.direction === 'down' ? dirname(job.local) : undefined,
      timeoutMs: 300_000,
    } satisfies CommandSpec;
  }

  async describe(): Promise<string> {
    const version = (await runChecked({ command: LFTP, args: ['--version'], timeoutMs: 30_000 })).split('\n')[0] ?? 'lftp';
    return `${version.replace(/\s*\|\s*Copyright.*$/, '')}; get/put, mirror [-R] -P ${PARALLEL_FILES}; ftp:ssl-allow no, net:max-retries 1`;
  }
}
