import { runChecked, type CommandSpec } from '../measure.js';
import { remotePath, type Job, type Peer, type Protocol, type ServerAccess } from './types.js';

const SFTP = '/usr/bin/sftp';

function quote(path: string): string {
  return `"${path.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * OpenSSH's own sftp client in batch mode, with its defaults for requests in flight and buffer size.
 * It copies one file at a time, so its many-files rows show a sequential client, not a parallel one.
 */
export class OpenSshPeer implements Peer {
  readonly name = 'openssh-sftp';
  readonly protocols: ReadonlyArray<Protocol> = ['sftp'];

  async prepare(_servers: ReadonlyArray<ServerAccess>, _workDir: string): Promise<void> {
    // The known_hosts file and key come with the server access.
  }

  command(job: Job): CommandSpec {
    const s = job.server;
    if (s.privateKeyPath === undefined || s.knownHostsFile === undefined) throw new Error('sftp needs the key and known_hosts');
    const remote = remotePath(job);
    const recursive = job.data === 'small' ? '-r ' : '';
    const line =
      job.direction === 'up'
        ? `put ${recursive}${quote(job.local)} ${quote(remote)}`
        : `get ${recursive}${quote(remote)} ${quote(job.local)}`;
    return {
      command: SFTP,
      args: [
        '-b',
        '-',
        '-P',
        String(s.port),
        '-i',
        s.privateKeyPath,
        // No user or system ssh_config: the client's built-in defaults, the same on every machine.
        '-F',
        '/dev/null',
        '-o',
        'IdentitiesOnly=yes',
        '-o',
        'BatchMode=yes',
        '-o',
        'StrictHostKeyChecking=yes',
        '-o',
        `UserKnownHostsFile=${s.knownHostsFile}`,
        '-o',
        'GlobalKnownHostsFile=/dev/null',
        '-o',
        'LogLevel=ERROR',
        `${s.user}@${s.host}`,
      ],
      input: `${line}\n`,
      timeoutMs: 300_000,
    };
  }

  async describe(): Promise<string> {
    const probe = await runChecked({ command: '/bin/sh', args: ['-c', 'ssh -V 2>&1'], timeoutMs: 30_000 });
    return `${probe.trim()}; sftp -b (batch) with its defaults (-R 64 requests in flight, -B 32768), key auth, StrictHostKeyChecking=yes, -F /dev/null`;
  }
}
