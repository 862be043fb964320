import { cp, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked } from './measure.js';
import type { ServerAccess } from './peers/types.js';
import { REPO, sourceRevision } from './support.js';

/**
 * The CLI that `npm run build` produced (what `node bin/ferry.js` runs), copied into the bench's work
 * folder first: a build started while the bench runs cannot swap files under it.
 */
export interface FerryCli {
  /** The copy of bin/ferry.js, to run with plain node. */
  readonly entry: string;
  /** Version, revision, and whether the build is older than the sources. */
  readonly description: string;
}

const BUILT_MAIN = 'out/src/cli/main.js';

/**
 * Whether `npm run build` would compile anything: tsc's own up-to-date check, which compares the
 * sources with the build info (a source merely touched does not count). Undefined when tsc cannot say.
 */
async function buildIsCurrent(): Promise<boolean | undefined> {
  try {
    const out = await runChecked({
      command: process.execPath,
      args: [join(REPO, 'node_modules/typescript/bin/tsc'), '-b', join(REPO, 'tsconfig.src.json'), '--dry', '--verbose'],
      cwd: REPO,
      timeoutMs: 120_000,
    });
    return /is up to date/.test(out) && !/out of date|would build|would update/i.test(out);
  } catch {
    return undefined;
  }
}

export async function snapshotCli(workDir: string): Promise<FerryCli> {
  try {
    await stat(join(REPO, BUILT_MAIN));
  } catch {
    throw new Error(`${BUILT_MAIN} is missing: run \`npm run build\` first`);
  }
  const current = await buildIsCurrent();
  const dir = join(workDir, 'ferry');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await cp(join(REPO, 'out', 'src'), join(dir, 'src'), { recursive: true });
  // The copy sits outside the repository: it needs the repository's module type and node_modules.
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  await symlink(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  const entry = join(dir, 'ferry.js');
  await writeFile(entry, (await readFile(join(REPO, 'bin/ferry.js'), 'utf8')).replace('../out/src/', './src/'));
  const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { version?: string };
  const build =
    current === undefined ? 'not known whether it is up to date with src/' : current ? 'up to date with src/' : 'OLDER than src/: run `npm run build`';
  return { entry, description: `Ferry ${pkg.version ?? '?'} at ${await sourceRevision()}, \`npm run build\` output (${build}), node ${process.version}` };
}

export function connectionName(protocol: ServerAccess['protocol']): string {
  return `bench-${protocol}`;
}

/**
 * Adds one connection per server to a new Ferry data folder with the CLI, as a user would: SFTP
 * trusting the server's key on first contact, FTP with one connection per file in flight.
 */
export async function makeFerryHome(cli: FerryCli, home: string, servers: ReadonlyArray<ServerAccess>, parallelFiles: number): Promise<void> {
  await rm(home, { recursive: true, force: true });
  for (const server of servers) {
    const url =
      server.protocol === 'sftp'
        ? `sftp://${server.user}@${server.host}:${server.port}${server.root}`
        : `ftp://${server.user}@${server.host}:${server.port}${server.root}`;
    const extra = server.protocol === 'sftp' ? ['--accept-new-host-key'] : ['--max-connections', String(parallelFiles)];
    await runChecked({
      command: process.execPath,
      args: [cli.entry, 'connection', 'add', connectionName(server.protocol), url, '--password-stdin', ...extra],
      env: { FERRY_HOME: home },
      input: `${server.password}\n`,
      timeoutMs: 60_000,
    });
  }
}
