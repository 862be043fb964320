import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { createServer, type Server as NetServer } from 'node:net';
import { promisify } from 'node:util';
import ssh2 from 'ssh2';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { TransferError } from '../../src/connectors/errors.js';
import { SftpFs, type SftpOptions } from '../../src/connectors/sftp/SftpFs.js';
import { KnownHosts, fingerprintSha256, parsePublicKeyLine } from '../../src/security/KnownHosts.js';
import { randomBytesOf, readAll } from '../helpers/data.js';
import { failure } from '../helpers/failure.js';

const server = inject('servers').sftp;
const run = promisify(execFile);

let scratch: string;
/** Ferry's known_hosts with the test server's real key in it. */
let trustedFile: string;
/** This file's own folder inside the server user's home: the connector root of every test here. */
let root: string;
let owner: { uid: number; gid: number };
const opened: SftpFs[] = [];

function trustedHosts(): KnownHosts {
  return new KnownHosts({ path: trustedFile, policy: 'strict' });
}

function connect(over: Partial<SftpOptions> = {}): SftpFs {
  const fs = new SftpFs({
    host: server.host,
    port: server.port,
    username: server.user,
    password: server.password,
    root,
    hostKeys: trustedHosts(),
    ...over,
  });
  opened.push(fs);
  return fs;
}

function put(fs: SftpFs, path: string, data: Buffer | string): Promise<void> {
  return fs.write(path, Readable.from([Buffer.from(data)]));
}

async function get(fs: SftpFs, path: string, offset?: number): Promise<Buffer> {
  return readAll(await fs.read(path, offset === undefined ? {} : { offset }));
}

/** A folder of the test root, made on disk and owned by the server's user (every server runs here). */
async function localDir(name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await chown(dir, owner.uid, owner.gid);
  return dir;
}

/** SSH connections this process holds to the test server, as the kernel sees them. */
async function connectionsToServer(): Promise<number> {
  const { stdout } = await run('ss', ['-Htnp', 'state', 'established', `( dport = :${server.port} )`]);
  return stdout.split('\n').filter((line) => line.includes(`pid=${process.pid},`)).length;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ferry-sftp-test-'));
  trustedFile = join(scratch, 'known_hosts');
  await new KnownHosts({ path: trustedFile, policy: 'strict' }).record(server.host, server.port, server.hostKeyLine);
  const home = await stat(server.home);
  owner = { uid: home.uid, gid: home.gid };
  root = join(server.home, `sftp-test-${randomBytes(4).toString('hex')}`);
  await mkdir(root);
  await chown(root, owner.uid, owner.gid);
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((fs) => fs.close()));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

