import { mkdir, readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TransferError } from '../../../src/connectors/errors.js';
import { LocalFs } from '../../../src/connectors/local/LocalFs.js';
import type { RemoteFs } from '../../../src/connectors/types.js';
import { MemoryResumeJournal } from '../../../src/engine/ResumeJournal.js';
import { syncActions } from '../../../src/engine/sync/actions.js';
import { overDeleteLimit, parseMaxDelete } from '../../../src/engine/sync/maxDelete.js';
import { sync, syncSucceeded, type SyncRequest } from '../../../src/engine/sync/sync.js';
import { FaultyFs } from '../../helpers/FaultyFs.js';
import { localFolders, type LocalFolders } from './localFolders.js';

const FAST_RETRY = { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 };

describe('the delete limit', () => {
  it('reads a count or a share of the destination, and refuses anything else naming the option', () => {
    expect(parseMaxDelete('25', '--max-delete')).toEqual({ kind: 'count', count: 25 });
    expect(parseMaxDelete('12.5%', '--max-delete')).toEqual({ kind: 'percent', percent: 12.5 });
    for (const bad of ['ten', '2.5', '150%', '-1', '']) {
      expect(() => parseMaxDelete(bad, '--max-delete')).toThrow(/^--max-delete takes a number of files \(e\.g\. 25\) or a percentage/);
    }
  });

  it('allows exactly the limit and no more', () => {
    expect(overDeleteLimit({ kind: 'count', count: 2 }, 2, 10)).toBeUndefined();
    expect(overDeleteLimit({ kind: 'count', count: 2 }, 3, 10)).toBe('3 files would be deleted, more than the delete limit of 2 files');
    expect(overDeleteLimit({ kind: 'percent', percent: 10 }, 1, 19)).toBeUndefined();
    expect(overDeleteLimit({ kind: 'percent', percent: 10 }, 2, 19)).toBe("2 files would be deleted, more than the delete limit of 10% (1 of the destination's 19 files)");
    expect(overDeleteLimit({ kind: 'percent', percent: 10 }, 2, 20)).toBeUndefined();
    expect(overDeleteLimit(undefined, 1_000, 1_000)).toBeUndefined();
  });
});

