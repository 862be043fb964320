import { mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, utimes, writeFile, chmod, chown } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransferError } from '../../src/connectors/errors.js';
import type { RemoteFs } from '../../src/connectors/types.js';
import { joinRelative, locationOf } from '../../src/connectors/paths.js';
import { LocalFs } from '../../src/connectors/local/LocalFs.js';
import { MemoryResumeJournal } from '../../src/engine/ResumeJournal.js';
import { transfer, type TransferRequest, type TransferSummary } from '../../src/engine/transfer.js';
import { MemoryWrittenFiles } from '../../src/engine/WrittenFiles.js';
import { FaultyFs } from '../helpers/FaultyFs.js';
import { TransferStats } from '../../src/engine/TransferStats.js';
import { peakRssGrowth, randomBytesOf, randomStream, readAll, sha256Of, sha256OfFile } from '../helpers/data.js';

export interface ConformanceFixture {
  /** Rooted at an empty folder that belongs to this suite. */
  readonly fs: RemoteFs;
  /**
   * The same folder on this machine's disk (every file server runs here), for seeding and inspection;
   * absent where the files live in a service (Salesforce).
   */
  readonly localPath?: string;
  /** uid/gid the server writes as, so that seeded folders stay writable for it. */
  readonly owner?: { readonly uid: number; readonly gid: number };
  /** Whether the server's user can be denied writing (not when the connector runs as root). */
  readonly canDenyPermission: boolean;
  readonly close: () => Promise<void>;
}

/** Names that break naive clients: each must survive a round-trip exactly, byte for byte. */
export const AWKWARD_NAMES: ReadonlyArray<string> = [
  'with space.txt',
  'café-nfc.txt'.normalize('NFC'),
  'café-nfd.txt'.normalize('NFD'),
  '日本語のファイル.txt',
  'emoji-📦🚢.txt',
  `quote's "double".txt`,
  'hash#and%percent.txt',
  '-leading-dash.txt',
  `${'x'.repeat(196)}.txt`,
];

const MB = 1024 * 1024;

/** What a connector's storage has: the groups of behaviour below run only where they apply. */
export interface ConformanceFeatures {
  /** Folders that can be created and removed freely (not so on a Salesforce record). */
  readonly folders: boolean;
  readonly resume: boolean;
  readonly rename: boolean;
  /** The server can say where a link leads (not FTP, whose paths are all a client can compare). */
  readonly resolvesLinks: boolean;
}

const FILE_SERVER: ConformanceFeatures = { folders: true, resume: true, rename: true, resolvesLinks: true };

/**
 * The behaviour every connector must show, run against real servers (rclone's fstests idea). Each
 * connector's test file is one call of this function; a connector without folders, resume or rename
 * runs the rest, and is checked not to claim what it lacks.
 */