describe('SFTP login', () => {
  it('logs in with a password, and never shows it', async () => {
    const fs = connect();
    expect(fs.kind).toBe('sftp');
    expect(await fs.list('')).toEqual([]);
    expect(fs.description).toBe(`sftp://${server.user}@${server.host}:${server.port}${root}`);
    expect(fs.description).not.toContain(server.password);
  });

  it('logs in with a private key', async () => {
    const fs = connect({ password: undefined, privateKey: await readFile(server.privateKeyPath) });
    expect(await fs.stat('')).toMatchObject({ kind: 'dir', path: '' });
  });

  it('logs in with encrypted keys and their passphrase (OpenSSH ed25519 and legacy PEM RSA)', async () => {
    for (const keyPath of [server.encryptedKeyPath, server.encryptedRsaKeyPath]) {
      const fs = connect({
        password: undefined,
        privateKey: await readFile(keyPath, 'utf8'),
        passphrase: server.keyPassphrase,
      });
      expect((await fs.stat(''))?.kind).toBe('dir');
    }
  });

  it('refuses an encrypted key with a wrong or missing passphrase as auth, without echoing it', async () => {
    const privateKey = await readFile(server.encryptedKeyPath, 'utf8');
    const wrong = await failure(() =>
      connect({ password: undefined, privateKey, passphrase: 'not the passphrase' }).list(''),
    );
    expect(wrong.kind).toBe('auth');
    expect(wrong.message).toMatch(/passphrase/);
    expect(wrong.message).not.toContain('not the passphrase');
    expect(wrong.message).not.toContain(privateKey.slice(40, 80));
    expect((await failure(() => connect({ password: undefined, privateKey }).list(''))).kind).toBe('auth');
  });

  it('logs in through a running ssh-agent', async () => {
    const socket = join(scratch, 'agent.sock');
    const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 100 && !existsSync(socket); i++) await delay(20);
      await run('ssh-add', [server.privateKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
      const fs = connect({ password: undefined, agent: socket });
      expect((await fs.stat(''))?.kind).toBe('dir');
    } finally {
      agent.kill();
    }
  });

  it('reports a wrong password as a fatal auth error that names the account, not the password', async () => {
    const fs = connect({ password: 'definitely-wrong-pw' });
    const err = await failure(() => fs.list(''));
    expect(err.kind).toBe('auth');
    expect(err.fatal).toBe(true);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(`${server.user}@${server.host}:${server.port}`);
    expect(err.message).not.toContain('definitely-wrong-pw');
    // Later calls meet the same refusal without trying the password again.
    expect((await failure(() => fs.stat('x'))).kind).toBe('auth');
  });

  it('fails every waiting call with the login refusal at once, trying the password only once', async () => {
    const fs = connect({ password: 'wrong-again', maxConnections: 1, requestsPerConnection: 1 });
    const results = await Promise.allSettled([fs.list(''), fs.stat('a'), fs.read('b'), fs.mkdir('c')]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as TransferError).kind : 'ok'))).toEqual([
      'auth',
      'auth',
      'auth',
      'auth',
    ]);
  });
});

