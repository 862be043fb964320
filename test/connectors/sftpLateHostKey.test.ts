import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SftpFs } from '../../src/connectors/sftp/SftpFs.js';
import { KnownHosts, type HostKeyAnswer, type UnknownHostKey } from '../../src/security/KnownHosts.js';
import { failure } from '../helpers/failure.js';
import { startDedicatedServer, startSshd, type RunningServer, type SftpServerInfo } from '../helpers/servers/index.js';

/** Short, so that a person's answer comes after OpenSSH hung up, as it does when someone reads a fingerprint carefully. */
const LOGIN_GRACE_SECONDS = 2;

/**
 * A port forward to the server that says when the server closed each connection: the moment to answer
 * the key's question "late", known from the socket instead of guessed with a sleep.
 */
interface WatchedForward {
  readonly port: number;
  /** Connections the client opened through the forward. */
  readonly opened: number;
  /** Settles once the server has closed the `index`th connection. */
  serverClosed(index: number): Promise<void>;
  close(): Promise<void>;
}

async function watchedForward(target: SftpServerInfo): Promise<WatchedForward> {
  const closed: Array<{ promise: Promise<void>; resolve: () => void }> = [];
  const slot = (index: number): { promise: Promise<void>; resolve: () => void } => {
    while (closed.length <= index) {
      let resolve = (): void => undefined;
      const promise = new Promise<void>((r) => (resolve = r));
      closed.push({ promise, resolve });
    }
    return closed[index] as { promise: Promise<void>; resolve: () => void };
  };
  let opened = 0;
  const server: Server = createServer((client) => {
    const index = opened++;
    const upstream = connect(target.port, target.host);
    client.pipe(upstream).pipe(client);
    upstream.on('close', () => {
      slot(index).resolve();
      client.destroy();
    });
    client.on('close', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get opened() {
      return opened;
    },
    serverClosed: (index) => slot(index).promise,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('an SSH host key accepted after the server stopped waiting for the login', () => {
  let sshd: RunningServer<SftpServerInfo>;
  let forward: WatchedForward;
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
    forward = await watchedForward(sshd.info);
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
