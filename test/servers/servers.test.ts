import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { Client, FTPError, type AccessOptions } from 'basic-ftp';
import SftpClient from 'ssh2-sftp-client';
import { describe, expect, inject, it } from 'vitest';
import type { FtpServerId, FtpServerInfo, SftpServerInfo } from '../helpers/servers/index.js';

const servers = inject('servers');

function accessOptions(info: FtpServerInfo): AccessOptions {
  const base = { host: info.host, port: info.port, user: info.user, password: info.password };
  if (info.secure === 'none') {
    return { ...base, secure: false };
  }
  if (!info.caFile) {
    throw new Error(`${info.id} uses TLS but has no caFile`);
  }
  return {
    ...base,
    secure: info.secure === 'implicit' ? 'implicit' : true,
    secureOptions: { ca: readFileSync(info.caFile) },
  };
}

async function withFtp<T>(info: FtpServerInfo, body: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client(15_000);
  try {
    await client.access(accessOptions(info));
    return await body(client);
  } finally {
    client.close();
  }
}

async function download(client: Client, remotePath: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  await client.downloadTo(sink, remotePath);
  return Buffer.concat(chunks);
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function ftpErrorCode(action: Promise<unknown>): Promise<number> {
  try {
    await action;
  } catch (error) {
    if (error instanceof FTPError) {
      return error.code;
    }
    throw error;
  }
  throw new Error('expected the server to refuse');
}

const ftpIds = Object.keys(servers.ftp) as FtpServerId[];

describe.each(ftpIds)('FTP server %s', (id) => {
  const info = servers.ftp[id];

  it('logs in and round-trips a file through a fresh folder', async () => {
    const payload = randomBytes(300 * 1024);
    const folder = `servers-${randomUUID()}`;
    await withFtp(info, async (client) => {
      if (info.secure !== 'none') {
        // The certificate the client verified is the one the harness advertises.
        const socket = client.ftp.socket;
        expect(socket).toBeInstanceOf(TLSSocket);
        expect((socket as TLSSocket).getPeerCertificate().fingerprint256).toBe(info.certFingerprint256);
      }
      expect(await client.pwd()).toBe(info.loginDir);
      await client.ensureDir(folder);
      await client.uploadFrom(Readable.from([payload]), 'data.bin');
      const listing = await client.list();
      expect(listing.find((e) => e.name === 'data.bin')?.size).toBe(payload.length);
      const back = await download(client, 'data.bin');
      expect(sha256(back)).toBe(sha256(payload));
      // A second data connection in the same session: TLS session reuse must hold more than once.
      const again = await download(client, 'data.bin');
      expect(again.length).toBe(payload.length);
      await client.remove('data.bin');
      await client.cd(info.loginDir);
      await client.removeDir(folder);
    });
    // The server's '/' is the advertised home folder on disk.
    await expect(readFile(`${info.home}/${folder}/data.bin`)).rejects.toThrow(/ENOENT/);
  });

  it('refuses writes in the read-only folder', async () => {
    await withFtp(info, async (client) => {
      const code = await ftpErrorCode(client.uploadFrom(Readable.from([Buffer.from('x')]), `${info.readonlyDir}/x.txt`));
      expect([550, 553]).toContain(code);
    });
  });
});

describe('pure-ftpd optional TLS', () => {
  it('upgrades to explicit FTPS on request with the advertised certificate', async () => {
    const info = servers.ftp.pureftpd;
    const payload = randomBytes(64 * 1024);
    const name = `tls-${randomUUID()}.bin`;
    await withFtp({ ...info, secure: 'explicit' }, async (client) => {
      expect((client.ftp.socket as TLSSocket).getPeerCertificate().fingerprint256).toBe(info.certFingerprint256);
      await client.uploadFrom(Readable.from([payload]), name);
      expect(sha256(await download(client, name))).toBe(sha256(payload));
      await client.remove(name);
    });
  });
});

describe('pure-ftpd virtual quota', () => {
  const quota = servers.ftp['pureftpd-quota'];
  const plain = servers.ftp.pureftpd;

  it('advertises a quota only for the quota user', () => {
    expect(quota.quotaBytes).toBe(1024 * 1024);
    expect(plain.quotaBytes).toBeUndefined();
  });

  it('refuses an upload one byte past the quota with 552 and keeps nothing of it', async () => {
    const payload = randomBytes((quota.quotaBytes ?? 0) + 1);
    const name = `over-quota-${randomUUID()}.bin`;
    await withFtp(quota, async (client) => {
      expect(await ftpErrorCode(client.uploadFrom(Readable.from([payload]), name))).toBe(552);
      // The control connection survives a clean refusal.
      const listing = await client.list();
      expect(listing.some((e) => e.name === name)).toBe(false);
    });
  });

  it('cuts the data connection when an upload overshoots the quota by far', async () => {
    // pure-ftpd stops reading and closes the data socket once the quota is exceeded; with megabytes
    // still in flight the client sees a reset before the 552 reply arrives, and basic-ftp then
    // closes the whole client. Connectors must treat both outcomes as a refusal.
    const payload = randomBytes(4 * (quota.quotaBytes ?? 0));
    const name = `far-over-quota-${randomUUID()}.bin`;
    const client = new Client(15_000);
    try {
      await client.access(accessOptions(quota));
      const error: unknown = await client.uploadFrom(Readable.from([payload]), name).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      const code = (error as { code?: unknown }).code;
      expect([552, 'ECONNRESET', 'EPIPE']).toContain(code);
    } finally {
      client.close();
    }
    await withFtp(quota, async (fresh) => {
      expect((await fresh.list()).some((e) => e.name === name)).toBe(false);
    });
  });

  it('accepts the same upload for the user without quota', async () => {
    const payload = randomBytes(2 * (quota.quotaBytes ?? 0));
    const name = `no-quota-${randomUUID()}.bin`;
    await withFtp(plain, async (client) => {
      await client.uploadFrom(Readable.from([payload]), name);
      expect(await client.size(name)).toBe(payload.length);
      await client.remove(name);
    });
  });
});

describe('sftp server', () => {
  const info: SftpServerInfo = servers.sftp;

  type Auth = { password: string } | { privateKey: Buffer; passphrase?: string };

  async function withSftp<T>(auth: Auth, body: (client: SftpClient) => Promise<T>): Promise<T> {
    const client = new SftpClient();
    let verified = false;
    await client.connect({
      host: info.host,
      port: info.port,
      username: info.user,
      readyTimeout: 15_000,
      ...auth,
      hostVerifier: (key: Buffer): boolean => {
        const fingerprint = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
        verified = fingerprint === info.hostKeyFingerprint;
        return verified;
      },
    });
    try {
      expect(verified).toBe(true);
      return await body(client);
    } finally {
      await client.end();
    }
  }

  async function roundTrip(client: SftpClient): Promise<void> {
    expect(await client.realPath('.')).toBe(info.home);
    const payload = randomBytes(200 * 1024);
    const path = `${info.home}/servers-${randomUUID()}.bin`;
    await client.put(payload, path);
    const back = await client.get(path);
    expect(Buffer.isBuffer(back)).toBe(true);
    expect(sha256(back as Buffer)).toBe(sha256(payload));
    await client.delete(path);
  }

  it('publishes a host key line matching its fingerprint', () => {
    expect(info.hostKeyLine).toMatch(/^ssh-ed25519 [A-Za-z0-9+/]+=*$/);
    const blob = Buffer.from(info.hostKeyLine.split(' ')[1] ?? '', 'base64');
    expect(`SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`).toBe(
      info.hostKeyFingerprint,
    );
  });

  it('accepts a password', async () => {
    await withSftp({ password: info.password }, roundTrip);
  });

  it('accepts the key without passphrase', async () => {
    await withSftp({ privateKey: await readFile(info.privateKeyPath) }, roundTrip);
  });

  it('accepts the ed25519 key with its passphrase', async () => {
    await withSftp({ privateKey: await readFile(info.encryptedKeyPath), passphrase: info.keyPassphrase }, roundTrip);
  });

  it('accepts the RSA key with its passphrase', async () => {
    await withSftp({ privateKey: await readFile(info.encryptedRsaKeyPath), passphrase: info.keyPassphrase }, roundTrip);
  });

  it('rejects a wrong password', async () => {
    await expect(withSftp({ password: 'wrong' }, () => Promise.resolve())).rejects.toThrow(/authentication/i);
  });

  it('fails the connection when the host verifier says no', async () => {
    const client = new SftpClient();
    await expect(
      client.connect({
        host: info.host,
        port: info.port,
        username: info.user,
        password: info.password,
        readyTimeout: 15_000,
        hostVerifier: (): boolean => false,
      }),
    ).rejects.toThrow();
  });

  it('refuses writes in the read-only folder', async () => {
    await withSftp({ password: info.password }, async (client) => {
      await expect(client.put(Buffer.from('x'), `${info.readonlyDir}/x.txt`)).rejects.toThrow(/permission denied/i);
    });
  });
});