describe('SFTP host keys', () => {
  it('refuses an unknown host key in strict mode, with its fingerprint and how to accept it', async () => {
    const empty = join(scratch, 'empty_known_hosts');
    const fs = connect({ hostKeys: new KnownHosts({ path: empty, policy: 'strict' }) });
    const err = await failure(() => fs.list(''));
    expect(err.kind).toBe('hostKey');
    expect(err.fatal).toBe(true);
    expect(err.message).toContain(server.hostKeyFingerprint);
    expect(err.message).toContain('--accept-new-host-key');
    expect(existsSync(empty)).toBe(false);
  });

  it('checks the key before sending any credential', async () => {
    // sshd logs every user name it is asked to authenticate: a probe name shows whether auth began.
    const refusedName = `probe-${randomBytes(4).toString('hex')}`;
    const acceptedName = `probe-${randomBytes(4).toString('hex')}`;
    const seen: string[] = [];
    const verifier = (accept: boolean): SftpOptions['hostKeys'] => ({
      verify: (_host, _port, key) => {
        seen.push(fingerprintSha256(key));
        return Promise.resolve(accept ? undefined : new TransferError('hostKey', 'refused by test'));
      },
    });
    const refused = await failure(() => connect({ username: refusedName, hostKeys: verifier(false) }).list(''));
    expect(refused.message).toBe('refused by test');
    expect((await failure(() => connect({ username: acceptedName, hostKeys: verifier(true) }).list(''))).kind).toBe(
      'auth',
    );
    expect(seen).toEqual([server.hostKeyFingerprint, server.hostKeyFingerprint]);
    const log = await readFile(join(server.home, '..', 'sshd.log'), 'utf8');
    expect(log).toContain(acceptedName);
    expect(log).not.toContain(refusedName);
  });

  it('records the key under accept-new, then connects in strict mode', async () => {
    const path = join(scratch, 'accept_new_known_hosts');
    await connect({ hostKeys: new KnownHosts({ path, policy: 'accept-new' }) }).list('');
    expect(await readFile(path, 'utf8')).toBe(`[${server.host}]:${server.port} ${server.hostKeyLine}\n`);
    await connect({ hostKeys: new KnownHosts({ path, policy: 'strict' }) }).list('');
  });

  it('refuses a changed host key naming both fingerprints, under accept-new too', async () => {
    const keyFile = join(scratch, 'impostor');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
    const oldLine = (await readFile(`${keyFile}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ');
    const oldFingerprint = fingerprintSha256(parsePublicKeyLine(oldLine));
    const path = join(scratch, 'changed_known_hosts');
    await writeFile(path, `[${server.host}]:${server.port} ${oldLine}\n`);
    for (const policy of ['strict', 'accept-new'] as const) {
      const err = await failure(() => connect({ hostKeys: new KnownHosts({ path, policy }) }).list(''));
      expect(err.kind).toBe('hostKey');
      expect(err.message).toContain(`${server.host}:${server.port}`);
      expect(err.message).toContain(oldFingerprint);
      expect(err.message).toContain(server.hostKeyFingerprint);
    }
    expect(await readFile(path, 'utf8')).toBe(`[${server.host}]:${server.port} ${oldLine}\n`);
  });
});

describe('SFTP files', () => {
  it('round-trips data and reports size and time; write resolves with the file complete and closed', async () => {
    const fs = connect();
    const data = randomBytesOf(3 * 1024 * 1024 + 17, 'roundtrip');
    await fs.write('round.bin', Readable.from([data.subarray(0, 1000), data.subarray(1000)]));
    expect((await stat(join(root, 'round.bin'))).size).toBe(data.length);
    const st = await fs.stat('round.bin');
    expect(st).toMatchObject({ name: 'round.bin', path: 'round.bin', kind: 'file', size: data.length });
    expect(Math.abs((st?.modifiedAt ?? 0) - Date.now())).toBeLessThan(60_000);
    expect((await get(fs, 'round.bin')).equals(data)).toBe(true);
    await put(fs, 'empty.bin', '');
    expect((await get(fs, 'empty.bin')).length).toBe(0);
  });

  it('uploads a stream of mixed chunk sizes byte-exactly (tiny chunks merged, large ones split)', async () => {
    const fs = connect();
    const sizes = [1, 100, 5, 300_000, 7, 16_384, 16_383, 600_000, 3, 261_120, 261_121, 2, 40_000];
    const parts = sizes.map((n, i) => randomBytes(n).fill(i + 1, 0, 1));
    const tiny = Array.from({ length: 2000 }, (_, i) => Buffer.from([i % 251]));
    const all = [...parts, ...tiny];
    await fs.write('mixed.bin', Readable.from(all));
    expect((await get(fs, 'mixed.bin')).equals(Buffer.concat(all))).toBe(true);
  });

  it('reads from an offset', async () => {
    const fs = connect();
    const data = randomBytesOf(700_000, 'offset');
    await put(fs, 'offset.bin', data);
    expect((await get(fs, 'offset.bin', 65_536 * 3 + 5)).equals(data.subarray(65_536 * 3 + 5))).toBe(true);
    expect((await get(fs, 'offset.bin', data.length)).length).toBe(0);
    expect((await failure(() => fs.read('offset.bin', { offset: -1 }))).kind).toBe('validation');
  });

  it('appends at the end of the existing file, and creates a missing one', async () => {
    const fs = connect();
    const data = randomBytesOf(500_000, 'append');
    await put(fs, 'append.bin', data.subarray(0, 123_456));
    await fs.write('append.bin', Readable.from([data.subarray(123_456)]), { append: true });
    expect((await readFile(join(root, 'append.bin'))).equals(data)).toBe(true);
    await fs.write('fresh-append.bin', Readable.from([Buffer.from('new')]), { append: true });
    expect((await get(fs, 'fresh-append.bin')).toString()).toBe('new');
  });

  it('overwrites with shorter content, leaving no tail', async () => {
    const fs = connect();
    await put(fs, 'over.txt', 'a much longer first version');
    await put(fs, 'over.txt', 'short');
    expect((await get(fs, 'over.txt')).toString()).toBe('short');
  });

  it('renames over an existing file, replacing it', async () => {
    const fs = connect();
    await put(fs, 'from.txt', 'new');
    await put(fs, 'to.txt', 'old');
    await fs.rename('from.txt', 'to.txt');
    expect(await fs.stat('from.txt')).toBeUndefined();
    expect((await get(fs, 'to.txt')).toString()).toBe('new');
    expect((await failure(() => fs.rename('from.txt', 'x.txt'))).kind).toBe('notFound');
  });

  it('creates folders idempotently with their parents, and refuses where a file stands', async () => {
    const fs = connect();
    await fs.mkdir('a/b/c');
    await fs.mkdir('a/b/c');
    await fs.mkdir('a');
    await Promise.all([fs.mkdir('p/q/r'), fs.mkdir('p/q/s'), fs.mkdir('p/q')]);
    expect((await fs.list('a')).map((e) => [e.name, e.path, e.kind])).toEqual([['b', 'a/b', 'dir']]);
    expect((await fs.list('p/q')).map((e) => e.name).sort()).toEqual(['r', 's']);
    await put(fs, 'a/file', 'x');
    const blocked = await failure(() => fs.mkdir('a/file/sub'));
    expect(blocked.kind).toBe('exists');
    expect(blocked.message).toContain(`${root}/a/file: a file stands there`);
    expect((await failure(() => fs.mkdir('a/file'))).kind).toBe('exists');
  });

  it('removes files and empty folders, and refuses a folder that is not empty', async () => {
    const fs = connect();
    await fs.mkdir('gone');
    await put(fs, 'gone/f.txt', 'x');
    expect((await failure(() => fs.rmdir('gone'))).kind).toBe('exists');
    await fs.remove('gone/f.txt');
    await fs.rmdir('gone');
    expect(await fs.stat('gone')).toBeUndefined();
  });

  it('sets the modification time to the second', async () => {
    const fs = connect();
    await put(fs, 'dated.txt', 'x');
    const when = Date.UTC(2021, 5, 15, 12, 30, 45, 678);
    await fs.setModifiedTime('dated.txt', when);
    expect((await fs.stat('dated.txt'))?.modifiedAt).toBe(Date.UTC(2021, 5, 15, 12, 30, 45));
    expect((await stat(join(root, 'dated.txt'))).mtimeMs).toBe(Date.UTC(2021, 5, 15, 12, 30, 45));
  });

  it('keeps awkward names exactly: NFC and NFD, spaces, emoji, quotes, #, %, leading dash, 200 characters', async () => {
    const fs = connect();
    const names = [
      'with space.txt',
      '  two leading spaces',
      'café-nfc.txt'.normalize('NFC'),
      'café-nfd.txt'.normalize('NFD'),
      '日本語のファイル.txt',
      'emoji-📦🚢.txt',
      `quote's "double".txt`,
      'hash#and%percent%20.txt',
      '-leading-dash.txt',
      '--',
      `${'x'.repeat(196)}.txt`,
    ];
    await fs.mkdir('names');
    for (const n of names) await put(fs, `names/${n}`, `content of ${n}`);
    const listed = await fs.list('names');
    expect(listed.map((e) => e.name).sort()).toEqual([...names].sort());
    for (const e of listed) expect(e.path).toBe(`names/${e.name}`);
    for (const n of names) expect((await get(fs, `names/${n}`)).toString()).toBe(`content of ${n}`);
    // NFC and NFD stay distinct names on the server, byte for byte.
    const onDisk = await run('ls', [join(root, 'names')], { encoding: 'buffer' });
    expect(onDisk.stdout.includes(Buffer.from('café-nfd.txt'.normalize('NFD')))).toBe(true);
  });

  it('leaves hostile names out of a listing and reports each, keeping the rest', async () => {
    const dir = await localDir('hostile');
    await writeFile(join(dir, 'fine.txt'), 'ok');
    await writeFile(join(dir, 'line\nbreak.txt'), 'x');
    await writeFile(join(dir, 'carriage\rreturn.txt'), 'x');
    await writeFile(join(dir, 'back\\slash.txt'), 'x');
    await writeFile(Buffer.concat([Buffer.from(`${dir}/latin1-`), Buffer.from([0xe9]), Buffer.from('.txt')]), 'x');
    const fs = connect();
    const refused: Array<[string, string]> = [];
    const entries = await fs.list('hostile', { onUnsafeName: (name, reason) => refused.push([name, reason]) });
    expect(entries.map((e) => e.name)).toEqual(['fine.txt']);
    expect(refused.map(([n]) => n).sort()).toEqual(
      ['back\\slash.txt', 'carriage\rreturn.txt', 'latin1-\uFFFD.txt', 'line\nbreak.txt'].sort(),
    );
    expect(refused.find(([n]) => n.startsWith('latin1'))?.[1]).toMatch(/UTF-8/);
    expect(refused.find(([n]) => n.startsWith('line'))?.[1]).toMatch(/line break/);
    // Without a callback they are still left out.
    expect((await fs.list('hostile')).map((e) => e.name)).toEqual(['fine.txt']);
  });

  it('follows symbolic links in listings and leaves out broken ones', async () => {
    const dir = await localDir('links');
    await writeFile(join(dir, 'target.txt'), '12345');
    await mkdir(join(dir, 'target-dir'));
    await symlink('target.txt', join(dir, 'link-to-file'));
    await symlink('target-dir', join(dir, 'link-to-dir'));
    await symlink('nowhere', join(dir, 'broken-link'));
    const mtime = new Date('2022-02-02T02:02:02Z');
    await utimes(join(dir, 'target.txt'), mtime, mtime);
    const fs = connect();
    const entries = [...(await fs.list('links'))].sort((a, b) => a.name.localeCompare(b.name));
    expect(entries.map((e) => [e.name, e.kind])).toEqual([
      ['link-to-dir', 'dir'],
      ['link-to-file', 'file'],
      ['target-dir', 'dir'],
      ['target.txt', 'file'],
    ]);
    expect(entries[1]).toMatchObject({ size: 5, modifiedAt: mtime.getTime(), path: 'links/link-to-file' });
    expect((await get(fs, 'links/link-to-file')).toString()).toBe('12345');
  });

  it('is refused writing into a read-only folder, as permission naming the path', async () => {
    const fs = new SftpFs({
      host: server.host,
      port: server.port,
      username: server.user,
      password: server.password,
      root: server.home,
      hostKeys: trustedHosts(),
    });
    opened.push(fs);
    const err = await failure(() => put(fs, 'readonly/nope.txt', 'x'));
    expect(err.kind).toBe('permission');
    expect(err.path).toBe('readonly/nope.txt');
    expect(err.message).toContain(`${server.readonlyDir}/nope.txt`);
    expect((await failure(() => fs.mkdir('readonly/sub'))).kind).toBe('permission');
  });

  it('takes a root relative to the login folder, as sftp://user@host/~/folder means', async () => {
    const name = basename(root);
    await put(connect(), 'relative-root.txt', 'found');
    const viaLogin = connect({ root: name });
    expect(viaLogin.description).toMatch(new RegExp(`/~/${name}$`));
    expect((await get(viaLogin, 'relative-root.txt')).toString()).toBe('found');
    const atLogin = connect({ root: '' });
    expect((await atLogin.list('')).some((e) => e.name === name && e.kind === 'dir')).toBe(true);
  });

  it('reports missing paths as notFound, and stat as undefined', async () => {
    const fs = connect();
    expect(await fs.stat('no/such/file')).toBeUndefined();
    expect((await failure(() => fs.list('no-such-folder'))).kind).toBe('notFound');
    expect((await failure(() => fs.read('no-such-file.bin'))).kind).toBe('notFound');
    expect((await failure(() => fs.remove('no-such-file.bin'))).kind).toBe('notFound');
    const err = await failure(() => put(fs, 'no-such-folder/x.txt', 'x'));
    expect(err.kind).toBe('notFound');
    expect(err.message).toContain(`${root}/no-such-folder/x.txt`);
  });

  it('refuses paths that would leave its root', async () => {
    const fs = connect();
    expect((await failure(() => fs.stat('../outside'))).kind).toBe('unsafeName');
    expect((await failure(() => put(fs, 'a/../../escape.txt', 'x'))).kind).toBe('unsafeName');
    expect((await failure(() => fs.rename('x', '../../y'))).kind).toBe('unsafeName');
    expect((await failure(() => fs.list('bad\nname'))).kind).toBe('unsafeName');
  });

  it('lists a folder of 10,000 entries completely', async () => {
    const dir = await localDir('many');
    for (let i = 0; i < 10_000; i += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, j) => writeFile(join(dir, `f${String(i + j).padStart(5, '0')}.dat`), String(i + j))),
      );
    }
    const fs = connect();
    const entries = await fs.list('many');
    expect(entries.length).toBe(10_000);
    expect(new Set(entries.map((e) => e.name)).size).toBe(10_000);
    expect(entries.find((e) => e.name === 'f09999.dat')).toMatchObject({ kind: 'file', size: 4, path: 'many/f09999.dat' });
  });

  it('describes the server for connection test', async () => {
    const report = await connect().report();
    expect(report.connector).toBe('sftp');
    expect(report.banner).toMatch(/OpenSSH/);
    expect(report.features).toContain('posix-rename@openssh.com');
    expect(report.security).toContain(server.hostKeyFingerprint);
    expect(report.capabilities).toMatchObject({ rename: true, resume: true, hashes: [], mtimePrecisionMs: 1000 });
  });
});

