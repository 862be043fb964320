import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import ssh2 from 'ssh2';
import type { SFTPWrapper } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SftpFs } from '../../src/connectors/sftp/SftpFs.js';
import { demoHostKey } from '../../src/demo/hostKey.js';
import type { DemoServer } from '../../src/demo/demoServer.js';
import { startSftpServer } from '../../src/demo/sftpServer.js';
import { KnownHosts } from '../../src/security/KnownHosts.js';
import { describeRemoteFs } from '../conformance/remoteFs.suite.js';

/** Who the server runs as: not root, so that a folder can refuse it, as the desktop user is refused. */
const SERVER_USER = { uid: 65534, gid: 65534 };
const CHILD = join(import.meta.dirname, 'sftpServerChild.ts');

/**
 * The child bundled into one file in a folder anyone may read: the unprivileged user may not be able to
 * reach the checkout (a clone in a private folder), so it must not load anything from there — nor run the
 * Node inside it, which the npm registry installs into the checkout's node_modules: a copy of it goes beside.
 */
async function bundledChild(folder: string): Promise<{ readonly node: string; readonly child: string }> {
  const node = join(folder, 'node');
  await copyFile(process.execPath, node);
  await chmod(node, 0o755);
  const outfile = join(folder, 'sftp-server-child.mjs');
  await build({
    entryPoints: [CHILD],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    // ssh2's optional native helpers stay out: it falls back to Node's own crypto without them.
    external: ['cpu-features', '*.node'],
    banner: {
      js: "import { createRequire } from 'node:module'; import { fileURLToPath } from 'node:url'; const require = createRequire(import.meta.url); const __dirname = fileURLToPath(new URL('.', import.meta.url));",
    },
  });
  await chmod(outfile, 0o644);
  return { node, child: outfile };
}

/** The demo SFTP server started in a child process as SERVER_USER, serving `root`. */
async function startAsServerUser(
  root: string,
  password: string,
  hostKey: string,
  { node, child }: { readonly node: string; readonly child: string },
): Promise<{ port: number; stop: () => Promise<void> }> {
  const server: ChildProcess = spawn(node, [child], { ...SERVER_USER, stdio: ['pipe', 'pipe', 'inherit'] });
  server.stdin?.end(JSON.stringify({ root, username: 'partner', password, hostKey }));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    server.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /port (\d+)/.exec(out);
      if (m !== null) resolve(Number(m[1]));
    });
    server.once('exit', (code) => reject(new Error(`The demo SFTP server exited (${code})`)));
  });
  return {
    port,
    stop: async () => {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    },
  };
}

describeRemoteFs('sftp (Ferry demo server)', async () => {
  const base = await mkdtemp(join(tmpdir(), 'ferry-demo-sftp-'));
  // The server's user must reach the served folder; the rest of base stays root's.
  await chmod(base, 0o711);
  const root = join(base, 'served');
  await mkdir(root);
  await chown(root, SERVER_USER.uid, SERVER_USER.gid);
  const key = await demoHostKey(join(base, 'keys', 'host_key'));
  const server = await startAsServerUser(root, 'conformance-pw', key.privateKey, await bundledChild(base));
  const knownHosts = new KnownHosts({ path: join(base, 'known_hosts'), policy: 'strict' });
  await knownHosts.record('127.0.0.1', server.port, key.publicKey);
  const fs = new SftpFs({ host: '127.0.0.1', port: server.port, username: 'partner', password: 'conformance-pw', root: '/', hostKeys: knownHosts });
  return {
    fs,
    localPath: root,
    owner: SERVER_USER,
    canDenyPermission: true,
    close: async () => {
      await fs.close();
      await server.stop();
      await rm(base, { recursive: true, force: true });
    },
  };
});

