import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransferError } from '../../src/connectors/errors.js';
import { FtpFs } from '../../src/connectors/ftp/FtpFs.js';
import { startFtpServer } from '../../src/demo/ftpServer.js';
import type { DemoServer } from '../../src/demo/demoServer.js';
import { FTP_PARTNER_FILES, seedPartnerFiles } from '../../src/demo/partnerFiles.js';
import { readAll } from '../helpers/data.js';

describe('the demo FTP server through FtpFs', () => {
  let base: string;
  let root: string;
  let server: DemoServer;
  let fs: FtpFs;
  const signals = ['SIGINT', 'SIGTERM', 'SIGQUIT'] as const;
  const listenersBefore = new Map(signals.map((s) => [s, process.listenerCount(s)]));

  const ftpFs = (password: string): FtpFs =>
    new FtpFs({ host: '127.0.0.1', port: server.port, username: 'partner', password, root: '/', security: 'none', trust: { kind: 'system' } });

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'ferry-demo-ftp-'));
    root = join(base, 'served');
    await seedPartnerFiles(root, FTP_PARTNER_FILES);
    await writeFile(join(base, 'secret.txt'), 'outside the served folder');
    await symlink(base, join(root, 'dir-out'));
    server = await startFtpServer({ root, username: 'partner', password: 'right' });
    fs = ftpFs('right');
  });
  afterAll(async () => {
    await fs?.close();
    await server?.close();
    await rm(base, { recursive: true, force: true });
  });

  it('lists the partner folders and their files, folders as folders', async () => {
    const top = await fs.list('');
    expect(top.filter((e) => e.name !== 'dir-out').map((e) => [e.name, e.kind]).sort()).toEqual([
      ['delivery-notes', 'dir'],
      ['invoices', 'dir'],
      ['orders', 'dir'],
    ]);
    const invoices = FTP_PARTNER_FILES.filter((f) => f.path.startsWith('invoices/'));
    expect((await fs.list('invoices')).map((e) => [e.path, e.kind, e.size]).sort()).toEqual(
      invoices.map((f) => [f.path, 'file', Buffer.byteLength(f.content)]).sort(),
    );
    expect((await fs.stat('orders'))?.kind).toBe('dir');
  });

  it('serves each file as it is on disk, and takes one written to it', async () => {
    for (const file of FTP_PARTNER_FILES) expect((await readAll(await fs.read(file.path))).toString()).toBe(file.content);
    await fs.write('invoices/upload.csv', Readable.from([Buffer.from('sent back')]));
    expect(await readFile(join(root, 'invoices', 'upload.csv'), 'utf8')).toBe('sent back');
  });

  it('refuses a link that leads out of its folder', async () => {
    const refused = await fs
      .read('dir-out/secret.txt')
      .then(readAll)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(refused).toBeInstanceOf(TransferError);
    expect((refused as TransferError).message).toMatch(/outside the served folder/);
    expect((refused as TransferError).message).not.toContain(base);
  });

  it('lets in only its user with the right password', async () => {
    const stranger = ftpFs('wrong');
    try {
      await expect(stranger.list('')).rejects.toMatchObject({ kind: 'auth' });
    } finally {
      await stranger.close();
    }
  });

  it('opens passive data ports on 127.0.0.1 only, and says so', async () => {
    const control = connect(server.port, '127.0.0.1');
    const replies: string[] = [];
    let buffered = '';
    const next = (): Promise<string> =>
      new Promise((resolve) => {
        const take = (): void => {
          const line = replies.shift();
          if (line === undefined) control.once('data', take);
          else resolve(line);
        };
        take();
      });
    control.on('data', (c: Buffer) => {
      buffered += c.toString();
      const lines = buffered.split('\r\n');
      buffered = lines.pop() ?? '';
      // Only final reply lines ("227 ..."), not the continuation lines of a multi-line reply.
      replies.push(...lines.filter((l) => /^\d{3} /.test(l)));
    });
    try {
      expect(await next()).toMatch(/^220 /);
      control.write('USER partner\r\n');
      expect(await next()).toMatch(/^331 /);
      control.write('PASS right\r\n');
      expect(await next()).toMatch(/^230 /);
      control.write('PASV\r\n');
      const pasv = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(await next());
      expect(pasv?.slice(1, 5).join('.')).toBe('127.0.0.1');
      const dataPort = Number(pasv?.[5]) * 256 + Number(pasv?.[6]);
      expect(await reachable(dataPort, '127.0.0.2')).toBe(false);
    } finally {
      control.destroy();
    }
  });

  it('leaves Ctrl-C to Ferry: the server adds no signal handler that would end the process', () => {
    for (const s of signals) expect(process.listenerCount(s)).toBe(listenersBefore.get(s));
  });
});

function reachable(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