describe('sync', () => {
  let folders: LocalFolders;

  beforeEach(async () => {
    folders = await localFolders('ferry-sync-');
  });
  afterEach(() => folders.remove());

  const request = (over: Partial<SyncRequest>): SyncRequest => ({
    source: folders.src,
    sourcePath: '',
    target: folders.dst,
    targetPath: '',
    dryRun: false,
    journal: new MemoryResumeJournal(),
    retry: FAST_RETRY,
    ...over,
  });
  const put = async (side: 'src' | 'dst', files: Record<string, string>): Promise<void> => {
    for (const [p, c] of Object.entries(files)) {
      await mkdir(join(folders.dir, side, p, '..'), { recursive: true });
      await writeFile(join(folders.dir, side, p), c);
    }
  };
  const tree = async (side: string): Promise<string[]> =>
    (await readdir(join(folders.dir, side), { recursive: true, withFileTypes: true })).map((e) => relative(join(folders.dir, side), join(e.parentPath, e.name))).sort();

  it('deletes nothing when a copy fails, and says why', async () => {
    await put('src', { 'new.csv': 'new' });
    await put('dst', { 'old.csv': 'old' });
    const failing = new FaultyFs(folders.dst, { failWrites: new TransferError('permission', 'Permission denied (test)') });
    const s = await sync(request({ target: failing }));
    expect(s.copy.failed.map((f) => f.reason)).toEqual(['Permission denied (test)']);
    expect(s.withheld).toBe('1 file could not be copied, and a sync deletes only once every copy is verified');
    expect(s.deletes).toEqual([expect.objectContaining({ path: 'old.csv', status: 'withheld' })]);
    expect(failing.removed).not.toContain('old.csv');
    expect(syncSucceeded(s)).toBe(false);
    expect(await tree('dst')).toEqual(['old.csv']);
  });

  it('deletes nothing when the source lists a name it refuses: that file is not known to be gone', async () => {
    await put('src', { 'kept.csv': 'kept' });
    await put('dst', { 'kept.csv': 'kept', 'other.csv': 'other' });
    const s = await sync(request({ source: new FaultyFs(folders.src, { hostileNames: ['bad\nname.csv'] }) }));
    expect(s.withheld).toMatch(/^1 file could not be copied/);
    expect(await tree('dst')).toEqual(['kept.csv', 'other.csv']);
  });

  it('never deletes a name the destination lists but Ferry refuses, nor its own partial files', async () => {
    await put('dst', { 'bad\nname.csv': 'partner file', 'big.bin.ferrypart': 'resumable bytes', 'gone.csv': 'gone' });
    const s = await sync(request({}));
    expect(syncSucceeded(s)).toBe(true);
    expect(s.deletes.map((d) => d.path)).toEqual(['gone.csv']);
    expect(await tree('dst')).toEqual(['bad\nname.csv', 'big.bin.ferrypart']);
  });

  it('fails before changing anything when the source folder is missing, never taking it for an empty one', async () => {
    await put('dst', { 'a.csv': 'a' });
    await expect(sync(request({ sourcePath: 'gone' }))).rejects.toMatchObject({ kind: 'notFound' });
    expect(await tree('dst')).toEqual(['a.csv']);
  });

  it('with checksum, keeps a touched but equal file and replaces an edited one whose size and time did not change', async () => {
    await put('src', { 'touched.csv': 'same', 'edited.csv': 'abcd' });
    await put('dst', { 'touched.csv': 'same', 'edited.csv': 'wxyz' });
    const t = new Date('2026-11-02T08:00:00Z');
    await utimes(join(folders.dir, 'src', 'edited.csv'), t, t);
    await utimes(join(folders.dir, 'dst', 'edited.csv'), t, t);
    await utimes(join(folders.dir, 'dst', 'touched.csv'), new Date('2020-01-01Z'), new Date('2020-01-01Z'));
    const byTime = syncActions(await sync(request({ dryRun: true })));
    expect(byTime.find((a) => a.path === 'edited.csv')?.action).toBe('unchanged');
    const s = await sync(request({ checksum: true }));
    const actions = syncActions(s);
    const touched = actions.find((a) => a.path === 'touched.csv');
    expect(touched?.action).toBe('unchanged');
    expect(touched?.reason).toMatch(/^unchanged: same MD5/);
    expect(actions.find((a) => a.path === 'edited.csv')).toMatchObject({ action: 'replace', status: 'done', reason: 'changed: MD5 differs' });
    expect(await readFile(join(folders.dir, 'dst', 'edited.csv'), 'utf8')).toBe('abcd');
  });

  it('keeps a folder that holds a name it leaves alone, and removes the folders the source no longer has', async () => {
    await put('src', { 'a.csv': 'a' });
    await put('dst', { 'a.csv': 'a', 'gone/deep/x.csv': 'x', 'drafts/keep.tmp': 'draft', 'drafts/old.csv': 'old' });
    const s = await sync(request({ select: (path) => !path.endsWith('.tmp') }));
    expect(syncSucceeded(s)).toBe(true);
    expect(await tree('dst')).toEqual(['a.csv', 'drafts', 'drafts/keep.tmp']);
    expect(s.deletes.filter((d) => d.kind === 'dir').map((d) => d.path)).toEqual(['gone/deep', 'gone']);
  });

  it('on a destination that ignores case, never deletes the file it has just copied under another spelling', async () => {
    await put('src', { 'Orders/a.csv': 'a' });
    await put('dst', { 'orders/A.csv': 'old a', 'orders/b.csv': 'b' });
    const caseless = new FaultyFs(folders.dst, {});
    Object.defineProperty(caseless, 'capabilities', { value: { ...folders.dst.capabilities, caseInsensitive: true } });
    const s = await sync(request({ target: caseless }));
    expect(s.deletes.map((d) => d.path)).toEqual(['orders/b.csv']);
    expect(await tree('dst')).toContain('orders/A.csv');
  });

  it('refuses overlapping folders, and a backup folder inside the mirror or where nothing can be renamed', async () => {
    const disk = new LocalFs(folders.dir);
    await put('src', { 'a.csv': 'a' });
    await expect(sync(request({ source: disk, target: disk, sourcePath: 'src', targetPath: 'src/mirror' }))).rejects.toThrow(/overlap: a sync's source and destination must be separate folders/);
    await expect(sync(request({ source: disk, target: disk, sourcePath: 'src', targetPath: 'dst', backupPath: 'dst/old' }))).rejects.toThrow(/The backup folder .* overlaps the destination/);
    const noRename: RemoteFs = Object.assign(Object.create(folders.dst) as RemoteFs, { rename: undefined, capabilities: { ...folders.dst.capabilities, rename: false } });
    await expect(sync(request({ backupPath: '../x' }))).rejects.toThrow(/may not leave the root/);
    await expect(sync(request({ target: noRename, targetPath: 'in', backupPath: 'old' }))).rejects.toThrow(/cannot rename files, so it cannot keep a backup folder/);
    expect(await tree('dst')).toEqual([]);
  });
});