describe('the demo SFTP server, asked directly', () => {
  let base: string;
  let server: DemoServer;
  let client: ssh2.Client;
  let sftp: SFTPWrapper;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'ferry-demo-sftp-'));
    const root = join(base, 'served');
    await mkdir(join(root, 'inside'), { recursive: true });
    await writeFile(join(base, 'secret.txt'), 'outside the served folder');
    await writeFile(join(root, 'inside', 'file.txt'), 'served');
    await symlink(join(base, 'secret.txt'), join(root, 'link-out'));
    await symlink(base, join(root, 'dir-out'));
    await symlink(join(base, 'not-there-yet'), join(root, 'dangling-out'));
    await symlink('inside/file.txt', join(root, 'link-in'));
    const key = await demoHostKey(join(base, 'host_key'));
    server = await startSftpServer({ root, username: 'partner', password: 'right', hostKey: key.privateKey });
    ({ client, sftp } = await connect(server.port, 'right'));
  });
  afterAll(async () => {
    client?.end();
    await server?.close();
    await rm(base, { recursive: true, force: true });
  });

  const status = (op: (done: (err: Error | null | undefined) => void) => void): Promise<number | 'ok'> =>
    new Promise((resolve) => op((err) => resolve(err === null || err === undefined ? 'ok' : ((err as Error & { code?: number }).code ?? -1))));
  const { STATUS_CODE } = ssh2.utils.sftp;

  it('refuses a path that climbs above its root, instead of clamping it', async () => {
    expect(await status((done) => sftp.stat('/../etc/passwd', (e) => done(e)))).toBe(STATUS_CODE.PERMISSION_DENIED);
    expect(await status((done) => sftp.stat('inside/../../secret.txt', (e) => done(e)))).toBe(STATUS_CODE.PERMISSION_DENIED);
    expect(await status((done) => sftp.stat('/inside/../inside/file.txt', (e) => done(e)))).toBe('ok');
  });

  it('refuses links that lead out of its root, and follows those that stay inside', async () => {
    expect(await status((done) => sftp.stat('link-out', (e) => done(e)))).toBe(STATUS_CODE.PERMISSION_DENIED);
    expect(await status((done) => sftp.open('link-out', 'r', (e) => done(e)))).toBe(STATUS_CODE.PERMISSION_DENIED);
    expect(await status((done) => sftp.readdir('dir-out', (e) => done(e)))).toBe(STATUS_CODE.PERMISSION_DENIED);
    expect(await status((done) => sftp.open('dir-out/secret.txt', 'r', (e) => done(e)))).toBe(STATUS_CODE.PERMISSION_DENIED);
    expect(await status((done) => sftp.open('dir-out/planted.txt', 'w', (e) => done(e)))).toBe(STATUS_CODE.PERMISSION_DENIED);
    expect(await status((done) => sftp.open('dangling-out', 'w', (e) => done(e)))).toBe(STATUS_CODE.PERMISSION_DENIED);
    expect(await status((done) => sftp.rename('inside/file.txt', 'dir-out/stolen.txt', (e) => done(e)))).toBe(STATUS_CODE.PERMISSION_DENIED);
    // A link itself may be looked at and removed: neither reaches what it points to.
    expect(await status((done) => sftp.lstat('link-out', (e) => done(e)))).toBe('ok');
    const canonical = await new Promise<string>((resolve, reject) => sftp.realpath('link-in', (e, p) => (e ? reject(e) : resolve(p))));
    expect(canonical).toBe('/inside/file.txt');
  });

  it('shows its root as / and never a folder of this machine', async () => {
    const home = await new Promise<string>((resolve, reject) => sftp.realpath('.', (e, p) => (e ? reject(e) : resolve(p))));
    expect(home).toBe('/');
    const refused = await new Promise<Error | undefined>((resolve) => sftp.stat('link-out', (e) => resolve(e)));
    expect(refused?.message).toMatch(/outside the served folder/);
    expect(refused?.message).not.toContain(base);
  });

  it('lets in only its user with the right password', async () => {
    await expect(connect(server.port, 'wrong')).rejects.toThrow(/authentication/i);
  });
});

function connect(port: number, password: string): Promise<{ client: ssh2.Client; sftp: SFTPWrapper }> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.once('error', reject);
    client.once('ready', () => client.sftp((e, sftp) => (e ? reject(e) : resolve({ client, sftp }))));
    client.connect({ host: '127.0.0.1', port, username: 'partner', password, hostVerifier: () => true });
  });
}
