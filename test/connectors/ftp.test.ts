import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { Readable } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { FTPContext, FTPError } from 'basic-ftp';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { TransferError } from '../../src/connectors/errors.js';
import { FtpFs, type FtpOptions } from '../../src/connectors/ftp/FtpFs.js';
import type { RemoteEntry } from '../../src/connectors/types.js';
import { parseListing, toListedName } from '../../src/connectors/ftp/listing.js';
import { mapFtpError, TOO_MANY_CONNECTIONS_BACKOFF_MS } from '../../src/connectors/ftp/mapFtpError.js';
import { parseEpsvPort, parsePasvPort } from '../../src/connectors/ftp/passiveMode.js';
import { unsafeNameReason } from '../../src/connectors/paths.js';
import { caTrustFromPem, parseFingerprint, type TlsTrust } from '../../src/security/tlsTrust.js';
import { randomBytesOf, readAll } from '../helpers/data.js';
import type { FtpServerId, FtpServerInfo } from '../helpers/servers/index.js';
import { failure } from '../helpers/failure.js';

const servers = inject('servers').ftp;
const run = promisify(execFile);
const MB = 1024 * 1024;

const opened: FtpFs[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((fs) => fs.close()));
});

/** A connector for one test server, closed after each test. */
function openFtp(info: FtpServerInfo, root: string, trust: TlsTrust, over: Partial<FtpOptions>): FtpFs {
  const fs = new FtpFs({
    host: info.host,
    port: info.port,
    username: info.user,
    password: info.password,
    root,
    security: info.secure,
    trust,
    timeoutMs: 15_000,
    ...over,
  });
  opened.push(fs);
  return fs;
}

async function caTrust(info: FtpServerInfo): Promise<TlsTrust> {
  if (info.caFile === undefined) return { kind: 'system' };
  return caTrustFromPem(await readFile(info.caFile, 'utf8'), info.caFile);
}

/** A fresh folder in the server user's area, owned by that user; returns its remote path. */
async function makeTestRoot(info: FtpServerInfo, label: string): Promise<{ remote: string; local: string; owner: { uid: number; gid: number } }> {
  const home = await stat(info.home);
  const owner = { uid: home.uid, gid: home.gid };
  const name = `ftp-test-${label}-${randomBytes(4).toString('hex')}`;
  const local = join(info.home, name);
  await mkdir(local);
  await chown(local, owner.uid, owner.gid);
  return { remote: posix.join(info.loginDir, name), local, owner };
}

function put(fs: FtpFs, path: string, data: Buffer | string, append = false): Promise<void> {
  return fs.write(path, Readable.from([Buffer.from(data)]), append ? { append } : {});
}

async function get(fs: FtpFs, path: string, offset?: number): Promise<Buffer> {
  return readAll(await fs.read(path, offset === undefined ? {} : { offset }));
}

/** Names that break naive clients: each must survive a round-trip byte for byte. */
const AWKWARD = [
  'with space.txt',
  '  leading spaces',
  'café-nfc.txt'.normalize('NFC'),
  'café-nfd.txt'.normalize('NFD'),
  '日本語のファイル.txt',
  'emoji-📦🚢.txt',
  `quote's "double".txt`,
  'hash#and%percent%20.txt',
  '-leading-dash.txt',
  '-l',
  'a -> b.txt',
  'Jan  1 12:00 looks like a date.txt',
  `${'x'.repeat(196)}.txt`,
];

