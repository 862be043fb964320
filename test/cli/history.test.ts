import { spawn } from 'node:child_process';
import { existsSync, readFileSync, truncateSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { HistoryStore } from '../../src/history/HistoryStore.js';
import type { RunId } from '../../src/history/records.js';
import { makeScratch } from '../conformance/scratch.js';
import { FORWARD, startFaultProxy } from '../helpers/faultProxy.js';
import { runFerry } from '../helpers/runFerry.js';
import { corruptLeafOf, historyWithManyItems } from '../history/fixtures.js';

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

describe('a history that cannot be used: Ferry says so, naming the file and the way out, and changes nothing', () => {
  let home: string;
  let work: string;
  let historyFile: string;
  const NOT_A_DATABASE = 'this was never a SQLite database\n'.repeat(100);

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-damaged-home-'));
    work = await mkdtemp(join(tmpdir(), 'ferry-damaged-work-'));
    historyFile = join(home, 'history.db');
    await mkdir(join(work, 'in'));
    await writeFile(join(work, 'in', 'a.txt'), 'a');
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  /** One line on standard error, naming the file and the command that starts a new history; no stack trace. */
  const expectOneClearLine = (err: string, problem: RegExp): void => {
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain(historyFile);
    expect(err).toMatch(problem);
    expect(err).toContain('ferry history reset');
    expect(err).not.toMatch(/^\s+at /m);
  };

  it('ferry copy and ferry run refuse a damaged history before they touch any file, and ferry history reset keeps it aside', async () => {
    await writeFile(historyFile, NOT_A_DATABASE);
    await writeFile(join(work, 'job.yaml'), `version: 1\nname: nightly\nsource:\n  location: ${join(work, 'in')}\narrival:\n  stableFor: 0s\nroutes:\n  - name: out\n    to: ${join(work, 'out')}/\n`);

    const copy = await runFerry(home, ['copy', join(work, 'in', 'a.txt'), join(work, 'out', 'a.txt')]);
    expect(copy.code).toBe(2);
    expectOneClearLine(copy.err, /is damaged: file is not a database/);
    const run = await runFerry(home, ['run', join(work, 'job.yaml')]);
    expect(run.code).toBe(2);
    expectOneClearLine(run.err, /is damaged: file is not a database/);
    expect(existsSync(join(work, 'out'))).toBe(false);
    expect(readFileSync(historyFile, 'utf8')).toBe(NOT_A_DATABASE);

    const reset = await runFerry(home, ['history', 'reset']);
    expect(reset.code, reset.err).toBe(0);
    const [kept] = (await readdir(home)).filter((f) => f.startsWith('history.db.damaged-'));
    expect(kept).toBeDefined();
    expect(readFileSync(join(home, kept ?? ''), 'utf8')).toBe(NOT_A_DATABASE);
    expect(reset.out).toContain(join(home, kept ?? ''));
    expect(reset.out).toMatch(/numbers start again/);

    expect((await runFerry(home, ['copy', join(work, 'in', 'a.txt'), join(work, 'out', 'a.txt')])).code).toBe(0);
    expect(JSON.parse((await runFerry(home, ['history', '--json'])).out)).toEqual([expect.objectContaining({ job: 'copy', status: 'succeeded' })]);
    expect((await runFerry(home, ['history', 'reset'])).out).toMatch(/is in order; nothing was changed/);
  });

  it('a history emptied to 0 bytes is refused rather than started again', async () => {
    expect((await runFerry(home, ['copy', join(work, 'in', 'a.txt'), join(work, 'out', 'a.txt')])).code).toBe(0);
    truncateSync(historyFile, 0);

    const copy = await runFerry(home, ['copy', join(work, 'in', 'a.txt'), join(work, 'again', 'a.txt')]);

    expect(copy.code).toBe(2);
    expectOneClearLine(copy.err, /is empty \(0 bytes\)/);
    expect(readFileSync(historyFile)).toHaveLength(0);
    expect(existsSync(join(work, 'again'))).toBe(false);
  });

  it('damage found while reading is reported the same way', async () => {
    const run = historyWithManyItems(historyFile);
    corruptLeafOf(historyFile, 'items');

    const read = await runFerry(home, ['history', '--run', String(run), '--limit', '5000']);

    expect(read.code).toBe(2);
    expectOneClearLine(read.err, /is damaged: database disk image is malformed/);
  });
});

describe('a ferry copy killed with SIGKILL', () => {
  const server = inject('servers').ftp['vsftpd-plain'];
  let home: string;
  let work: string;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-killed-home-'));
    work = await mkdtemp(join(tmpdir(), 'ferry-killed-work-'));
    await mkdir(join(work, 'out'));
    await writeFile(join(work, 'out', 'a.txt'), 'a');
    await writeFile(join(work, 'out', 'b.txt'), 'b');
    await writeFile(join(work, 'out', 'big.bin'), Buffer.alloc(4 * 1024 * 1024, 7));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('is listed as interrupted, with the files it finished, once its process is gone', async () => {
    const scratch = await makeScratch(server.home, 'history-killed');
    // Every upload's data connection goes quiet after 64 KB: the small files arrive, the big one never does.
    const proxy = await startFaultProxy({
      targetHost: server.host,
      targetPort: server.port,
      plan: () => FORWARD,
      ftpDataPlan: () => ({ kind: 'stall', direction: 'toServer', afterBytes: 64 * 1024 }),
    });
    try {
      const url = `ftp://${server.user}@127.0.0.1:${proxy.port}${posix.join(server.loginDir, scratch.name)}`;
      const added = await runFerry(home, ['connection', 'add', 'partner', url, '--password-stdin'], `${server.password}\n`);
      expect(added.code, added.err).toBe(0);
      const history = HistoryStore.open(join(home, 'history.db'));
      try {
        const child = spawn(process.execPath, ['bin/ferry.js', 'copy', join(work, 'out'), 'partner:in', '--recursive', '--no-progress'], {
          env: { ...process.env, FERRY_HOME: home },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let err = '';
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
        const copied = (): string[] => {
          const [run] = history.listRuns({ limit: 1 });
          return run === undefined ? [] : history.runItems(run.id, { limit: 10, status: 'copied' }).map((i) => i.sourcePath);
        };
        while (copied().length < 2) {
          if (child.exitCode !== null) throw new Error(`ferry copy ended on its own: ${err}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        expect(history.listRuns()).toEqual([expect.objectContaining({ status: 'running' })]);
        child.kill('SIGKILL');
        expect(await exited).toBe('SIGKILL');
      } finally {
        history.close();
      }

      const runs = JSON.parse((await runFerry(home, ['history', '--json'])).out) as Array<{ id: RunId; status: string; files: number; bytes: number; error?: string }>;
      expect(runs).toEqual([expect.objectContaining({ status: 'interrupted', files: 2, bytes: 2 })]);
      expect(runs[0]?.error).toMatch(/ended before the run finished/);
      const items = JSON.parse((await runFerry(home, ['history', '--run', String(runs[0]?.id), '--json'])).out) as Array<{ sourcePath: string; status: string }>;
      expect(items.map((i) => [i.sourcePath, i.status])).toEqual([
        [join(work, 'out', 'a.txt').slice(1), 'copied'],
        [join(work, 'out', 'b.txt').slice(1), 'copied'],
      ]);
      expect((await runFerry(home, ['history'])).out).toMatch(/copy\s+interrupted/);
    } finally {
      proxy.endStalled();
      await proxy.close();
      await scratch.remove();
    }
  });
});
