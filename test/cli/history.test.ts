import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFerry } from '../helpers/runFerry.js';

describe('ferry history: every copy and move is remembered', () => {
  let home: string;
  let work: string;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-history-home-'));
    work = await mkdtemp(join(tmpdir(), 'ferry-history-work-'));
    await mkdir(join(work, 'in'));
    await writeFile(join(work, 'in', 'INV-1001, "final".pdf'), 'one');
    await writeFile(join(work, 'in', 'orders.csv'), 'a,b\n');
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('lists runs newest first, the files of one run, runs by file name, and CSV', async () => {
    expect((await runFerry(home, ['copy', join(work, 'in'), join(work, 'out'), '--recursive'])).code).toBe(0);
    expect((await runFerry(home, ['copy', join(work, 'in', 'orders.csv'), join(work, 'out', 'orders.csv'), '--conflict', 'skip'])).code).toBe(0);
    expect((await runFerry(home, ['move', join(work, 'missing'), join(work, 'out')])).code).toBe(1);

    const runs = JSON.parse((await runFerry(home, ['history', '--json'])).out) as Array<{ id: number; job: string; status: string; files: number; skipped: number; error?: string }>;
    expect(runs.map((r) => [r.job, r.status, r.files, r.skipped])).toEqual([
      ['move', 'failed', 0, 0],
      ['copy', 'succeeded', 0, 1],
      ['copy', 'succeeded', 2, 0],
    ]);
    expect(runs[0]?.error).toMatch(/Source not found/);

    const failed = JSON.parse((await runFerry(home, ['history', '--status', 'failed', '--json'])).out) as unknown[];
    expect(failed).toHaveLength(1);

    const first = runs[2]?.id ?? 0;
    const items = JSON.parse((await runFerry(home, ['history', '--run', String(first), '--json'])).out) as Array<{ sourcePath: string; status: string }>;
    expect(items.map((i) => i.status)).toEqual(['copied', 'copied']);

    const hits = JSON.parse((await runFerry(home, ['history', '--search', 'ORDERS', '--json'])).out) as Array<{ runId: number; status: string }>;
    expect(hits.map((h) => h.status)).toEqual(['skipped', 'copied']);

    const csv = (await runFerry(home, ['history', '--run', String(first), '--csv'])).out;
    expect(csv).toMatch(/,"[^"\n]*INV-1001, ""final""\.pdf",/);

    const text = (await runFerry(home, ['history', '--limit', '1'])).out;
    expect(text).toMatch(/^#\d+\s.*move\s+failed/);

    const day = (offset: number): string => {
      const d = new Date(Date.now() + offset * 86_400_000);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    };
    const today = JSON.parse((await runFerry(home, ['history', '--since', day(0), '--json'])).out) as unknown[];
    expect(today).toHaveLength(3);
    const before = JSON.parse((await runFerry(home, ['history', '--until', day(0), '--json'])).out) as unknown[];
    expect(before).toEqual([]);
    const wrong = await runFerry(home, ['history', '--since', 'yesterday']);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/--since takes a date such as 2026-11-01/);
  });

  it('refuses a history database from a newer Ferry, naming it, and leaves it alone', async () => {
    const other = await mkdtemp(join(tmpdir(), 'ferry-history-newer-'));
    const db = new Database(join(other, 'history.db'));
    db.pragma('user_version = 999');
    db.close();
    const run = await runFerry(other, ['history']);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/history\.db has schema version 999/);
    const again = new Database(join(other, 'history.db'));
    expect(again.pragma('user_version', { simple: true })).toBe(999);
    again.close();
    await rm(other, { recursive: true, force: true });
  });
});