describe.each(['vsftpd-plain', 'vsftpd-explicit', 'vsftpd-implicit', 'pureftpd'] satisfies FtpServerId[])('FtpFs on %s', (id) => {
  const info = servers[id];
  let root: string;
  let local: string;
  let trust: TlsTrust;

  beforeAll(async () => {
    ({ remote: root, local } = await makeTestRoot(info, id));
    trust = await caTrust(info);
  });
  afterAll(async () => {
    await rm(local, { recursive: true, force: true });
  });

  function open(over: Partial<FtpOptions> = {}): FtpFs {
    return openFtp(info, root, trust, over);
  }

  it('logs in, lists the empty root and reports the server', async () => {
    const fs = open();
    expect(fs.kind).toBe('ftp');
    expect(fs.description).toContain(`${info.user}@${info.host}:${info.port}${root}`);
    expect(fs.description).not.toContain(info.password);
    expect(await fs.list('')).toEqual([]);
    const report = await fs.report();
    expect(report.banner).toMatch(/^220/);
    expect(report.features).toEqual(expect.arrayContaining(['SIZE', 'MDTM']));
    if (info.secure === 'none') {
      expect(report.security).toMatch(/plain/);
    } else {
      // TLS 1.3 with vsftpd's require_ssl_reuse works: data connections present the session ticket.
      expect(report.security).toMatch(/TLSv1\.3/);
      expect(report.security).toContain(info.certFingerprint256);
    }
    expect(fs.openConnections).toBe(1);
  });

  it('refuses a wrong password as auth, fatal, without showing it', async () => {
    const e = await failure(() => open({ password: 'wrong-password-123' }).list(''));
    expect(e.kind).toBe('auth');
    expect(e.fatal).toBe(true);
    expect(e.message).toContain('530');
    expect(e.message).not.toContain('wrong-password-123');
  });

  it('round-trips empty, small and multi-megabyte files', async () => {
    const fs = open();
    const big = randomBytesOf(3 * MB + 17, id);
    await put(fs, 'empty.bin', '');
    await put(fs, 'small.txt', 'hello ferry');
    await fs.write('big.bin', Readable.from([big.subarray(0, MB), big.subarray(MB)]));
    expect((await get(fs, 'empty.bin')).length).toBe(0);
    expect((await get(fs, 'small.txt')).toString()).toBe('hello ferry');
    expect((await get(fs, 'big.bin')).equals(big)).toBe(true);
    expect((await readFile(join(local, 'big.bin'))).equals(big)).toBe(true);
    expect(await fs.stat('big.bin')).toMatchObject({ name: 'big.bin', path: 'big.bin', kind: 'file', size: big.length });
    // Replacing must truncate, not overwrite in place.
    await put(fs, 'big.bin', 'short');
    expect((await get(fs, 'big.bin')).toString()).toBe('short');
  });

  it('reads from an offset and appends (resume)', async () => {
    const fs = open();
    expect(fs.capabilities.resume).toBe(true);
    await put(fs, 'resume.txt', '0123456789');
    expect((await get(fs, 'resume.txt', 4)).toString()).toBe('456789');
    expect((await get(fs, 'resume.txt', 10)).toString()).toBe('');
    await put(fs, 'resume.txt', 'abc', true);
    expect((await get(fs, 'resume.txt')).toString()).toBe('0123456789abc');
    await put(fs, 'fresh-append.txt', 'new', true);
    expect((await get(fs, 'fresh-append.txt')).toString()).toBe('new');
  });

  it('renames, replacing an existing target', async () => {
    const fs = open();
    await put(fs, 'part.tmp', 'new content');
    await put(fs, 'final.txt', 'old');
    await fs.rename('part.tmp', 'final.txt');
    expect((await get(fs, 'final.txt')).toString()).toBe('new content');
    expect(await fs.stat('part.tmp')).toBeUndefined();
    expect((await failure(() => fs.rename('absent.tmp', 'x.txt'))).kind).toBe('notFound');
  });

  it('creates folders idempotently with parents, and removes files and empty folders', async () => {
    const fs = open();
    await fs.mkdir('a/b/c');
    await fs.mkdir('a/b/c');
    await fs.mkdir('a/b');
    expect(await fs.stat('a/b/c')).toMatchObject({ kind: 'dir', path: 'a/b/c', name: 'c', size: -1 });
    await put(fs, 'a/b/c/f.txt', 'x');
    const inB = await fs.list('a/b');
    expect(inB).toHaveLength(1);
    expect(inB[0]).toMatchObject({ name: 'c', path: 'a/b/c', kind: 'dir', size: -1 });
    expect((await failure(() => fs.rmdir('a/b/c'))).kind).toBe('exists');
    expect((await failure(() => fs.remove('a/b/c'))).kind).toBe('exists');
    await fs.remove('a/b/c/f.txt');
    await fs.rmdir('a/b/c');
    expect(await fs.stat('a/b/c')).toBeUndefined();
    await put(fs, 'plain-file', 'x');
    expect((await failure(() => fs.mkdir('plain-file'))).kind).toBe('exists');
    expect((await failure(() => fs.mkdir('plain-file/sub'))).kind).not.toBe('notFound');
  });

  it('keeps awkward names byte for byte (NFC and NFD, spaces, emoji, quotes, #, %, dashes, 200 chars)', async () => {
    const fs = open();
    // pure-ftpd stores trailing blanks as underscores; vsftpd keeps them.
    const names = id === 'pureftpd' ? AWKWARD : [...AWKWARD, 'trailing spaces  '];
    await fs.mkdir('awkward');
    for (const name of names) await put(fs, `awkward/${name}`, `content of ${name}`);
    await fs.mkdir('awkward/dir with space');
    const listed = await fs.list('awkward');
    expect(listed.map((e) => e.name).sort()).toEqual([...names, 'dir with space'].sort());
    for (const name of names) {
      expect((await get(fs, `awkward/${name}`)).toString()).toBe(`content of ${name}`);
      expect(await fs.stat(`awkward/${name}`)).toMatchObject({ name, kind: 'file', size: Buffer.byteLength(`content of ${name}`) });
    }
    expect(listed.find((e) => e.name === 'dir with space')).toMatchObject({ kind: 'dir', path: 'awkward/dir with space' });
  });

  it('leaves hostile names out of a listing, reports each, and returns the rest', async () => {
    const fs = open();
    const dir = join(local, 'hostile');
    await mkdir(dir);
    const hostile = ['line\nbreak.txt', 'carriage\rreturn.txt', 'back\\slash.txt'];
    for (const name of [...hostile, 'fine.txt']) await writeFile(join(dir, name), 'x');
    const refused: Array<{ name: string; reason: string }> = [];
    const listed = await fs.list('hostile', { onUnsafeName: (name, reason) => refused.push({ name, reason }) });
    expect(listed.map((e) => e.name)).toEqual(['fine.txt']);
    for (const r of refused) expect(unsafeNameReason(r.name)).toBe(r.reason);
    if (id.startsWith('vsftpd')) expect(refused.map((r) => r.name).sort()).toEqual([...hostile].sort());
    else expect(refused.length).toBeGreaterThan(0);
  });

  it('refuses writing into a read-only folder as permission', async () => {
    const fs = open({ root: info.loginDir });
    const readonly = info.readonlyDir.replace(/^\/+/, '');
    const e = await failure(() => put(fs, `${readonly}/denied.txt`, 'x'));
    expect(e.kind).toBe('permission');
    expect(e.message).toContain('denied.txt');
    expect((await failure(() => fs.mkdir(`${readonly}/sub`))).kind).toBe('permission');
    // The connection survives a refusal.
    expect((await fs.stat(readonly))?.kind).toBe('dir');
  });

  it('refuses reading an unreadable file as permission, not notFound', async () => {
    await writeFile(join(local, 'secret.txt'), 'root only', { mode: 0o600 });
    const e = await failure(() => open().read('secret.txt'));
    expect(e.kind).toBe('permission');
    expect(e.message).toContain('secret.txt');
  });

  it('reports missing paths as notFound, and stat as undefined', async () => {
    const fs = open();
    const read = await failure(() => fs.read('missing.txt'));
    expect(read.kind).toBe('notFound');
    expect(read.message).toContain('missing.txt');
    expect(read.message).toContain('550');
    expect((await failure(() => fs.list('missing-dir'))).kind).toBe('notFound');
    expect((await failure(() => fs.remove('missing.txt'))).kind).toBe('notFound');
    expect((await failure(() => fs.rmdir('missing-dir'))).kind).toBe('notFound');
    expect(await fs.stat('missing.txt')).toBeUndefined();
    expect(await fs.stat('missing-dir/deeper.txt')).toBeUndefined();
    expect((await failure(() => fs.read('../outside.txt'))).kind).toBe('unsafeName');
    await fs.mkdir('a-folder');
    expect((await failure(() => fs.read('a-folder'))).kind).toBe('exists');
  });

  it('lists a folder of 10,000 entries', async () => {
    const dir = join(local, 'many');
    await mkdir(dir);
    const names = Array.from({ length: 10_000 }, (_, i) => `file-${String(i).padStart(5, '0')}.dat`);
    for (let i = 0; i < names.length; i += 500) {
      await Promise.all(names.slice(i, i + 500).map((n) => writeFile(join(dir, n), n)));
    }
    const fs = open();
    // Every command the connector sends, as it goes on the wire.
    const sent = vi.spyOn(FTPContext.prototype, 'send');
    let commands: string[] = [];
    let listed: ReadonlyArray<RemoteEntry>;
    try {
      listed = await fs.list('many');
    } catch (e) {
      // pure-ftpd cuts listings at 10,000 matches by default (-L) and says so only in its 226 reply:
      // the connector refuses the partial listing rather than let files look absent.
      expect(id).toBe('pureftpd');
      expect(e).toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/truncated/) as unknown });
      return;
    } finally {
      commands = sent.mock.calls.map(([command]) => command);
      sent.mockRestore();
    }
    expect(listed.length).toBe(10_000);
    expect(new Set(listed.map((e) => e.name))).toEqual(new Set(names));
    expect(listed.every((e) => e.kind === 'file' && e.size === 14 && e.path === `many/${e.name}`)).toBe(true);
    // One listing answers for the whole folder: no command is spent on a single entry.
    expect(commands.filter((c) => /^(MLSD|LIST)\b/.test(c))).toHaveLength(1);
    expect(commands.filter((c) => /file-\d{5}\.dat/.test(c))).toEqual([]);
  });

  it('stats the root, files and folders; folders and links come out as their targets', async () => {
    const fs = open();
    expect(await fs.stat('')).toMatchObject({ path: '', kind: 'dir' });
    await fs.mkdir('st');
    await put(fs, 'st/f.txt', '12345');
    const file = await fs.stat('st/f.txt');
    expect(file).toMatchObject({ kind: 'file', size: 5 });
    expect(Math.abs((file?.modifiedAt ?? 0) - Date.now())).toBeLessThan(120_000);
    await run('ln', ['-s', 'f.txt', join(local, 'st', 'link-to-file')]);
    await run('ln', ['-s', '.', join(local, 'st', 'link-to-dir')]);
    const entries = await fs.list('st');
    expect(entries.find((e) => e.name === 'link-to-file')).toMatchObject({ kind: 'file', size: 5 });
    expect(entries.find((e) => e.name === 'link-to-dir')).toMatchObject({ kind: 'dir' });
  });

  it('sets modification times exactly when the server offers MFMT', async () => {
    const fs = open();
    await put(fs, 'mtime.txt', 'x');
    const mtime = Date.UTC(2021, 5, 15, 12, 30, 45);
    if (id === 'pureftpd') {
      expect(fs.capabilities.mtimePrecisionMs).toBe(1000);
      expect(fs.setModifiedTime).toBeDefined();
      await fs.setModifiedTime?.('mtime.txt', mtime + 400);
      expect((await fs.stat('mtime.txt'))?.modifiedAt).toBe(mtime);
      expect((await stat(join(local, 'mtime.txt'))).mtimeMs).toBe(mtime);
      expect((await fs.list('')).find((e) => e.name === 'mtime.txt')?.modifiedAt).toBe(mtime);
    } else {
      expect(fs.capabilities.mtimePrecisionMs).toBe(0);
      expect(fs.setModifiedTime).toBeUndefined();
    }
  });

  it('cancels a read when the stream is destroyed, and keeps working', async () => {
    const fs = open({ maxConnections: 1 });
    await fs.write('cancel.bin', Readable.from([randomBytesOf(8 * MB, 'cancel')]));
    const stream = await fs.read('cancel.bin');
    await new Promise<void>((resolve) => stream.once('data', () => resolve()));
    stream.destroy();
    // With one connection, this only works if the cut-off client left the pool.
    expect((await get(fs, 'cancel.bin', 8 * MB - 3)).length).toBe(3);
    const controller = new AbortController();
    const aborted = await fs.read('cancel.bin', { signal: controller.signal });
    controller.abort();
    await expect(readAll(aborted)).rejects.toMatchObject({ kind: 'cancelled' });
    expect((await fs.stat('cancel.bin'))?.size).toBe(8 * MB);
  });

  it('fails a download cleanly when the reader errors, without leaking the connection', async () => {
    const fs = open({ maxConnections: 1 });
    await fs.write('reader.bin', Readable.from([randomBytesOf(2 * MB, 'reader')]));
    const stream = await fs.read('reader.bin');
    const seen = new Promise<unknown>((resolve) => stream.once('error', resolve));
    stream.destroy(new Error('disk full on our side'));
    expect(await seen).toMatchObject({ message: 'disk full on our side' });
    expect((await get(fs, 'reader.bin')).length).toBe(2 * MB);
  });
});

