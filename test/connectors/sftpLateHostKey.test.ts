import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SftpFs } from '../../src/connectors/sftp/SftpFs.js';
import { KnownHosts, type HostKeyAnswer, type UnknownHostKey } from '../../src/security/KnownHosts.js';
import { failure } from '../helpers/failure.js';
import { portForward, type PortForward } from '../helpers/portForward.js';
import { startDedicatedServer, startSshd, type RunningServer, type SftpServerInfo } from '../helpers/servers/index.js';

/** Short, so that a person's answer comes after OpenSSH hung up, as it does when someone reads a fingerprint carefully. */
const LOGIN_GRACE_SECONDS = 2;

describe('an SSH host key accepted after the server stopped waiting for the login', () => {
  let sshd: RunningServer<SftpServerInfo>;
  let forward: PortForward;
  let scratch: string;
  const opened: SftpFs[] = [];

  beforeAll(async () => {
    sshd = await startDedicatedServer((root, user) => startSshd(root, user, { name: 'sshd-short-grace', loginGraceSeconds: LOGIN_GRACE_SECONDS }));
    scratch = await mkdtemp(join(tmpdir(), 'ferry-late-key-'));
  });
  afterAll(async () => {
    await sshd?.stop();
    await rm(scratch, { recursive: true, force: true });
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((fs) => fs.close()));
    await forward?.close();
  });

  /** A connection through a fresh forward whose person answers `answer` once the server has hung up on the first connection. */
  async function connectAnsweringLate(answer: HostKeyAnswer, knownHosts: string): Promise<{ fs: SftpFs; questions: UnknownHostKey[] }> {
    // Through a forward that says when the server hung up: the moment to answer, known without a sleep.
    forward = await portForward(sshd.info);
    const questions: UnknownHostKey[] = [];
    const confirmUnknown = async (question: UnknownHostKey): Promise<HostKeyAnswer> => {
      questions.push(question);
      await forward.serverClosed(0);
      return answer;
    };
    const fs = new SftpFs({
      host: '127.0.0.1',
      port: forward.port,
      username: sshd.info.user,
      password: sshd.info.password,
      root: sshd.info.home,
      hostKeys: new KnownHosts({ path: knownHosts, policy: 'strict', confirmUnknown }),
      // Ferry's own handshake limit must not be what ends the wait: the server's grace time is.
      timeoutMs: 120_000,
    });
    opened.push(fs);
    return { fs, questions };
  }

  it('connects again with the key the person trusted, remembers it, and asks once', async () => {
    const knownHosts = join(scratch, 'trusted_known_hosts');
    const { fs, questions } = await connectAnsweringLate('trust', knownHosts);
    const entries = await fs.list('');
    expect(entries.map((e) => e.name)).toContain('readonly');
    expect(questions.map((q) => q.fingerprint)).toEqual([sshd.info.hostKeyFingerprint]);
    expect(forward.opened).toBe(2);
    expect(await readFile(knownHosts, 'utf8')).toContain(sshd.info.hostKeyLine);
  });

  it('connects again with a key accepted once, without asking again or remembering it', async () => {
    const knownHosts = join(scratch, 'once_known_hosts');
    const { fs, questions } = await connectAnsweringLate('once', knownHosts);
    expect((await fs.list('')).map((e) => e.name)).toContain('readonly');
    expect(questions).toHaveLength(1);
    expect(forward.opened).toBe(2);
    expect(await readFile(knownHosts, 'utf8').catch(() => '')).not.toContain(sshd.info.hostKeyLine);
  });

  it('does not connect again when the person refuses the key, and says why', async () => {
    const knownHosts = join(scratch, 'refused_known_hosts');
    const { fs } = await connectAnsweringLate('refuse', knownHosts);
    const error = await failure(() => fs.list(''));
    expect([error.kind, error.message]).toEqual(['hostKey', expect.stringContaining(sshd.info.hostKeyFingerprint)]);
    expect(forward.opened).toBe(1);
  });
});
