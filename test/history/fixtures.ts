import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import { HistoryStore } from '../../src/history/HistoryStore.js';
import type { NewRun, RunId } from '../../src/history/records.js';

/** A fresh folder per test, removed afterwards. Call at the top of a describe. */
export function useTempDir(): () => string {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => (dir ??= mkdtempSync(join(tmpdir(), 'ferry-history-')));
}

export function newRun(overrides: Partial<NewRun> = {}): NewRun {
  return { job: 'invoices', kind: 'copy', source: 'partner-ftp:/out', target: 'local:/inbox', dryRun: false, ...overrides };
}

/** A closed history whose one run has a few hundred pages of items; returns the run's id. */
export function historyWithManyItems(file: string): RunId {
  const store = HistoryStore.open(file);
  const run = store.startRun(newRun());
  store.recordItems(run, Array.from({ length: 2_000 }, (_, i) => ({ sourcePath: `out/${String(i).padStart(4, '0')}-${'x'.repeat(200)}.pdf`, stage: 'done', status: 'copied', bytes: 1 })));
  store.finishRun(run, { status: 'succeeded', files: 2_000, bytes: 2_000, failed: 0, skipped: 0 });
  store.close();
  return run;
}

/**
 * Overwrites a leaf page of `table` in a closed database with bytes no b-tree page starts with: the
 * file still opens, and the damage shows only when that table's rows are read.
 */
export function corruptLeafOf(file: string, table: string): void {
  const db = new Database(file, { readonly: true });
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  const leaf = db.prepare<[string], { pageno: number }>(`SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 1`).get(table);
  db.close();
  if (leaf === undefined) throw new Error(`${table} has no second leaf page`);
  const bytes = readFileSync(file);
  bytes.fill(0xff, (leaf.pageno - 1) * pageSize, leaf.pageno * pageSize);
  writeFileSync(file, bytes);
}
