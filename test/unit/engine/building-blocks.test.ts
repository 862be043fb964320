import { describe, expect, it } from 'vitest';
import { ClientPool } from '../../../src/connectors/ClientPool.js';
import { TransferError } from '../../../src/connectors/errors.js';
import { normalizeRelative, resolveUnderRoot, unsafeNameReason } from '../../../src/connectors/paths.js';
import { decide, numberedName } from '../../../src/engine/conflict.js';
import { partialPathFor } from '../../../src/engine/copyFile.js';
import { backoffDelay, withRetries } from '../../../src/engine/retry.js';
import { TransferStats } from '../../../src/engine/TransferStats.js';
import { renderProgressLine } from '../../../src/cli/progress.js';
import { fakeFs } from '../../helpers/fakeFs.js';

describe('file-name hygiene', () => {
  it.each([
    ['..', /folder/],
    ['.', /folder/],
    ['a/b', /separator/],
    ['a\\b', /separator/],
    ['nul\0byte', /NUL/],
    ['line\r\nbreak', /line break/],
    ['', /empty/],
  ])('refuses %j', (name, reason) => {
    expect(unsafeNameReason(name)).toMatch(reason);
  });

  it('accepts awkward but safe names', () => {
    for (const n of ['-dash', 'a..b', '...', ' space ', 'ü', '📦', '#%&']) expect(unsafeNameReason(n)).toBeUndefined();
  });

  it('never resolves outside the root', () => {
    expect(resolveUnderRoot('/srv/data', 'a/./b//c/')).toBe('/srv/data/a/b/c');
    expect(resolveUnderRoot('/srv/data', '/abs/looking')).toBe('/srv/data/abs/looking');
    expect(() => resolveUnderRoot('/srv/data', 'a/../../etc')).toThrow(/may not leave the root/);
    expect(() => normalizeRelative('x\ny')).toThrow(TransferError);
  });
});

describe('conflict policies', () => {
  const source = { name: 'f', path: 'f', kind: 'file' as const, size: 10, modifiedAt: 2_000_000 };
  const base = {
    source: { fs: fakeFs(), entry: source },
    target: fakeFs(),
    targetPath: 'f',
    compare: { toleranceMs: 1000 },
    freeName: async () => 'f (1)',
  };

  it('copies when nothing is there, whatever the policy, and says why', async () => {
    expect(await decide('skip', { ...base, existing: undefined })).toEqual({ kind: 'copy', targetPath: 'f', mode: 'new', reason: 'new file' });
  });

  it('"changed" skips the same size and time within the precision, replaces otherwise', async () => {
    expect(await decide('changed', { ...base, existing: { ...source, modifiedAt: 2_000_900 } })).toEqual({ kind: 'skip', reason: 'unchanged: same size and modification time' });
    expect(await decide('changed', { ...base, existing: { ...source, size: 11 } })).toMatchObject({ kind: 'copy', reason: 'changed: sizes differ (10 and 11 bytes)' });
    expect(await decide('changed', { ...base, existing: { ...source, modifiedAt: 9_000_000 } })).toMatchObject({ kind: 'copy', reason: 'changed: modification times differ' });
  });

  it('"resume" appends from the target size, skips complete files, refuses to touch a different one', async () => {
    expect(await decide('resume', { ...base, existing: { ...source, size: 4 } })).toEqual({ kind: 'append', targetPath: 'f', offset: 4, reason: 'resume after byte 4' });
    expect((await decide('resume', { ...base, existing: source })).kind).toBe('skip');
    await expect(decide('resume', { ...base, existing: { ...source, size: 99 } })).rejects.toThrow(/not an interrupted copy of f \(sizes differ \(10 and 99 bytes\)\): it was left as it is/);
  });

  it('never overwrites a folder with a file', async () => {
    expect((await decide('overwrite', { ...base, existing: { ...source, kind: 'dir' } })).kind).toBe('skip');
  });

  it('numbers names as file managers do', () => {
    expect(numberedName('a/report.pdf', 1)).toBe('a/report (1).pdf');
    expect(numberedName('.hidden', 2)).toBe('.hidden (2)');
    expect(numberedName('noext', 3)).toBe('noext (3)');
  });
});

describe('partial names', () => {
  it('is deterministic and stays within 255 bytes for long unicode names', () => {
    expect(partialPathFor('dir/a.pdf')).toBe('dir/a.pdf.ferrypart');
    const long = `${'ü'.repeat(126)}.pdf`;
    const p = partialPathFor(long);
    expect(Buffer.byteLength(p)).toBeLessThanOrEqual(255);
    expect(p).toBe(partialPathFor(long));
    expect(p).not.toBe(partialPathFor(`${'ü'.repeat(125)}x.pdf`));
  });
});