export function describeRemoteFs(name: string, setup: () => Promise<ConformanceFixture>, features: ConformanceFeatures = FILE_SERVER): void {
  describe(`${name} conformance`, () => {
    let fx: ConformanceFixture;
    let fs: RemoteFs;
    let scratch: string;

    beforeAll(async () => {
      fx = await setup();
      fs = fx.fs;
      scratch = await mkdtemp(join(tmpdir(), 'ferry-conf-local-'));
    });
    afterAll(async () => {
      await fx?.close();
      if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
    });

    const put = async (path: string, data: Buffer | string): Promise<void> => {
      await fs.write(path, Readable.from([Buffer.from(data)]));
    };
    const get = async (path: string, offset?: number): Promise<Buffer> =>
      readAll(await fs.read(path, offset === undefined ? {} : { offset }));
    const kindOf = async (op: () => Promise<unknown>): Promise<string> => {
      try {
        await op();
        return 'no error';
      } catch (e) {
        expect(e).toBeInstanceOf(TransferError);
        return (e as TransferError).kind;
      }
    };

    it('claims only the capabilities it has', () => {
      expect(fs.capabilities.resume).toBe(features.resume);
      expect(fs.capabilities.rename && fs.rename !== undefined).toBe(features.rename);
    });

    const onDisk = (): string => {
      if (fx.localPath === undefined) throw new Error(`${name}: this test needs the files on this machine's disk`);
      return fx.localPath;
    };

    if (features.folders) it('creates folders idempotently, parents included', async () => {
      await fs.mkdir('a/b/c');
      await fs.mkdir('a/b/c');
      await fs.mkdir('a');
      expect((await fs.stat('a/b/c'))?.kind).toBe('dir');
      expect((await fs.list('a')).map((e) => [e.name, e.path, e.kind])).toEqual([['b', 'a/b', 'dir']]);
    });

    it('reports missing paths as notFound, and stat as undefined', async () => {
      expect(await fs.stat('no/such/file')).toBeUndefined();
      expect(await kindOf(() => fs.list('no-such-folder'))).toBe('notFound');
      expect(await kindOf(async () => readAll(await fs.read('no-such-file.bin')))).toBe('notFound');
      expect(await kindOf(() => fs.remove('no-such-file.bin'))).toBe('notFound');
    });

    it('round-trips an empty file and a small file, with size and time in stat', async () => {
      await put('empty.bin', '');
      const small = randomBytesOf(70_001, 'small');
      await put('small.bin', small);
      expect((await fs.stat('empty.bin'))?.size).toBe(0);
      const st = await fs.stat('small.bin');
      expect(st).toMatchObject({ name: 'small.bin', path: 'small.bin', kind: 'file', size: small.length });
      expect(st?.modifiedAt).toBeGreaterThan(Date.UTC(2020, 0, 1));
      expect((await get('empty.bin')).length).toBe(0);
      expect((await get('small.bin')).equals(small)).toBe(true);
      if (fx.localPath !== undefined) expect((await readFile(join(fx.localPath, 'small.bin'))).equals(small)).toBe(true);
    });

    it('overwrites an existing file with shorter content, leaving no tail', async () => {
      await put('over.txt', 'a much longer first version');
      await put('over.txt', 'short');
      expect((await get('over.txt')).toString()).toBe('short');
    });

    it('reads from an offset', async () => {
      const data = randomBytesOf(300_000, 'offset-only');
      await put('offset-only.bin', data);
      expect((await get('offset-only.bin', 123_457)).equals(data.subarray(123_457))).toBe(true);
    });

    if (features.resume) it('reads from an offset and appends, when it claims resume', async () => {
      const data = randomBytesOf(300_000, 'offset');
      await put('offset.bin', data);
      expect((await get('offset.bin', 123_457)).equals(data.subarray(123_457))).toBe(true);
      await put('append.bin', data.subarray(0, 100_000));
      await fs.write('append.bin', Readable.from([data.subarray(100_000)]), { append: true });
      expect((await get('append.bin')).equals(data)).toBe(true);
    });

    if (features.rename) it('renames, replacing an existing target', async () => {
      expect(typeof fs.rename).toBe('function');
      await put('from.txt', 'new');
      await put('to.txt', 'old');
      await fs.rename?.('from.txt', 'to.txt');
      expect(await fs.stat('from.txt')).toBeUndefined();
      expect((await get('to.txt')).toString()).toBe('new');
    });

    it('removes a file', async () => {
      await put('removed.txt', 'x');
      await fs.remove('removed.txt');
      expect(await fs.stat('removed.txt')).toBeUndefined();
      expect((await fs.list('')).some((e) => e.name === 'removed.txt')).toBe(false);
    });

    if (features.folders) it('removes files and empty folders', async () => {
      await fs.mkdir('gone');
      await put('gone/f.txt', 'x');
      await fs.remove('gone/f.txt');
      await fs.rmdir('gone');
      expect(await fs.stat('gone')).toBeUndefined();
    });

    it('keeps awkward names exactly: unicode NFC and NFD, emoji, quotes, #, %, leading dash, 200 characters', async () => {
      const dir = features.folders ? 'names' : '';
      if (features.folders) await fs.mkdir(dir);
      for (const n of AWKWARD_NAMES) await put(joinRelative(dir, n), `content of ${n}`);
      const listed = (await fs.list(dir)).map((e) => e.name).filter((n) => features.folders || AWKWARD_NAMES.includes(n)).sort();
      expect(listed).toEqual([...AWKWARD_NAMES].sort());
      for (const n of AWKWARD_NAMES) expect((await get(joinRelative(dir, n))).toString()).toBe(`content of ${n}`);
    });

    it('refuses paths that would leave its root', async () => {
      expect(await kindOf(() => fs.stat('../outside'))).toBe('unsafeName');
      expect(await kindOf(() => put('a/../../escape.txt', 'x'))).toBe('unsafeName');
      expect(await kindOf(() => fs.mkdir('x/../../..'))).toBe('unsafeName');
    });

    if (features.folders) it('lists a folder of 10,000 entries completely', async () => {
      const dir = join(onDisk(), 'many');
      await mkdir(dir);
      await Promise.all(
        Array.from({ length: 10_000 }, (_, i) => writeFile(join(dir, `f${String(i).padStart(5, '0')}.dat`), String(i))),
      );
      const entries = await fs.list('many');
      expect(entries.length).toBe(10_000);
      expect(new Set(entries.map((e) => e.name)).size).toBe(10_000);
      expect(entries.find((e) => e.name === 'f09999.dat')).toMatchObject({ kind: 'file', size: 4, path: 'many/f09999.dat' });
    });

    if (features.folders) it('is refused writing where the server user may not write', async () => {
      if (!fx.canDenyPermission) {
        // Only the local connector under a root account lands here: root may write anywhere.
        expect(fs.kind).toBe('local');
        return;
      }
      const denied = join(onDisk(), 'readonly');
      await mkdir(denied);
      await chown(denied, 0, 0);
      await chmod(denied, 0o555);
      expect(await kindOf(() => put('readonly/nope.txt', 'x'))).toBe('permission');
    });

    if (features.folders) it('copies a nested tree up and back down byte-identical through the engine, keeping times', async () => {
      const src = join(scratch, 'tree');
      const files: Record<string, Buffer> = {
        'top.txt': Buffer.from('top'),
        'empty.txt': Buffer.alloc(0),
        'one/mid.bin': randomBytesOf(512 * 1024, 'mid'),
        'one/two/deep file.txt': Buffer.from('deep'),
        'one/two/three/ünïcødé 📦.txt': Buffer.from('names'),
      };
      for (const [p, data] of Object.entries(files)) {
        await mkdir(join(src, p, '..'), { recursive: true });
        await writeFile(join(src, p), data);
      }
      const local = new LocalFs(scratch);
      const up = await transfer({
        source: local, sourcePath: 'tree', target: fs, targetPath: 'tree-up', recursive: true,
        policy: 'changed', move: false, dryRun: false, journal: new MemoryResumeJournal(),
      });
      expect(up.failed).toEqual([]);
      expect(up.files).toBe(5);
      const down = await transfer({
        source: fs, sourcePath: 'tree-up', target: local, targetPath: 'tree-down', recursive: true,
        policy: 'changed', move: false, dryRun: false, journal: new MemoryResumeJournal(),
      });
      expect(down.failed).toEqual([]);
      for (const [p, data] of Object.entries(files)) {
        expect((await readFile(join(scratch, 'tree-down', p))).equals(data)).toBe(true);
      }
      if (fs.capabilities.mtimePrecisionMs > 0) {
        const original = (await stat(join(src, 'one/mid.bin'))).mtimeMs;
        const remote = (await fs.stat('tree-up/one/mid.bin'))?.modifiedAt ?? 0;
        expect(Math.abs(remote - original)).toBeLessThan(fs.capabilities.mtimePrecisionMs + 1000);
      }
      const again = await transfer({
        source: local, sourcePath: 'tree', target: fs, targetPath: 'tree-up', recursive: true,
        policy: 'changed', move: false, dryRun: false, journal: new MemoryResumeJournal(),
      });
      expect({ files: again.files, skipped: again.skipped }).toEqual({ files: 0, skipped: 5 });
      expect((await readdir(onDisk())).some((n) => n.endsWith('.ferrypart'))).toBe(false);
    });

    const copyOnce = (over: Partial<TransferRequest>): Promise<TransferSummary> =>
      transfer({ source: fs, sourcePath: '', target: fs, targetPath: '', recursive: false, policy: 'overwrite', move: false, dryRun: false, journal: new MemoryResumeJournal(), ...over });

    it('refuses to copy or move a file onto itself, however the target is spelled, and keeps it', async () => {
      await put('self.txt', 'the only copy');
      const spellings: Array<[string, string]> = [['self.txt', 'self.txt'], ['self.txt', '/'], ['self.txt', '']];
      for (const [sourcePath, targetPath] of spellings) {
        for (const move of [false, true]) {
          const s = await copyOnce({ sourcePath, targetPath, move });
          const self = locationOf(fs, 'self.txt');
          expect(s.failed.map((f) => [f.kind, f.reason])).toEqual([['validation', `${self} and ${self} are the same file: a file cannot be ${move ? 'moved' : 'copied'} onto itself`]]);
        }
      }
      expect((await get('self.txt')).toString()).toBe('the only copy');
      if (features.resolvesLinks && fx.localPath !== undefined) {
        await symlink('.', join(fx.localPath, 'alias'));
        const s = await copyOnce({ sourcePath: 'self.txt', targetPath: 'alias/self.txt', move: true });
        expect(s.failed.map((f) => f.kind)).toEqual(['validation']);
        expect((await get('self.txt')).toString()).toBe('the only copy');
        await rm(join(fx.localPath, 'alias'));
      }
    });

    it('tells a changed file of the same size from an unchanged one, and skips only the unchanged', async () => {
      const local = new LocalFs(scratch);
      const written = new MemoryWrittenFiles();
      const send = (): Promise<TransferSummary> =>
        transfer({ source: local, sourcePath: 'orders.csv', target: fs, targetPath: 'orders.csv', recursive: false, policy: 'changed', move: false, dryRun: false, journal: new MemoryResumeJournal(), written });
      await writeFile(join(scratch, 'orders.csv'), 'id,total\n1,100\n');
      const old = new Date(Date.UTC(2025, 0, 1));
      await utimes(join(scratch, 'orders.csv'), old, old);
      expect((await send()).files).toBe(1);
      const again = await send();
      expect(again.items.map((i) => i.status)).toEqual(['skipped']);
      expect(again.items[0]?.reason).toMatch(/^unchanged: /);
      const listed = (await fs.list('')).find((e) => e.name === 'orders.csv');
      if (listed?.details?.['version'] !== undefined) expect(listed.details['version']).toBe('1');
      // The partner regenerates the file: same size, new content, a later time.
      await writeFile(join(scratch, 'orders.csv'), 'id,total\n1,900\n');
      const later = new Date(Date.UTC(2025, 0, 2));
      await utimes(join(scratch, 'orders.csv'), later, later);
      const changed = await send();
      expect(changed.items.map((i) => [i.status, i.reason?.startsWith('changed: ')])).toEqual([['copied', true]]);
      expect((await get('orders.csv')).toString()).toBe('id,total\n1,900\n');
    });

    if (features.resume) it('resumes only onto the beginning of the same file, through a partial, never into the user\'s file', async () => {
      const data = randomBytesOf(400_000, 'resume-me');
      await writeFile(join(scratch, 'resume.bin'), data);
      const resume = (targetPath: string): Promise<TransferSummary> =>
        transfer({ source: new LocalFs(scratch), sourcePath: 'resume.bin', target: fs, targetPath, recursive: false, policy: 'resume', move: false, dryRun: false, journal: new MemoryResumeJournal() });

      await put('other.bin', randomBytesOf(150_000, 'someone else'));
      const refused = await resume('other.bin');
      expect(refused.failed.map((f) => f.kind)).toEqual(['exists']);
      expect(refused.failed[0]?.reason).toMatch(/other\.bin is not the beginning of resume\.bin .*left as it is/);
      expect((await get('other.bin')).equals(randomBytesOf(150_000, 'someone else'))).toBe(true);

      await put('half.bin', data.subarray(0, 150_000));
      const resumed = await resume('half.bin');
      expect(resumed.failed).toEqual([]);
      expect(resumed.items[0]).toMatchObject({ status: 'copied', resumedFrom: 150_000 });
      expect(resumed.items[0]?.verifiedBy?.length).toBe(2);
      expect((await get('half.bin')).equals(data)).toBe(true);
      expect((await fs.list('')).filter((e) => e.name.endsWith('.ferrypart'))).toEqual([]);
    });

    if (features.resume && features.rename) it('never publishes a partial file that was tampered with before it was resumed', async () => {
      const size = 3 * MB;
      const data = randomBytesOf(size, 'tamper');
      await writeFile(join(scratch, 'tamper.bin'), data);
      const journal = new MemoryResumeJournal();
      const source = new FaultyFs(new LocalFs(scratch), { cutReadsAfter: { bytes: MB + 4321, times: 1 } });
      const request = { source, sourcePath: 'tamper.bin', target: fs, targetPath: 'tamper.bin', recursive: false, policy: 'overwrite' as const, move: false, dryRun: false, journal };
      const cut = await transfer({ ...request, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
      expect(cut.failed.map((f) => f.kind)).toEqual(['network']);
      const partial = (await fs.list('')).find((e) => e.name.startsWith('tamper.bin') && e.name.endsWith('.ferrypart'));
      expect(partial?.size).toBeGreaterThan(0);
      const kept = await get(partial?.path ?? '');
      kept[kept.length - 100] = (kept[kept.length - 100] ?? 0) ^ 0xff;
      await fs.write(partial?.path ?? '', Readable.from([kept]));

      const done = await transfer(request);
      expect(done.failed).toEqual([]);
      expect(done.items[0]?.resumedFrom).toBe(0);
      expect(await sha256Of(await fs.read('tamper.bin'))).toBe(await sha256Of(Readable.from([data])));
    });

    it('moves 200 MB up and down with flat memory and identical bytes', async () => {
      const size = 200 * MB;
      await writeFileFromStream(join(scratch, 'big.bin'), randomStream(size, 'big'));
      const expected = await sha256OfFile(join(scratch, 'big.bin'));
      const local = new LocalFs(scratch);
      const { result: up, growthBytes: upGrowth } = await peakRssGrowth(() =>
        transfer({
          source: local, sourcePath: 'big.bin', target: fs, targetPath: 'big.bin', recursive: false,
          policy: 'overwrite', move: false, dryRun: false, journal: new MemoryResumeJournal(),
        }),
      );
      expect(up.failed).toEqual([]);
      expect(await sha256Of(await fs.read('big.bin'))).toBe(expected);
      const { result: down, growthBytes: downGrowth } = await peakRssGrowth(() =>
        transfer({
          source: fs, sourcePath: 'big.bin', target: local, targetPath: 'big-back.bin', recursive: false,
          policy: 'overwrite', move: false, dryRun: false, journal: new MemoryResumeJournal(),
        }),
      );
      expect(down.failed).toEqual([]);
      expect(await sha256OfFile(join(scratch, 'big-back.bin'))).toBe(expected);
      // Streaming end to end: memory must not grow with the file (200 MB), only by buffers.
      expect(Math.max(upGrowth, downGrowth)).toBeLessThan(96 * MB);
      await rm(join(scratch, 'big-back.bin'));
      await fs.remove('big.bin');
    });

    it('cancels a running copy and removes its partial file', async () => {
      await writeFileFromStream(join(scratch, 'cancel.bin'), randomStream(64 * MB, 'cancel'));
      const stats = new TransferStats();
      const abort = new AbortController();
      const watcher = setInterval(() => {
        if (stats.snapshot().bytesDone > 2 * MB) abort.abort();
      }, 5);
      const result = await transfer({
        source: new LocalFs(scratch), sourcePath: 'cancel.bin', target: fs, targetPath: 'cancel.bin',
        recursive: false, policy: 'overwrite', move: false, dryRun: false, journal: new MemoryResumeJournal(),
        stats, signal: abort.signal,
      }).finally(() => clearInterval(watcher));
      expect(result.failed.map((f) => f.kind)).toEqual(['cancelled']);
      expect(await fs.stat('cancel.bin')).toBeUndefined();
      const leftovers = (await fs.list('')).filter((e) => e.name.startsWith('cancel.bin'));
      expect(leftovers).toEqual([]);
    });
  });
}

async function writeFileFromStream(path: string, data: Readable): Promise<void> {
  await pipeline(data, createWriteStream(path));
}
