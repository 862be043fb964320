import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { LocalFs } from '../../src/connectors/local/LocalFs.js';
import type { RemoteFs } from '../../src/connectors/types.js';
import { MemoryResumeJournal } from '../../src/engine/ResumeJournal.js';
import { transfer } from '../../src/engine/transfer.js';
import { makeScratch } from '../conformance/scratch.js';
import { sha256OfFile } from '../helpers/data.js';
import { FAST_RETRY, MB, ftpVia, partialsUnder, sftpVia, tempDir, treeOf, writeRandomFile } from '../helpers/faultFixtures.js';
import { FaultyFs } from '../helpers/FaultyFs.js';

const servers = inject('servers');
const FILES = ['f1.bin', 'f2.bin', 'f3.bin', 'f4.bin', 'f5.bin', 'f6.bin'];
const SIZE = 8 * MB;

/** The source as the engine sees it, cancelling the run right after its first file was moved. */
class CancelAfterFirstMove extends FaultyFs {
  readonly #abort: AbortController;

  constructor(inner: RemoteFs, abort: AbortController) {
    super(inner, {});
    this.#abort = abort;
  }

  override async remove(path: string): Promise<void> {
    await super.remove(path);
    this.#abort.abort();
  }
}

describe.each([
  ['SFTP (OpenSSH)', 'sftp'],
  ['FTP (vsftpd, plain)', 'ftp'],
] as const)('cancelling a move from %s half-way', (_label, protocol) => {
  let scratch: Awaited<ReturnType<typeof makeScratch>>;
  let local: Awaited<ReturnType<typeof tempDir>>;
  let remote: RemoteFs;

  beforeEach(async () => {
    local = await tempDir(`move-${protocol}`);
    if (protocol === 'sftp') {
      const server = servers.sftp;
      scratch = await makeScratch(server.home, 'move-sftp');
      remote = sftpVia(server, server.port, scratch.path);
    } else {
      const server = servers.ftp['vsftpd-plain'];
      scratch = await makeScratch(server.home, 'move-ftp');
      remote = ftpVia(server, server.port, posix.join(server.loginDir, scratch.name));
    }
  });
  afterEach(async () => {
    await remote.close();
    await scratch.remove();
    await local.remove();
  });

  it('keeps every source file that was not completely copied and verified, and leaves no partial file', async () => {
    const original = new Map<string, string>();
    for (const name of FILES) original.set(name, await writeRandomFile(join(scratch.path, name), SIZE, `move-${name}`));
    const abort = new AbortController();
    const source = new CancelAfterFirstMove(remote, abort);

    const summary = await transfer({
      source, sourcePath: '', target: new LocalFs(local.path), targetPath: 'moved', recursive: true, policy: 'overwrite',
      move: true, dryRun: false, journal: new MemoryResumeJournal(), retry: FAST_RETRY, concurrency: 2, signal: abort.signal,
    });

    const moved = summary.items.filter((i) => i.status === 'moved').map((i) => i.source);
    expect(moved.length).toBeGreaterThanOrEqual(1);
    expect(summary.failed.length).toBeGreaterThanOrEqual(1);
    expect(summary.failed.every((f) => f.kind === 'cancelled')).toBe(true);
    expect(moved.length + summary.failed.length).toBe(FILES.length);
    // Only what the engine reported as moved was deleted at the source.
    expect([...source.removed].sort()).toEqual([...moved].sort());

    for (const [name, hash] of original) {
      const atSource = join(scratch.path, name);
      const atTarget = join(local.path, 'moved', name);
      if (moved.includes(name)) {
        expect(existsSync(atSource), `${name} was moved, so it is gone at the source`).toBe(false);
        expect(await sha256OfFile(atTarget)).toBe(hash);
      } else {
        expect(existsSync(atSource), `${name} was not moved, so it stays at the source`).toBe(true);
        expect(await sha256OfFile(atSource)).toBe(hash);
      }
    }
    // Whatever reached its final name is whole; nothing half-written is left under any name.
    for (const rel of await treeOf(join(local.path, 'moved'))) {
      expect(await sha256OfFile(join(local.path, 'moved', rel))).toBe(original.get(rel));
    }
    expect(await partialsUnder(local.path)).toEqual([]);
  });
});