describe('retries', () => {
  const noSleep = async (): Promise<void> => undefined;

  it('retries retryable errors only, and gives up after the attempts', async () => {
    let calls = 0;
    await expect(
      withRetries({ attempts: 3, baseDelayMs: 1, maxDelayMs: 1 }, async () => {
        calls++;
        throw new TransferError('network', 'reset');
      }, { sleep: noSleep }),
    ).rejects.toMatchObject({ kind: 'network' });
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      withRetries({ attempts: 3, baseDelayMs: 1, maxDelayMs: 1 }, async () => {
        calls++;
        throw new TransferError('permission', 'denied');
      }, { sleep: noSleep }),
    ).rejects.toMatchObject({ kind: 'permission' });
    expect(calls).toBe(1);
  });

  it('backs off exponentially, capped, never below what the server asked', () => {
    const policy = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    const e = new TransferError('network', 'x');
    expect(backoffDelay(policy, 1, e, () => 1)).toBe(100);
    expect(backoffDelay(policy, 3, e, () => 1)).toBe(400);
    expect(backoffDelay(policy, 8, e, () => 1)).toBe(1000);
    expect(backoffDelay(policy, 1, e, () => 0)).toBe(50);
    expect(backoffDelay(policy, 1, new TransferError('rateLimited', 'busy', { retryAfterMs: 5000 }), () => 0)).toBe(5000);
  });
});

describe('client pool', () => {
  it('never opens more clients than the budget and queues the rest', async () => {
    let open = 0;
    let peak = 0;
    const pool = new ClientPool<number>({
      maxClients: 2,
      leasesPerClient: 1,
      create: async () => ++open,
      destroy: async () => undefined,
      isBroken: () => false,
    });
    let running = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        pool.use(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
        }),
      ),
    );
    expect(open).toBe(2);
    expect(peak).toBe(2);
    await pool.close();
  });

  it('discards a client that broke and opens a fresh one', async () => {
    const destroyed: number[] = [];
    let n = 0;
    const pool = new ClientPool<number>({
      maxClients: 1,
      leasesPerClient: 1,
      create: async () => ++n,
      destroy: async (c) => {
        destroyed.push(c);
      },
      isBroken: (e) => e instanceof TransferError && e.kind === 'network',
    });
    await expect(pool.use(async () => Promise.reject(new TransferError('network', 'reset')))).rejects.toThrow();
    expect(await pool.use(async (c) => c)).toBe(2);
    expect(destroyed).toEqual([1]);
    await pool.close();
  });

  it('lets a waiting caller give up through its signal', async () => {
    const pool = new ClientPool<number>({ maxClients: 1, leasesPerClient: 1, create: async () => 1, destroy: async () => undefined, isBroken: () => false });
    const held = await pool.acquire();
    const abort = new AbortController();
    const waiting = pool.acquire(abort.signal);
    abort.abort();
    await expect(waiting).rejects.toBeDefined();
    held.release();
    (await pool.acquire()).release();
    await pool.close();
  });
});

describe('progress accounting', () => {
  it('reports bytes, files, rate and ETA from snapshots', () => {
    let now = 0;
    const stats = new TransferStats(() => now);
    stats.plan(2, 1000);
    const m = stats.start('a', 600);
    stats.snapshot();
    now = 1000;
    m.add(600);
    m.finish('done');
    const s = stats.snapshot();
    expect(s).toMatchObject({ filesDone: 1, bytesDone: 600, bytesTotal: 1000, rateBps: 600, etaSeconds: 1 });
    const failed = stats.start('b', 400);
    failed.add(100);
    failed.finish('failed');
    expect(stats.snapshot()).toMatchObject({ filesFailed: 1, bytesTotal: 600, bytesDone: 600 });
    expect(renderProgressLine(stats.snapshot(), 200)).toMatch(/100% 600 B\/600 B .* 2\/2 files, 1 failed/);
  });
});

describe('client pool when connecting fails', () => {
  it('wakes a waiting caller so it can try its own connection', async () => {
    let attempts = 0;
    const pool = new ClientPool<number>({
      maxClients: 1,
      leasesPerClient: 1,
      create: async () => {
        attempts++;
        await new Promise((r) => setTimeout(r, 5));
        if (attempts === 1) throw new TransferError('network', 'refused');
        return attempts;
      },
      destroy: async () => undefined,
      isBroken: () => false,
    });
    const [first, second] = await Promise.allSettled([pool.use(async (c) => c), pool.use(async (c) => c)]);
    expect(first.status).toBe('rejected');
    expect(second).toEqual({ status: 'fulfilled', value: 2 });
    await pool.close();
  });
});

describe('client pool when the server is full', () => {
  it('keeps to the connections it has instead of failing the caller', async () => {
    let opened = 0;
    const full = new TransferError('rateLimited', '421 Too many connections');
    const pool = new ClientPool<number>({
      maxClients: 4,
      leasesPerClient: 1,
      create: async () => {
        if (opened >= 2) throw full;
        return ++opened;
      },
      destroy: async () => undefined,
      isBroken: () => false,
      isServerFull: (e) => e === full,
    });
    const served: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, () =>
        pool.use(async (c) => {
          served.push(c);
          await new Promise((r) => setTimeout(r, 5));
        }),
      ),
    );
    expect(served).toHaveLength(6);
    expect(new Set(served)).toEqual(new Set([1, 2]));
    expect(pool.limit).toBe(2);
    await pool.close();
  });

  it('still fails when the very first connection is refused', async () => {
    const full = new TransferError('rateLimited', '421 Too many connections');
    const pool = new ClientPool<number>({
      maxClients: 2, leasesPerClient: 1, create: async () => Promise.reject(full), destroy: async () => undefined,
      isBroken: () => false, isServerFull: () => true,
    });
    await expect(pool.use(async (c) => c)).rejects.toBe(full);
    await pool.close();
  });
});