describe('FtpFs TLS trust', () => {
  const tlsServers = ['vsftpd-explicit', 'vsftpd-implicit'] satisfies FtpServerId[];

  describe.each(tlsServers)('%s', (id) => {
    const info = servers[id];
    let root: string;
    let local: string;
    beforeAll(async () => {
      ({ remote: root, local } = await makeTestRoot(info, `${id}-tls`));
    });
    afterAll(async () => {
      await rm(local, { recursive: true, force: true });
    });

    function open(trust: TlsTrust, over: Partial<FtpOptions> = {}): FtpFs {
      return openFtp(info, root, trust, over);
    }

    it('refuses a self-signed certificate without CA or pin, showing its fingerprint and subject', async () => {
      const e = await failure(() => open({ kind: 'system' }).list(''));
      expect(e.kind).toBe('certificate');
      expect(e.fatal).toBe(true);
      expect(e.message).toContain(info.certFingerprint256);
      expect(e.message).toContain('CN=127.0.0.1');
      expect(e.message).toContain('--ca <file>');
      expect(e.message).toContain('--tls-fingerprint');
      expect(e.message).not.toContain(info.password);
    });

    it('refuses a wrong pin', async () => {
      const e = await failure(() => open({ kind: 'pin', pins: [parseFingerprint('00'.repeat(32))] }).list(''));
      expect(e.kind).toBe('certificate');
      expect(e.message).toContain('does not match');
    });

    it('accepts the correct pin in any common notation, and transfers data with it', async () => {
      const fp = info.certFingerprint256 ?? '';
      for (const notation of [fp, fp.toLowerCase().replace(/:/g, ''), `sha256 Fingerprint=${fp}`]) {
        const fs = open({ kind: 'pin', pins: [parseFingerprint(notation)] });
        await put(fs, 'pinned.txt', notation);
        expect((await get(fs, 'pinned.txt')).toString()).toBe(notation);
      }
    });

    it('accepts the server with its CA file', async () => {
      const fs = open(await caTrust(info));
      expect(await fs.stat('')).toMatchObject({ kind: 'dir' });
    });

    it('refuses the CA file when the host name does not match the certificate', async () => {
      // The certificate names 127.0.0.1 and localhost; the same server reached as 127.0.0.2 must fail.
      const proxy = await startCountingProxy(info.port, '127.0.0.2');
      try {
        const trust = await caTrust(info);
        const e = await failure(() => open(trust, { host: '127.0.0.2', port: proxy.port }).list(''));
        expect(e.kind).toBe('certificate');
        expect(e.message).toContain('not issued for 127.0.0.2');
      } finally {
        await proxy.close();
      }
    });

    it('moves many files over parallel data connections that reuse the TLS session (require_ssl_reuse)', async () => {
      const fs = open(await caTrust(info), { maxConnections: 4 });
      const files = Array.from({ length: 40 }, (_, i) => `reuse-${i}.bin`);
      await Promise.all(files.map((f, i) => put(fs, f, randomBytesOf(1000 + i * 997, f))));
      const listed = await fs.list('');
      expect(listed.filter((e) => e.name.startsWith('reuse-')).length).toBe(40);
      const back = await Promise.all(files.map((f) => get(fs, f)));
      back.forEach((b, i) => expect(b.equals(randomBytesOf(1000 + i * 997, files[i]))).toBe(true));
      expect(fs.openConnections).toBe(4);
    });
  });

  it('checks the certificate before the password is sent', async () => {
    const server = await startFakeTlsFtpServer();
    try {
      const fs = new FtpFs({
        host: '127.0.0.1',
        port: server.port,
        username: 'someone',
        password: 'never-sent-secret',
        root: '/',
        security: 'explicit',
        trust: { kind: 'pin', pins: [parseFingerprint('00'.repeat(32))] },
        timeoutMs: 5_000,
      });
      opened.push(fs);
      expect((await failure(() => fs.list(''))).kind).toBe('certificate');
      await server.handshakeSeen;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(server.commandsAfterTls.join('\n')).not.toMatch(/USER|PASS/);
    } finally {
      await server.close();
    }
  });

  it('never falls back to plain FTP when the server refuses AUTH TLS', async () => {
    const info = servers['vsftpd-plain'];
    const fs = new FtpFs({
      host: info.host,
      port: info.port,
      username: info.user,
      password: info.password,
      root: '/',
      security: 'explicit',
      trust: { kind: 'system' },
      timeoutMs: 5_000,
    });
    opened.push(fs);
    const e = await failure(() => fs.list(''));
    expect(e.kind).toBe('config');
    expect(e.fatal).toBe(true);
    expect(e.message).toMatch(/refused AUTH TLS/);
  });

  it('explains a security mismatch: implicit TLS against a plain server, plain against a TLS-only one', async () => {
    const plain = servers['vsftpd-plain'];
    const explicit = servers['vsftpd-explicit'];
    const base = { username: plain.user, password: plain.password, root: '/', trust: { kind: 'system' } as const, timeoutMs: 3_000 };
    const implicitOnPlain = new FtpFs({ ...base, host: plain.host, port: plain.port, security: 'implicit' });
    const plainOnExplicit = new FtpFs({ ...base, host: explicit.host, port: explicit.port, security: 'none' });
    opened.push(implicitOnPlain, plainOnExplicit);
    expect((await failure(() => implicitOnPlain.list(''))).kind).toBe('config');
    const e = await failure(() => plainOnExplicit.list(''));
    expect(e.kind).toBe('auth');
    expect(e.message).toMatch(/requires FTPS/);
  });
});