describe('SFTP concurrency and cancellation', () => {
  it('never opens more connections than maxConnections', async () => {
    const fs = connect({ maxConnections: 2, requestsPerConnection: 3 });
    expect(fs.capabilities.maxConcurrency).toBe(6);
    await fs.mkdir('burst');
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await connectionsToServer());
        await delay(10);
      }
    })();
    await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        await put(fs, `burst/f${i}.txt`, randomBytesOf(50_000 + i, `burst${i}`));
        expect((await get(fs, `burst/f${i}.txt`)).length).toBe(50_000 + i);
      }),
    );
    sampling = false;
    await sampler;
    peak = Math.max(peak, await connectionsToServer());
    expect(peak).toBe(2);
    await fs.close();
    for (let i = 0; i < 50 && (await connectionsToServer()) > 0; i++) await delay(20);
    expect(await connectionsToServer()).toBe(0);
  });

  it('holds a connection slot per open read stream until it is destroyed', async () => {
    const fs = connect({ maxConnections: 1, requestsPerConnection: 2 });
    await put(fs, 'slot.bin', randomBytesOf(1_000_000, 'slot'));
    const first = await fs.read('slot.bin');
    const second = await fs.read('slot.bin');
    let third: Readable | undefined;
    const pending = fs.read('slot.bin').then((s) => (third = s));
    await delay(200);
    expect(third).toBeUndefined();
    first.destroy();
    await pending;
    expect(third).toBeDefined();
    second.destroy();
    expect((await readAll(third as Readable)).length).toBe(1_000_000);
  });

  it('stops an upload promptly when cancelled, and the connection stays usable', async () => {
    const fs = connect({ maxConnections: 1 });
    const abort = new AbortController();
    let sent = 0;
    let readsAfterAbort = 0;
    const endless = new Readable({
      read() {
        if (abort.signal.aborted) readsAfterAbort++;
        sent += 65_536;
        if (sent > 4 * 1024 * 1024) abort.abort();
        this.push(Buffer.alloc(65_536, 7));
      },
    });
    const err = await failure(() => fs.write('cancelled.bin', endless, { signal: abort.signal }));
    expect(err.kind).toBe('cancelled');
    // The endless source is dropped at the abort instead of being read on.
    expect(endless.destroyed).toBe(true);
    expect(readsAfterAbort).toBe(0);
    expect(await fs.list('')).toBeDefined();
  });

  it('stops a download promptly when cancelled', async () => {
    const fs = connect({ maxConnections: 1, requestsPerConnection: 1 });
    await fs.write('cancel-read.bin', Readable.from([randomBytesOf(20 * 1024 * 1024, 'cancel-read')]));
    const abort = new AbortController();
    const stream = await fs.read('cancel-read.bin', { signal: abort.signal });
    let received = 0;
    const err = await failure(async () => {
      for await (const chunk of stream) {
        received += (chunk as Buffer).length;
        if (received > 1024 * 1024) abort.abort();
      }
    });
    expect(err.kind).toBe('cancelled');
    expect(received).toBeLessThan(4 * 1024 * 1024);
    // The single slot is free again once the handle is closed.
    expect((await fs.stat('cancel-read.bin'))?.size).toBe(20 * 1024 * 1024);
  });

  it('cancels while waiting for a connection slot', async () => {
    const fs = connect({ maxConnections: 1, requestsPerConnection: 1 });
    await put(fs, 'wait.txt', 'x');
    const holder = await fs.read('wait.txt');
    const abort = new AbortController();
    const waiting = failure(() => fs.read('wait.txt', { signal: abort.signal }));
    await delay(50);
    abort.abort();
    expect((await waiting).kind).toBe('cancelled');
    holder.destroy();
  });
});

