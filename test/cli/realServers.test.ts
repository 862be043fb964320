import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { runFerry, type FerryRun } from '../helpers/runFerry.js';
import { makeScratch } from '../conformance/scratch.js';

/** What the README tells a new user to do, run against the real servers. */
describe('a new user with the README: SFTP and FTPS connections, a tree copied both ways', () => {
  const servers = inject('servers');
  let home: string;
  let work: string;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-readme-home-'));
    work = await mkdtemp(join(tmpdir(), 'ferry-readme-work-'));
    const files: Record<string, string> = {
      'INV-ACME-1001.pdf': 'invoice 1001',
      'orders/ORD 5001.csv': 'order,qty\n5001,3\n',
      'orders/2026/11/ünïcødé #1.txt': 'deep',
    };
    for (const [p, c] of Object.entries(files)) {
      await mkdir(join(work, 'outbox', p, '..'), { recursive: true });
      await writeFile(join(work, 'outbox', p), c);
    }
  });
  afterAll(async () => {
    for (const c of cleanups) await c();
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  const ferry = (args: ReadonlyArray<string>, stdin = ''): Promise<FerryRun> => runFerry(home, args, stdin);

  const tree = async (dir: string): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) out[relative(dir, join(entry.parentPath, entry.name))] = await readFile(join(entry.parentPath, entry.name), 'utf8');
    }
    return out;
  };

  const roundTrip = async (connection: string, label: string): Promise<void> => {
    const up = await ferry(['copy', join(work, 'outbox'), `${connection}:inbox`, '--recursive', '--json']);
    expect(up.code, up.err).toBe(0);
    expect(JSON.parse(up.out)).toMatchObject({ files: 3, failed: [] });
    const back = join(work, `back-${label}`);
    const down = await ferry(['copy', `${connection}:inbox`, back, '--recursive']);
    expect(down.code, down.err).toBe(0);
    expect(down.out).toMatch(/Copied 3 files/);
    expect(await tree(back)).toEqual(await tree(join(work, 'outbox')));
  };

  it('SFTP: refuses an unknown host key until the user accepts it, then copies both ways', async () => {
    const sftp = servers.sftp;
    const scratch = await makeScratch(sftp.home, 'readme-sftp');
    cleanups.push(scratch.remove);
    const url = `sftp://${sftp.user}@${sftp.host}:${sftp.port}${scratch.path}`;
    const refused = await ferry(['connection', 'add', 'partner', url, '--password-stdin'], `${sftp.password}\n`);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(sftp.hostKeyFingerprint);
    expect(refused.err).toMatch(/--accept-new-host-key/);
    expect(refused.err).not.toContain(sftp.password);
    const added = await ferry(['connection', 'add', 'partner', url, '--password-stdin', '--accept-new-host-key'], `${sftp.password}\n`);
    expect(added.code, added.err).toBe(0);
    expect(await readFile(join(home, 'known_hosts'), 'utf8')).toContain(sftp.hostKeyLine.split(' ')[1]);
    await roundTrip('partner', 'sftp');
  });

  it('SFTP: logs in with an encrypted private key whose passphrase comes on standard input', async () => {
    const sftp = servers.sftp;
    const url = `sftp://${sftp.user}@${sftp.host}:${sftp.port}${sftp.home}`;
    const added = await ferry(['connection', 'add', 'partner-key', url, '--key', sftp.encryptedKeyPath, '--password-stdin', '--accept-new-host-key'], `${sftp.keyPassphrase}\n`);
    expect(added.code, added.err).toBe(0);
    expect((await ferry(['ls', 'partner-key:', '--json'])).code).toBe(0);
  });

  it('SFTP at a terminal: asks whether to trust a new host key, as OpenSSH does', async () => {
    const sftp = servers.sftp;
    const url = `sftp://${sftp.user}@${sftp.host}:${sftp.port}${sftp.home}`;
    const answer = async (reply: string): Promise<{ code: number; prompt: string }> => {
      const terminalIn = Object.assign(new PassThrough(), { isTTY: true });
      const terminalErr = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
      let prompt = '';
      let replied = false;
      terminalErr.on('data', (c: Buffer) => {
        prompt += c.toString();
        // Answer once: a terminal echoes what is typed, which must not trigger another answer.
        if (!replied && prompt.includes('[y/N]')) {
          replied = true;
          terminalIn.write(reply);
        }
      });
      const code = await runCli(
        ['connection', 'add', `asked-${reply.trim() || 'none'}`, url, '--key', sftp.privateKeyPath],
        { stdout: new PassThrough(), stderr: terminalErr, stdin: terminalIn, env: { FERRY_HOME: join(home, 'interactive') } },
        new AbortController().signal,
      );
      return { code, prompt };
    };
    const no = await answer('n\n');
    expect(no.code).toBe(1);
    expect(no.prompt).toContain(sftp.hostKeyFingerprint);
    const yes = await answer('y\n');
    expect(yes.code).toBe(0);
    expect(await readFile(join(home, 'interactive', 'known_hosts'), 'utf8')).toContain(sftp.hostKeyLine.split(' ')[1]);
  });

  it('FTPS (explicit TLS): refuses the self-signed certificate until it is pinned, then copies both ways', async () => {
    const ftp = servers.ftp['vsftpd-explicit'];
    const scratch = await makeScratch(ftp.home, 'readme-ftpes');
    cleanups.push(scratch.remove);
    const url = `ftpes://${ftp.user}@${ftp.host}:${ftp.port}/${scratch.name}`;
    const refused = await ferry(['connection', 'add', 'globex', url, '--password-stdin'], `${ftp.password}\n`);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(ftp.certFingerprint256 ?? 'missing fingerprint');
    expect(refused.err).toMatch(/--tls-fingerprint/);
    const added = await ferry(
      ['connection', 'add', 'globex', url, '--password-stdin', '--tls-fingerprint', (ftp.certFingerprint256 ?? '').toLowerCase()],
      `${ftp.password}\n`,
    );
    expect(added.code, added.err).toBe(0);
    expect(added.out).toMatch(/TLS/);
    await roundTrip('globex', 'ftpes');
  });

  it('FTPS (implicit TLS): trusts a CA file, then copies both ways', async () => {
    const ftp = servers.ftp['vsftpd-implicit'];
    const scratch = await makeScratch(ftp.home, 'readme-ftps');
    cleanups.push(scratch.remove);
    const url = `ftps://${ftp.user}@${ftp.host}:${ftp.port}/${scratch.name}`;
    const added = await ferry(['connection', 'add', 'initech', url, '--password-stdin', '--ca', ftp.caFile ?? ''], `${ftp.password}\n`);
    expect(added.code, added.err).toBe(0);
    await roundTrip('initech', 'ftps');
  });

  it('never writes a password into its data folder in plain text', async () => {
    for (const name of await readdir(home, { recursive: true })) {
      const content = await readFile(join(home, name)).catch(() => Buffer.alloc(0));
      expect(content.includes(servers.sftp.password)).toBe(false);
      expect(content.includes(servers.ftp['vsftpd-explicit'].password)).toBe(false);
    }
  });
});