describe('FtpFs quota and connection budget', () => {
  it('maps a quota refusal on pure-ftpd to quota', async () => {
    const info = servers['pureftpd-quota'];
    const { remote, local } = await makeTestRoot(info, 'quota');
    try {
      const fs = new FtpFs({
        host: info.host,
        port: info.port,
        username: info.user,
        password: info.password,
        root: remote,
        security: info.secure,
        trust: await caTrust(info),
        timeoutMs: 15_000,
      });
      opened.push(fs);
      await put(fs, 'small.txt', 'fits');
      const big = Readable.from([randomBytesOf(4 * MB, 'quota')]);
      const e = await failure(() => fs.write('too-big.bin', big));
      expect(e.kind).toBe('quota');
      expect(e.message).toContain('too-big.bin');
      expect(big.destroyed).toBe(true);
      expect((await get(fs, 'small.txt')).toString()).toBe('fits');
    } finally {
      await rm(local, { recursive: true, force: true });
    }
  });

  it('never opens more connections than maxConnections', async () => {
    const info = servers['vsftpd-plain'];
    const { remote, local } = await makeTestRoot(info, 'budget');
    const proxy = await startCountingProxy(info.port);
    try {
      const fs = new FtpFs({
        host: '127.0.0.1',
        port: proxy.port,
        username: info.user,
        password: info.password,
        root: remote,
        security: 'none',
        trust: { kind: 'system' },
        maxConnections: 2,
      });
      opened.push(fs);
      expect(fs.capabilities.maxConcurrency).toBe(2);
      await Promise.all(Array.from({ length: 12 }, (_, i) => put(fs, `f${i}.txt`, `file ${i}`)));
      const contents = await Promise.all(Array.from({ length: 12 }, (_, i) => get(fs, `f${i}.txt`)));
      expect(contents.map(String)).toEqual(Array.from({ length: 12 }, (_, i) => `file ${i}`));
      await Promise.all(Array.from({ length: 12 }, (_, i) => fs.stat(`f${i}.txt`)));
      expect(proxy.peak()).toBe(2);
      expect(fs.openConnections).toBe(2);
    } finally {
      await proxy.close();
      await rm(local, { recursive: true, force: true });
    }
  });
});