/**
 * An in-process SFTP server that misbehaves on purpose; the real sshd cannot be made to stall or cut a
 * connection at a chosen byte. Any user and password are accepted.
 */
interface FaultServer {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: () => number;
  close(): Promise<void>;
}

interface FaultBehaviour {
  readonly stallReads?: boolean;
  readonly cutAfterBytes?: number;
  /** When given, the server's only files, by absolute path: STAT, REMOVE and RENAME work on this set. */
  readonly files?: Set<string>;
  /** Private host keys the server offers, in its order of preference; one fresh ed25519 key when absent. */
  readonly hostKeys?: ReadonlyArray<string>;
}

async function startFaultServer(behaviour: FaultBehaviour): Promise<FaultServer> {
  const { STATUS_CODE } = ssh2.utils.sftp;
  const hostKeys = behaviour.hostKeys ?? [ssh2.utils.generateKeyPairSync('ed25519').private];
  let accepted = 0;
  const server = new ssh2.Server({ hostKeys: [...hostKeys] }, (client) => {
    accepted++;
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => ctx.accept());
    client.on('session', (acceptSession) => {
      acceptSession().on('sftp', (acceptSftp) => {
        const sftp = acceptSftp();
        let written = 0;
        const fileAttrs = { mode: 0o100644, size: 1_000_000, uid: 0, gid: 0, atime: 0, mtime: 0 };
        sftp.on('OPEN', (id) => sftp.handle(id, Buffer.from('h')));
        sftp.on('CLOSE', (id) => sftp.status(id, STATUS_CODE.OK));
        const files = behaviour.files;
        sftp.on('STAT', (id, path: string) => {
          if (files === undefined || files.has(path)) sftp.attrs(id, fileAttrs);
          else sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
        });
        sftp.on('REMOVE', (id, path: string) => {
          sftp.status(id, files?.delete(path) === true ? STATUS_CODE.OK : STATUS_CODE.NO_SUCH_FILE);
        });
        // Plain SFTP v3 rename, as servers without posix-rename@openssh.com do it: an existing target fails.
        sftp.on('RENAME', (id, from: string, to: string) => {
          if (files === undefined || !files.has(from)) sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
          else if (files.has(to)) sftp.status(id, STATUS_CODE.FAILURE);
          else {
            files.delete(from);
            files.add(to);
            sftp.status(id, STATUS_CODE.OK);
          }
        });
        sftp.on('FSTAT', (id) => sftp.attrs(id, fileAttrs));
        sftp.on('READ', (id, _handle, offset: number, len: number) => {
          if (behaviour.stallReads === true) return;
          const n = Math.max(0, Math.min(len, fileAttrs.size - offset));
          if (n === 0) sftp.status(id, STATUS_CODE.EOF);
          else sftp.data(id, Buffer.alloc(n, 1));
        });
        sftp.on('WRITE', (id, _handle, _offset: number, data: Buffer) => {
          written += data.length;
          if (behaviour.cutAfterBytes !== undefined && written > behaviour.cutAfterBytes) client.end();
          else sftp.status(id, STATUS_CODE.OK);
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    accepted: () => accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('SFTP faults', () => {
  const acceptAll: SftpOptions['hostKeys'] = { verify: () => Promise.resolve(undefined) };

  it('fails a stalled read with timeout, then reconnects for the next operation', async () => {
    const faulty = await startFaultServer({ stallReads: true });
    try {
      const fs = connect({ port: faulty.port, root: '/', hostKeys: acceptAll, timeoutMs: 1_000, maxConnections: 1 });
      const stream = await fs.read('stuck.bin');
      const err = await failure(() => readAll(stream));
      expect(err.kind).toBe('timeout');
      expect(err.retryable).toBe(true);
      expect(err.message).toContain('/stuck.bin');
      // The stall watchdog, set by the configured timeoutMs, is what ended the read.
      expect(err.message).toContain('left requests unanswered for 1 s');
      expect((await fs.stat('other.bin'))?.size).toBe(1_000_000);
      expect(faulty.accepted()).toBe(2);
    } finally {
      // The server only finishes closing once its clients are gone.
      await Promise.all(opened.splice(0).map((fs) => fs.close()));
      await faulty.close();
    }
  });

  it('fails an upload whose connection is cut as a retryable network error', async () => {
    const faulty = await startFaultServer({ cutAfterBytes: 1_000_000 });
    try {
      const fs = connect({ port: faulty.port, root: '/', hostKeys: acceptAll, maxConnections: 1 });
      const source = Readable.from([randomBytesOf(5_000_000, 'cut')]);
      const err = await failure(() => fs.write('cut.bin', source));
      expect(err.kind).toBe('network');
      expect(err.retryable).toBe(true);
      expect(err.path).toBe('cut.bin');
      expect(source.destroyed).toBe(true);
      expect((await fs.stat('after.bin'))?.kind).toBe('file');
      expect(faulty.accepted()).toBe(2);
    } finally {
      // The server only finishes closing once its clients are gone.
      await Promise.all(opened.splice(0).map((fs) => fs.close()));
      await faulty.close();
    }
  });

  it('replaces an existing target on servers without posix-rename, by removing it first', async () => {
    const files = new Set(['/in/from.txt', '/in/to.txt']);
    const faulty = await startFaultServer({ files });
    try {
      const fs = connect({ port: faulty.port, root: '/in', hostKeys: acceptAll });
      await fs.rename('from.txt', 'to.txt');
      expect([...files]).toEqual(['/in/to.txt']);
      expect((await failure(() => fs.rename('from.txt', 'to.txt'))).kind).toBe('notFound');
    } finally {
      await Promise.all(opened.splice(0).map((fs) => fs.close()));
      await faulty.close();
    }
  });

  it('asks a server holding several host keys for the type already trusted', async () => {
    const ed25519 = ssh2.utils.generateKeyPairSync('ed25519');
    const rsa = ssh2.utils.generateKeyPairSync('rsa', { bits: 2048 });
    const faulty = await startFaultServer({ hostKeys: [ed25519.private, rsa.private] });
    try {
      const path = join(scratch, 'multi_key_known_hosts');
      const knownHosts = new KnownHosts({ path, policy: 'strict' });
      await knownHosts.record(server.host, faulty.port, rsa.public);
      const fs = connect({ port: faulty.port, root: '/', hostKeys: knownHosts });
      expect((await fs.report()).security).toContain(fingerprintSha256(parsePublicKeyLine(rsa.public)));
      // Knowing the ed25519 key as well changes nothing: either trusted key is accepted.
      await knownHosts.record(server.host, faulty.port, ed25519.public);
      expect((await connect({ port: faulty.port, root: '/', hostKeys: knownHosts }).stat('x'))?.kind).toBe('file');
    } finally {
      await Promise.all(opened.splice(0).map((fs) => fs.close()));
      await faulty.close();
    }
  });

  it('gives up on a server that never completes the handshake, as timeout', async () => {
    const silent: NetServer = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    try {
      if (address === null || typeof address === 'string') throw new Error('no port');
      const fs = connect({ port: address.port, timeoutMs: 500 });
      const err = await failure(() => fs.list(''));
      expect(err.kind).toBe('timeout');
    } finally {
      silent.close();
    }
  });

  it('reports a refused connection as a retryable network error', async () => {
    const probe: NetServer = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    if (address === null || typeof address === 'string') throw new Error('no port');
    const err = await failure(() => connect({ port: address.port }).list(''));
    expect(err.kind).toBe('network');
    expect(err.retryable).toBe(true);
    expect(err.message).toContain(`${server.user}@${server.host}:${address.port}`);
  });
});
