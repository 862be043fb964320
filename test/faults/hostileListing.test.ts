import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FtpFs } from '../../src/connectors/ftp/FtpFs.js';
import { LocalFs } from '../../src/connectors/local/LocalFs.js';
import { SftpFs } from '../../src/connectors/sftp/SftpFs.js';
import type { RemoteFs } from '../../src/connectors/types.js';
import { MemoryResumeJournal } from '../../src/engine/ResumeJournal.js';
import { transfer } from '../../src/engine/transfer.js';
import { FAST_RETRY, tempDir, treeOf } from '../helpers/faultFixtures.js';
import {
  HOSTILE_CONTENT,
  startHostileFtpServer,
  startHostileSftpServer,
  type HostileNames,
  type HostileServer,
} from '../helpers/hostileServers.js';

/** The files the server really has: each must arrive, byte for byte. */
const GOOD: Readonly<Record<string, string>> = {
  'good.txt': 'good\n',
  'dots..fine.txt': 'two dots inside a name are harmless\n',
  'sub/inner.txt': 'inner\n',
};

/** Names that would climb out of the target, hide a separator, or smuggle a line break or NUL. */
const HOSTILE: HostileNames = {
  '': ['../../escape.txt', 'a/b.txt', 'evil\r\nname.txt', 'back\\slash.txt', '/escape-absolute.txt', 'nul\0escape.txt', '..', '.'],
  sub: ['../../../escape.txt'],
};

/** How the engine names a refused entry: its folder, then the name exactly as listed (shown escaped by whoever prints it). */
function shownAs(dir: string, name: string): string {
  return `${dir === '' ? '' : `${dir}/`}${name}`;
}

/** '.' and '..' are in every listing; skipping them silently is as right as refusing them. */
const REPORTED = Object.entries(HOSTILE).flatMap(([dir, names]) =>
  names.filter((n) => n !== '.' && n !== '..').map((n) => shownAs(dir, n)),
);

async function filesWithContent(root: string, content: string): Promise<string[]> {
  const found: string[] = [];
  for (const rel of await treeOf(root)) {
    const info = await stat(join(root, rel));
    if (info.isFile() && info.size === Buffer.byteLength(content) && (await readFile(join(root, rel), 'utf8')) === content) {
      found.push(rel);
    }
  }
  return found;
}

describe.each([
  ['SFTP (ssh2 server)', 'sftp'],
  ['FTP (ftp-srv)', 'ftp'],
] as const)('hostile names in a %s listing, copied recursively through the engine', (_label, protocol) => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let server: HostileServer;
  let source: RemoteFs;

  beforeEach(async () => {
    temp = await tempDir(`hostile-${protocol}`);
    const share = join(temp.path, 'share');
    for (const [path, content] of Object.entries(GOOD)) {
      await mkdir(join(share, path, '..'), { recursive: true });
      await writeFile(join(share, path), content);
    }
    await mkdir(join(temp.path, 'work', 'target'), { recursive: true });
    if (protocol === 'sftp') {
      server = await startHostileSftpServer(share, HOSTILE);
      source = new SftpFs({
        host: '127.0.0.1', port: server.port, username: 'partner', password: 'any', root: '/',
        hostKeys: { verify: () => Promise.resolve(undefined) },
      });
    } else {
      server = await startHostileFtpServer(share, HOSTILE);
      source = new FtpFs({
        host: '127.0.0.1', port: server.port, username: 'partner', password: 'any', root: '/', security: 'none',
        trust: { kind: 'system' }, timeoutMs: 10_000,
      });
    }
  });
  afterEach(async () => {
    await source.close();
    await server.close();
    await temp.remove();
  });

  it('refuses each hostile name as an unsafeName failure, copies the real files, and writes nothing outside the target', async () => {
    const work = join(temp.path, 'work');
    const summary = await transfer({
      source, sourcePath: '', target: new LocalFs(work), targetPath: 'target', recursive: true, policy: 'overwrite',
      move: false, dryRun: false, journal: new MemoryResumeJournal(), retry: FAST_RETRY,
    });

    for (const path of REPORTED) {
      expect(summary.failed, `refusal of ${path}`).toContainEqual(expect.objectContaining({ path, kind: 'unsafeName' }));
    }
    expect(summary.failed.filter((f) => f.kind !== 'unsafeName')).toEqual([]);
    expect(summary.failed.length).toBe(REPORTED.length);

    const copied = summary.items.filter((i) => i.status === 'copied').map((i) => i.source).sort();
    expect(copied).toEqual(Object.keys(GOOD).sort());
    const target = join(work, 'target');
    expect(await treeOf(target)).toEqual(['dots..fine.txt', 'good.txt', 'sub', 'sub/inner.txt']);
    for (const [path, content] of Object.entries(GOOD)) expect(await readFile(join(target, path), 'utf8')).toBe(content);

    // Nothing beside the target, nothing named like an escape anywhere, and no made-up content anywhere.
    expect(await readdir(work)).toEqual(['target']);
    expect((await treeOf(temp.path)).filter((p) => basename(p).includes('escape'))).toEqual([]);
    expect(await filesWithContent(temp.path, HOSTILE_CONTENT)).toEqual([]);
  });
});