describe('FtpFs against a scripted server', () => {
  const unixLine = (name: string): string => `-rw-r--r--    1 1000     1000            5 Nov 21 06:20 ${name}`;

  it('refuses hostile names one by one and keeps the rest of the listing', async () => {
    const listing = ['../../etc/passwd', 'a/b', 'ok.txt', 'dots..fine', '..'].map(unixLine).join('\r\n') + '\r\n';
    const server = await startScriptedFtpServer(listing, '226 Transfer complete');
    try {
      const fs = new FtpFs({ host: '127.0.0.1', port: server.port, username: 'u', password: 'p', root: '/', security: 'none', trust: { kind: 'system' } });
      opened.push(fs);
      const refused: string[] = [];
      const listed = await fs.list('', { onUnsafeName: (name) => refused.push(name) });
      expect(listed.map((e) => e.path)).toEqual(['ok.txt', 'dots..fine']);
      expect(refused).toEqual(['../../etc/passwd', 'a/b']);
    } finally {
      await server.close();
    }
  });

  it('refuses a listing the server says it truncated', async () => {
    const server = await startScriptedFtpServer(`${unixLine('a.txt')}\r\n`, '226 Output truncated to 10000 matches');
    try {
      const fs = new FtpFs({ host: '127.0.0.1', port: server.port, username: 'u', password: 'p', root: '/', security: 'none', trust: { kind: 'system' } });
      opened.push(fs);
      const e = await failure(() => fs.list(''));
      expect(e.kind).toBe('unsupported');
      expect(e.message).toContain('Output truncated to 10000 matches');
    } finally {
      await server.close();
    }
  });
});

