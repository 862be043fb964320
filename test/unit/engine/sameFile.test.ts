import { describe, expect, it } from 'vitest';
import type { RemoteEntry } from '../../../src/connectors/types.js';
import { memoryKey, sameFile } from '../../../src/engine/sameFile.js';
import { MemoryWrittenFiles } from '../../../src/engine/WrittenFiles.js';
import { fakeFs } from '../../helpers/fakeFs.js';

const file = (over: Partial<RemoteEntry> = {}): RemoteEntry => ({ name: 'orders.csv', path: 'orders.csv', kind: 'file', size: 120, ...over });
const opts = { toleranceMs: 1000 };

describe('one notion of "the target already is this file"', () => {
  it('sizes that differ decide at once, without asking either server', async () => {
    const source = fakeFs();
    const target = fakeFs();
    const verdict = await sameFile({ fs: source, entry: file({ modifiedAt: 5_000 }) }, { fs: target, entry: file({ size: 121 }) }, opts);
    expect(verdict).toEqual({ same: false, reason: 'sizes differ (120 and 121 bytes)' });
    expect([...source.asked, ...target.asked]).toEqual([]);
  });

  it('an equal size with no time and no hash is a change, never "unchanged" (vsftpd: no MLSD, no MDTM answer)', async () => {
    const verdict = await sameFile({ fs: fakeFs(), entry: file({ modifiedAt: 5_000 }) }, { fs: fakeFs(), entry: file() }, opts);
    expect(verdict).toEqual({ same: false, reason: 'only the size is known to match, so the file is treated as changed' });
  });

  it('asks the server for the exact time of a file its listing gave none for (MDTM per candidate)', async () => {
    const target = fakeFs({ stats: { 'orders.csv': file({ modifiedAt: 5_400 }) } });
    const verdict = await sameFile({ fs: fakeFs(), entry: file({ modifiedAt: 5_000 }) }, { fs: target, entry: file() }, opts);
    expect(verdict.same).toBe(true);
    expect(target.asked).toEqual(['stat orders.csv']);
  });

  it('exact times further apart than the precision are a change', async () => {
    const verdict = await sameFile({ fs: fakeFs(), entry: file({ modifiedAt: 5_000 }) }, { fs: fakeFs(), entry: file({ modifiedAt: 9_000 }) }, opts);
    expect(verdict).toEqual({ same: false, reason: 'modification times differ' });
  });

  it('a hash the listing carries (Salesforce) and one computed locally say "same" although the clocks differ', async () => {
    const local = fakeFs({ hashes: { 'orders.csv': 'ABC123' }, hashKinds: ['md5', 'sha256'] });
    const salesforce = fakeFs();
    const verdict = await sameFile(
      { fs: local, entry: file({ modifiedAt: Date.UTC(2025, 0, 1) }) },
      { fs: salesforce, entry: file({ modifiedAt: Date.UTC(2026, 11, 7), hashes: { md5: 'abc123' } }) },
      opts,
    );
    expect(verdict).toEqual({ same: true, reason: 'same MD5 (abc123)' });
    expect(local.asked).toEqual(['hash orders.csv']);
  });

  it('a hash that differs is a change even when size and clock agree loosely', async () => {
    const local = fakeFs({ hashes: { 'orders.csv': 'aaa' }, hashKinds: ['md5'] });
    const verdict = await sameFile({ fs: local, entry: file({ modifiedAt: 1_000 }) }, { fs: fakeFs(), entry: file({ modifiedAt: 90_000, hashes: { md5: 'bbb' } }) }, opts);
    expect(verdict).toEqual({ same: false, reason: 'MD5 differs' });
  });

  it("recognises Ferry's own earlier copy on a server that keeps no times, and only while neither side changed", async () => {
    const source = fakeFs({ description: 'file:///data' });
    const target = fakeFs({ description: 'ftp://partner/in' });
    const written = new MemoryWrittenFiles();
    await written.put(memoryKey(target, 'orders.csv'), { source: memoryKey(source, 'orders.csv'), sourceSize: 120, sourceModifiedAt: 5_000, size: 120, modifiedAt: 77_000 });
    const asWritten = await sameFile({ fs: source, entry: file({ modifiedAt: 5_000 }) }, { fs: target, entry: file({ modifiedAt: 77_000 }) }, { ...opts, written });
    expect(asWritten.same).toBe(true);
    const regenerated = await sameFile({ fs: source, entry: file({ modifiedAt: 6_000 }) }, { fs: target, entry: file({ modifiedAt: 77_000 }) }, { ...opts, written });
    expect(regenerated.same).toBe(false);
    const replacedOnServer = await sameFile({ fs: source, entry: file({ modifiedAt: 5_000 }) }, { fs: target, entry: file({ modifiedAt: 88_000 }) }, { ...opts, written });
    expect(replacedOnServer.same).toBe(false);
  });

  it('--size-only judges by size alone, as asked', async () => {
    const verdict = await sameFile({ fs: fakeFs(), entry: file() }, { fs: fakeFs(), entry: file() }, { ...opts, sizeOnly: true });
    expect(verdict).toEqual({ same: true, reason: 'same size (compared by size only)' });
  });
});
