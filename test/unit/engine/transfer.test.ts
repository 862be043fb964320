import { readFile, readdir, writeFile, mkdir, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TransferError } from '../../../src/connectors/errors.js';
import { LocalFs } from '../../../src/connectors/local/LocalFs.js';
import { FileResumeJournal, MemoryResumeJournal } from '../../../src/engine/ResumeJournal.js';
import { transfer, type TransferRequest } from '../../../src/engine/transfer.js';
import { FaultyFs } from '../../helpers/FaultyFs.js';
import { randomBytesOf } from '../../helpers/data.js';
import { localFolders, type LocalFolders } from './localFolders.js';

const FAST_RETRY = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

describe('transfer', () => {
  let folders: LocalFolders;

  beforeEach(async () => {
    folders = await localFolders('ferry-engine-');
  });
  afterEach(() => folders.remove());

  const request = (over: Partial<TransferRequest>): TransferRequest => ({
    source: folders.src,
    sourcePath: '',
    target: folders.dst,
    targetPath: '',
    recursive: true,
    policy: 'changed',
    move: false,
    dryRun: false,
    journal: new MemoryResumeJournal(),
    retry: FAST_RETRY,
    ...over,
  });

  const seed = async (files: Record<string, string | Buffer>): Promise<void> => {
    for (const [p, c] of Object.entries(files)) {
      await mkdir(join(folders.dir, 'src', p, '..'), { recursive: true });
      await writeFile(join(folders.dir, 'src', p), c);
    }
  };

  it('sends files that filled a disk together again one at a time, so what fits arrives', async () => {
    const kib = 1024;
    await seed({ 'a.bin': randomBytesOf(40 * kib, 'a'), 'b.bin': randomBytesOf(40 * kib, 'b'), 'c.bin': randomBytesOf(40 * kib, 'c') });
    const small = new FaultyFs(folders.dst, { disk: { capacity: 100 * kib, files: new Map() } });
    const s = await transfer(request({ target: small, concurrency: 3 }));
    expect(s.files).toBe(2);
    expect(s.failed.map((f) => [f.kind, f.reason])).toEqual([['quota', 'No space left (test disk)']]);
    const arrived = (await readdir(join(folders.dir, 'dst'))).sort();
    expect(arrived).toHaveLength(2);
    for (const name of arrived) expect((await readFile(join(folders.dir, 'dst', name))).equals(randomBytesOf(40 * kib, name.slice(0, 1)))).toBe(true);
  });

  it('refuses hostile listed names one by one and copies the rest of the batch', async () => {
    await seed({ 'a.txt': 'a', 'b.txt': 'b' });
    const hostile = new FaultyFs(folders.src, { hostileNames: ['../../etc/passwd', 'evil\r\nDELE x'] });
    const s = await transfer(request({ source: hostile }));
    expect(s.files).toBe(2);
    expect(s.failed.map((f) => f.kind)).toEqual(['unsafeName', 'unsafeName']);
    expect(s.failed[0]?.path).toContain('../../etc/passwd');
    expect((await readdir(join(folders.dir, 'dst'))).sort()).toEqual(['a.txt', 'b.txt']);
    expect((await readdir(folders.dir)).sort()).toEqual(['dst', 'src']);
  });

  it('resumes a cut read from the bytes already on the target and ends byte-identical', async () => {
    const data = randomBytesOf(3_000_000, 'resume');
    await seed({ 'big.bin': data });
    const flaky = new FaultyFs(folders.src, { cutReadsAfter: { bytes: 1_000_000, times: 1 } });
    const s = await transfer(request({ source: flaky, sourcePath: 'big.bin', recursive: false }));
    expect(s.failed).toEqual([]);
    expect(s.items[0]?.resumedFrom).toBe(0);
    // The second read starts where the partial file ends: whatever reached the disk before the cut.
    expect(flaky.readOffsets[0]).toBe(0);
    expect(flaky.readOffsets[1]).toBeGreaterThan(0);
    expect(flaky.readOffsets[1]).toBeLessThanOrEqual(1_000_000);
    expect((await readFile(join(folders.dir, 'dst', 'big.bin'))).equals(data)).toBe(true);
  });

  it('resumes across a process restart from the partial file the journal vouches for', async () => {
    const data = randomBytesOf(2_500_000, 'restart');
    await seed({ 'doc.pdf': data });
    const journalDir = join(folders.dir, 'journal');
    const flaky = new FaultyFs(folders.src, { cutReadsAfter: { bytes: 1_048_576, times: 5 } });
    const first = await transfer(
      request({ source: flaky, sourcePath: 'doc.pdf', recursive: false, journal: new FileResumeJournal(journalDir), retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }),
    );
    expect(first.failed.map((f) => f.kind)).toEqual(['network']);
    const partial = await stat(join(folders.dir, 'dst', 'doc.pdf.ferrypart'));
    expect(partial.size).toBeGreaterThan(0);
    // A new process: fresh connector objects, the same journal folder on disk.
    const second = await transfer(
      request({ source: new LocalFs(join(folders.dir, 'src')), sourcePath: 'doc.pdf', recursive: false, journal: new FileResumeJournal(journalDir) }),
    );
    expect(second.failed).toEqual([]);
    expect(second.items[0]?.resumedFrom).toBe(partial.size);
    expect((await readFile(join(folders.dir, 'dst', 'doc.pdf'))).equals(data)).toBe(true);
    expect(await readdir(join(folders.dir, 'dst'))).toEqual(['doc.pdf']);
    expect(await readdir(journalDir)).toEqual([]);
  });

  it('starts over when the partial file belongs to a different version of the source', async () => {
    await seed({ 'doc.pdf': 'version two, longer than before' });
    await writeFile(join(folders.dir, 'dst', 'doc.pdf.ferrypart'), 'stale bytes');
    const s = await transfer(request({ sourcePath: 'doc.pdf', recursive: false, journal: new MemoryResumeJournal() }));
    expect(s.items[0]?.resumedFrom).toBe(0);
    expect(await readFile(join(folders.dir, 'dst', 'doc.pdf'), 'utf8')).toBe('version two, longer than before');
  });

  it('catches a truncated upload by size and publishes nothing', async () => {
    await seed({ 'x.bin': randomBytesOf(10_000, 'trunc') });
    const s = await transfer(request({ target: new FaultyFs(folders.dst, { truncateWrites: true }), sourcePath: 'x.bin', recursive: false }));
    expect(s.failed).toEqual([expect.objectContaining({ kind: 'integrity', path: 'x.bin' })]);
    expect(s.failed[0]?.reason).toMatch(/source has 10000 bytes, the target 9999/);
    expect(await readdir(join(folders.dir, 'dst'))).toEqual([]);
  });

  it('verifies by hash where the target can hash', async () => {
    await seed({ 'h.txt': 'hash me' });
    const s = await transfer(request({ sourcePath: 'h.txt', recursive: false }));
    expect(s.items[0]?.verifiedBy).toEqual(['size', 'md5']);
  });

  it('stops the whole batch on a fatal error instead of failing every file slowly', async () => {
    await seed({ 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c' });
    const denied = new FaultyFs(folders.dst, { failWrites: new TransferError('auth', 'Login incorrect') });
    const s = await transfer(request({ target: denied, concurrency: 1 }));
    expect(s.failed.length).toBe(3);
    expect(s.failed.map((f) => f.kind)).toEqual(['auth', 'auth', 'auth']);
    expect(s.failed[2]?.reason).toMatch(/not attempted: Login incorrect/);
  });

  it('moves: removes each source only after its copy is verified', async () => {
    await seed({ 'ok.txt': 'fine', 'sub/also.txt': 'fine too' });
    const s = await transfer(request({ move: true }));
    expect(s.items.map((i) => i.status)).toEqual(['moved', 'moved']);
    expect(await readdir(join(folders.dir, 'src'))).toEqual([]);
    expect(await readFile(join(folders.dir, 'dst', 'sub', 'also.txt'), 'utf8')).toBe('fine too');
  });

  it('keeps the source when a move fails verification', async () => {
    await seed({ 'keep.txt': 'precious' });
    const s = await transfer(request({ move: true, target: new FaultyFs(folders.dst, { truncateWrites: true }) }));
    expect(s.failed.length).toBe(1);
    expect(await readFile(join(folders.dir, 'src', 'keep.txt'), 'utf8')).toBe('precious');
  });

  it('changes nothing in a dry run and says what it would do', async () => {
    await seed({ 'new.txt': 'n', 'same.txt': 's' });
    await transfer(request({ sourcePath: 'same.txt', recursive: false }));
    const s = await transfer(request({ dryRun: true }));
    expect(s.items.map((i) => [i.source, i.status, i.reason])).toEqual([
      ['new.txt', 'planned', 'new file'],
      ['same.txt', 'skipped', 'unchanged: same size and modification time'],
    ]);
    expect(await readdir(join(folders.dir, 'dst'))).toEqual(['same.txt']);
  });

  it('applies conflict policies: skip, rename, newer, resume', async () => {
    await seed({ 'f.txt': 'new content' });
    await writeFile(join(folders.dir, 'dst', 'f.txt'), 'old');
    const one = { sourcePath: 'f.txt', recursive: false } as const;
    expect((await transfer(request({ ...one, policy: 'skip' }))).skipped).toBe(1);
    await transfer(request({ ...one, policy: 'rename' }));
    await transfer(request({ ...one, policy: 'rename' }));
    expect((await readdir(join(folders.dir, 'dst'))).sort()).toEqual(['f (1).txt', 'f (2).txt', 'f.txt']);
    const past = new Date('2020-01-01T00:00:00Z');
    await utimes(join(folders.dir, 'src', 'f.txt'), past, past);
    expect((await transfer(request({ ...one, policy: 'newer' }))).skipped).toBe(1);
    await writeFile(join(folders.dir, 'dst', 'f.txt'), 'new con');
    const resumed = await transfer(request({ ...one, policy: 'resume' }));
    expect(resumed.items[0]?.resumedFrom).toBe(7);
    expect(await readFile(join(folders.dir, 'dst', 'f.txt'), 'utf8')).toBe('new content');
  });

  it('puts a single file into an existing folder under its own name', async () => {
    await seed({ 'one.txt': '1' });
    await mkdir(join(folders.dir, 'dst', 'inbox'));
    await transfer(request({ sourcePath: 'one.txt', targetPath: 'inbox', recursive: false }));
    await transfer(request({ sourcePath: 'one.txt', targetPath: 'renamed.txt', recursive: false }));
    expect(await readdir(join(folders.dir, 'dst', 'inbox'))).toEqual(['one.txt']);
    expect(await readFile(join(folders.dir, 'dst', 'renamed.txt'), 'utf8')).toBe('1');
  });

  it('requires --recursive for a folder and names a missing source', async () => {
    await seed({ 'd/x.txt': 'x' });
    await expect(transfer(request({ sourcePath: 'd', recursive: false }))).rejects.toThrow(/--recursive/);
    await expect(transfer(request({ sourcePath: 'missing' }))).rejects.toMatchObject({ kind: 'notFound' });
  });
});