describe('FTP listing parser', () => {
  const unix = (name: string, type = '-'): string => `${type}rw-r--r--    1 1000     1000            5 Nov 21 06:20 ${name}`;

  it('keeps a name with a lone CR or LF whole in a CRLF listing, so that it is refused', () => {
    const raw = [unix('.', 'd'), unix('..', 'd'), unix('nl\nname'), unix('cr\rname'), unix('fine.txt'), ''].join('\r\n');
    const names = parseListing(raw).map((i) => toListedName(i).name);
    expect(names).toEqual(['nl\nname', 'cr\rname', 'fine.txt']);
    expect(unsafeNameReason('nl\nname')).toMatch(/line break/);
  });

  it('joins an unparseable continuation line to the previous name in an LF-only listing', () => {
    const raw = ['total 3', unix('evil'), 'name.txt', unix('ok.txt')].join('\n');
    expect(parseListing(raw).map((i) => i.name)).toEqual(['evil\nname.txt', 'ok.txt']);
  });

  it('returns names with separators as the server sent them, for the caller to refuse', () => {
    const raw = [unix('../../etc/passwd'), unix('a/b'), 'type=file;size=3; ..\\x', ''].join('\r\n');
    const names = parseListing(raw).map((i) => i.name);
    expect(names).toContain('../../etc/passwd');
    expect(names.every((n) => unsafeNameReason(n) !== undefined)).toBe(true);
  });

  it('reads MLSD facts, skipping cdir and pdir', () => {
    const raw = [
      'type=cdir;modify=20240102030405; .',
      'type=pdir;modify=20240102030405; ..',
      'type=file;size=42;modify=20240102030405.250; name; with semicolon.txt',
      'type=dir;sizd=4096;modify=20240102030405; sub dir',
      '',
    ].join('\r\n');
    expect(parseListing(raw).map(toListedName)).toEqual([
      { name: 'name; with semicolon.txt', type: 'file', size: 42, modifiedAt: Date.UTC(2024, 0, 2, 3, 4, 5, 250) },
      { name: 'sub dir', type: 'dir', size: 4096, modifiedAt: Date.UTC(2024, 0, 2, 3, 4, 5) },
    ]);
  });
});

