import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect } from 'vitest';
import { HistoryStore } from '../../src/history/HistoryStore.js';
import type { FinishedRunStatus, HistoryItemStatus, RunId } from '../../src/history/records.js';
import { newRun } from './fixtures.js';

export const DAY = 86_400_000;
export const RUNS = 4_000;
export const NOW = Date.UTC(2025, 5, 1);

export interface PlannedHistoryFill {
  /** The statuses of each run's items, one item each. */
  readonly items: ReadonlyArray<HistoryItemStatus>;
  /** What else every twentieth run leaves in the journal. */
  readonly everyTwentieth: (store: HistoryStore, run: RunId, r: number) => void;
}

export interface PlannedHistory {
  /** How SQLite would run `sql`, step by step; `params` are bound by name, as the store binds them. */
  readonly plan: (sql: string, params?: object) => string[];
  /** The filled history, opened read-only. */
  readonly database: () => Database.Database;
}

/**
 * Fills a history through the store before the file's tests, so the plans are those of a real history:
 * 4,000 runs of 20 jobs over 200 days, all but the last three finished.
 */
export function plannedHistory(fill: PlannedHistoryFill): PlannedHistory {
  let dir: string;
  let db: Database.Database;
  const outcomes: ReadonlyArray<FinishedRunStatus> = ['succeeded', 'succeeded', 'succeeded', 'partial', 'failed', 'cancelled'];
  const failed = fill.items.filter((s) => s === 'failed').length;
  const skipped = fill.items.filter((s) => s === 'skipped').length;
  const files = fill.items.length - failed;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-history-plans-'));
    const file = join(dir, 'history.db');
    const store = HistoryStore.open(file);
    for (let r = 0; r < RUNS; r++) {
      const run = store.startRun(newRun({ job: `job-${r % 20}`, startedAt: NOW - (RUNS - r) * (DAY / 20) }));
      store.recordItems(
        run,
        fill.items.map((status, i) => ({ sourcePath: `out/${r}/Invoice-${r}-${i}.pdf`, stage: 'done', status, bytes: 1_000 })),
      );
      if (r < RUNS - 3) store.finishRun(run, { status: outcomes[r % outcomes.length] ?? 'succeeded', files, bytes: files * 1_000, failed, skipped });
      if (r % 20 === 0) fill.everyTwentieth(store, run, r);
    }
    store.close();
    db = new Database(file, { readonly: true });
  });

  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  return {
    plan: (sql, params = {}) =>
      db
        .prepare<object, { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all(params)
        .map((row) => row.detail),
    database: () => db,
  };
}

/** Every step reaches the tables named by `aliases` through an index or their primary key, and nothing is sorted afterwards. */
export function expectIndexed(steps: ReadonlyArray<string>, aliases: ReadonlyArray<string>): void {
  const scan = new RegExp(`^SCAN (${aliases.join('|')})\\b(?! USING)`);
  expect(steps.filter((s) => scan.test(s)), steps.join(' | ')).toEqual([]);
  expect(steps.filter((s) => s.includes('TEMP B-TREE')), steps.join(' | ')).toEqual([]);
}
