import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked, type CommandSpec } from '../measure.js';
import { PARALLEL_FILES, type Job, type Peer, type Protocol, type ServerAccess } from './types.js';

const REPO = new URL('../../', import.meta.url).pathname;

function connectionName(protocol: Protocol): string {
  return `bench-${protocol}`;
}

/**
 * Ferry's CLI, compiled from the current sources into the bench's own folder (so the run measures what
 * is checked out, and a concurrent `npm run build` cannot swap files under it) and run with plain node,
 * exactly as `bin/ferry.js` runs it.
 */
export class FerryPeer implements Peer {
  readonly name = 'ferry';
  readonly protocols: ReadonlyArray<Protocol> = ['sftp', 'ftp'];
  #entry = '';
  #home = '';

  async prepare(servers: ReadonlyArray<ServerAccess>, workDir: string): Promise<void> {
    const dir = join(workDir, 'ferry');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await runChecked({
      command: process.execPath,
      args: [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(REPO, 'bench/tsconfig.ferry.json'), '--outDir', join(dir, 'src')],
      timeoutMs: 180_000,
    });
    // The compiled files sit outside the repository: they need its module type and its node_modules.
    await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    await symlink(join(REPO, 'node_modules'), join(dir, 'node_modules'));
    this.#entry = join(dir, 'ferry.js');
    await writeFile(this.#entry, (await readFile(join(REPO, 'bin/ferry.js'), 'utf8')).replace('../out/src/', './src/'));

    this.#home = join(workDir, 'ferry-home');
    await rm(this.#home, { recursive: true, force: true });
    for (const server of servers) {
      const url =
        server.protocol === 'sftp'
          ? `sftp://${server.user}@${server.host}:${server.port}${server.root}`
          : `ftp://${server.user}@${server.host}:${server.port}${server.root}`;
      // The same eight parallel files as the other tools: FTP needs one connection per file in flight.
      const extra = server.protocol === 'sftp' ? ['--accept-new-host-key'] : ['--max-connections', String(PARALLEL_FILES)];
      await runChecked({
        command: process.execPath,
        args: [this.#entry, 'connection', 'add', connectionName(server.protocol), url, '--password-stdin', ...extra],
        env: { FERRY_HOME: this.#home },
        input: `${server.password}\n`,
        timeoutMs: 60_000,
      });
    }
  }

  command(job: Job): CommandSpec {
    const remote = `${connectionName(job.server.protocol)}:${job.remote}`;
    const [from, to] = job.direction === 'up' ? [job.local, remote] : [remote, job.local];
    return {
      command: process.execPath,
      args: [
        this.#entry,
        'copy',
        ...(job.data === 'small' ? ['--recursive'] : []),
        from,
        to,
        '--concurrency',
        String(PARALLEL_FILES),
        '--json',
      ],
      env: { FERRY_HOME: this.#home },
      timeoutMs: 300_000,
    };
  }

  async describe(): Promise<string> {
    const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { version?: string };
    return `Ferry ${pkg.version ?? '?'} at ${await sourceRevision()}, tsc-compiled, node ${process.version}; ` +
      `copy [--recursive] --concurrency ${PARALLEL_FILES} --json; SFTP connection with default pool (password), ` +
      `FTP connection with --max-connections ${PARALLEL_FILES}`;
  }
}

/** The commit measured, and whether src/ differed from it: numbers are only comparable for the same code. */
async function sourceRevision(): Promise<string> {
  try {
    const head = (await runChecked({ command: 'git', args: ['-C', REPO, 'rev-parse', '--short', 'HEAD'], timeoutMs: 30_000 })).trim();
    const changed = (await runChecked({ command: 'git', args: ['-C', REPO, 'status', '--porcelain', '--', 'src'], timeoutMs: 30_000 })).trim();
    return changed === '' ? `commit ${head}` : `commit ${head} with uncommitted changes in src/`;
  } catch {
    return 'an unknown revision';
  }
}

/** Ferry's JSON summary, to cross-check its own count of copied and failed files. */
export function ferrySummary(stdout: string): { files: number; failed: number } | undefined {
  try {
    const parsed = JSON.parse(stdout) as { files?: unknown; failed?: unknown };
    if (typeof parsed.files !== 'number' || !Array.isArray(parsed.failed)) return undefined;
    return { files: parsed.files, failed: parsed.failed.length };
  } catch {
    return undefined;
  }
}