describe('FTP passive replies', () => {
  it('parses EPSV and PASV ports and refuses garbage', () => {
    expect(parseEpsvPort('229 Entering Extended Passive Mode (|||6446|)')).toBe(6446);
    expect(parseEpsvPort('229 Entering Extended Passive Mode (!!!1234!)')).toBe(1234);
    expect(parsePasvPort('227 Entering Passive Mode (10,0,0,7,117,49).')).toBe(117 * 256 + 49);
    expect(() => parseEpsvPort('229 nothing here')).toThrow();
    expect(() => parsePasvPort('227 (1,2,3)')).toThrow();
  });
});

describe('mapFtpError', () => {
  const ctx = { server: 'ftp.example.com:21', secrets: ['s3cret-pass'] } as const;
  const reply = (code: number, text: string): FTPError => new FTPError({ code, message: `${code} ${text}` });
  const map = (e: unknown, op: Parameters<typeof mapFtpError>[1]['op'], extra: object = {}): TransferError =>
    mapFtpError(e, { ...ctx, op, path: 'in/report.csv', ...extra });

  it.each([
    [530, 'Login incorrect.', 'login', 'auth', false],
    [530, 'Sorry, the maximum number of clients (5) for this user are already connected.', 'login', 'rateLimited', true],
    [421, 'There are too many connections from your internet address.', 'connect', 'rateLimited', true],
    [421, 'Timeout.', 'list', 'network', true],
    [425, "Can't open data connection.", 'read', 'network', true],
    [426, 'Failure writing network stream.', 'read', 'network', true],
    [452, 'Insufficient storage space.', 'write', 'quota', false],
    [552, 'Quota exceeded: [/big.bin] won\'t be saved', 'write', 'quota', false],
    [451, 'Disk full or quota exceeded', 'write', 'quota', false],
    [451, 'Local error in processing.', 'write', 'protocol', true],
    [550, 'Failed to open file.', 'read', 'notFound', false],
    [550, "Can't open x: No such file or directory", 'write', 'notFound', false],
    [550, 'Permission denied.', 'read', 'permission', false],
    [550, 'Create directory operation failed.', 'mkdir', 'permission', false],
    [553, 'Could not create file.', 'write', 'permission', false],
    [500, 'Unknown command.', 'command', 'unsupported', false],
    [501, 'Syntax error.', 'command', 'protocol', false],
  ] as const)('%i %s during %s → %s', (code, text, op, kind, retryable) => {
    const e = map(reply(code, text), op);
    expect(e.kind).toBe(kind);
    expect(e.retryable).toBe(retryable);
    expect(e.message).toContain(`${code} ${text}`);
  });

  it('names the path, backs off after "too many connections" and settles ambiguous 550s by probing', () => {
    const tooMany = map(reply(421, 'Too many connections (8) from this IP'), 'read');
    expect(tooMany.retryAfterMs).toBe(TOO_MANY_CONNECTIONS_BACKOFF_MS);
    expect(tooMany.message).toContain('"in/report.csv"');
    expect(tooMany.path).toBe('in/report.csv');
    expect(map(reply(550, 'Failed to open file.'), 'read', { exists: true }).kind).toBe('permission');
    expect(map(reply(550, 'Delete operation failed.'), 'remove', { exists: false }).kind).toBe('notFound');
    expect(map(reply(530, 'Login incorrect.'), 'login').fatal).toBe(true);
  });

  it('maps socket failures, timeouts and cancellation', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(map(reset, 'read')).toMatchObject({ kind: 'network', retryable: true });
    expect(map(new Error('Timeout (control socket)'), 'list')).toMatchObject({ kind: 'timeout', retryable: true });
    expect(map(new Error('Server sent FIN packet unexpectedly, closing connection.'), 'list').kind).toBe('network');
    expect(map(new Error('User closed client during task'), 'read', { cancelled: true }).kind).toBe('cancelled');
    expect(map(Object.assign(new Error('getaddrinfo ENOTFOUND nowhere'), { code: 'ENOTFOUND' }), 'connect').kind).toBe('config');
    const own = new TransferError('certificate', 'pinned');
    expect(map(own, 'read')).toBe(own);
  });

  it('never shows the password, even when a server echoes it', () => {
    const e = map(reply(530, 'User x with password s3cret-pass cannot log in.'), 'login');
    expect(e.message).not.toContain('s3cret-pass');
    expect(e.message).toContain('***');
  });
});

// -------------------------------------------------------------------------------------------------
// Test doubles on the network level

/** A TCP relay that counts concurrent connections: the server-side view of a connection budget. */
async function startCountingProxy(
  targetPort: number,
  listenHost = '127.0.0.1',
): Promise<{ port: number; peak: () => number; close: () => Promise<void> }> {
  let current = 0;
  let peak = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    current++;
    peak = Math.max(peak, current);
    const upstream = netConnect({ host: '127.0.0.1', port: targetPort });
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    let counted = true;
    const done = (): void => {
      if (counted) current--;
      counted = false;
      client.destroy();
      upstream.destroy();
    };
    client.on('close', done).on('error', done);
    upstream.on('close', done).on('error', done);
  });
  await new Promise<void>((resolve) => server.listen(0, listenHost, resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    peak: () => peak,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Just enough of a plain FTP server to serve one scripted listing of '/'. */
async function startScriptedFtpServer(listing: string, closing: string): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((control) => {
    sockets.add(control);
    let data: Server | undefined;
    let dataSocket: Promise<Socket> | undefined;
    const reply = (line: string): boolean => control.write(`${line}\r\n`);
    reply('220 scripted');
    let buffer = '';
    control.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let eol: number;
      while ((eol = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.split(' ')[0]?.toUpperCase();
        if (verb === 'USER') reply('331 password please');
        else if (verb === 'PASS') reply('230 in');
        else if (verb === 'FEAT') reply('211 no features');
        else if (verb === 'PWD') reply('257 "/" is here');
        else if (verb === 'TYPE' || verb === 'OPTS') reply('200 ok');
        else if (verb === 'CWD') reply('250 ok');
        else if (verb === 'EPSV') {
          data = createServer((s) => sockets.add(s));
          dataSocket = new Promise((resolve) => data?.once('connection', resolve));
          data.listen(0, '127.0.0.1', () => {
            const a = data?.address();
            reply(`229 Entering Extended Passive Mode (|||${a !== null && typeof a === 'object' ? a.port : 0}|)`);
          });
        } else if (verb === 'LIST') {
          reply('150 here it comes');
          void dataSocket?.then((s) => {
            s.end(listing, () => {
              reply(closing);
              data?.close();
            });
          });
        } else if (verb === 'QUIT') control.end('221 bye\r\n');
        else reply('502 not here');
      }
    });
    control.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Just enough of an FTPS server to see what a client sends after AUTH TLS: it upgrades with a fresh
 * self-signed certificate and records every command that arrives encrypted.
 */
async function startFakeTlsFtpServer(): Promise<{
  port: number;
  commandsAfterTls: string[];
  handshakeSeen: Promise<void>;
  close: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-fake-ftps-'));
  await run('/usr/bin/openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=fake', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'),
  ]);
  const [key, cert] = await Promise.all([readFile(join(dir, 'k.pem')), readFile(join(dir, 'c.pem'))]);
  const commandsAfterTls: string[] = [];
  let markSeen: () => void = () => undefined;
  const handshakeSeen = new Promise<void>((resolve) => {
    markSeen = resolve;
  });
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.write('220 fake\r\n');
    socket.once('data', (chunk) => {
      if (!chunk.toString().startsWith('AUTH TLS')) {
        socket.end('500 no\r\n');
        return;
      }
      socket.write('234 go ahead\r\n', () => {
        const secure = new TLSSocket(socket, { isServer: true, key, cert });
        sockets.add(secure);
        secure.on('secure', () => markSeen());
        secure.on('data', (d: Buffer) => {
          commandsAfterTls.push(d.toString());
          secure.write('331 go on\r\n');
        });
        secure.on('error', () => undefined);
      });
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    commandsAfterTls,
    handshakeSeen,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
