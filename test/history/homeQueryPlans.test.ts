import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/history/HistoryStore.js';
import {
  FILES_PER_DAY_SQL,
  HELD_PER_JOB_SQL,
  LAST_QUARANTINE_ID_SQL,
  LAST_RUN_ID_SQL,
  QUARANTINED_AFTER_SQL,
  RUNS_AFTER_SQL,
  RUNS_BY_IDS_SQL,
  UNRESOLVED_FAILURES_SQL,
} from '../../src/history/HomeQueries.js';
import type { FinishedRunStatus } from '../../src/history/records.js';
import { newRun } from './fixtures.js';

const DAY = 86_400_000;
const RUNS = 4_000;
const NOW = Date.UTC(2025, 5, 1);

let dir: string;
let db: Database.Database;

// The history's query-plan tests for what Home and the attention watch read: 4,000 runs of 20 jobs over
// 200 days, a few items each, and a refused file every twentieth run, filled through the store.
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-home-plans-'));
  const file = join(dir, 'history.db');
  const store = HistoryStore.open(file);
  const outcomes: ReadonlyArray<FinishedRunStatus> = ['succeeded', 'succeeded', 'succeeded', 'partial', 'failed', 'cancelled'];
  for (let r = 0; r < RUNS; r++) {
    const run = store.startRun(newRun({ job: `job-${r % 20}`, startedAt: NOW - (RUNS - r) * (DAY / 20) }));
    store.recordItems(run, [0, 1, 2].map((i) => ({ sourcePath: `out/${r}/Invoice-${r}-${i}.pdf`, stage: 'done', status: 'copied', bytes: 1_000 })));
    if (r < RUNS - 3) store.finishRun(run, { status: outcomes[r % outcomes.length] ?? 'succeeded', files: 3, bytes: 3_000, failed: 0, skipped: 0 });
    if (r % 20 === 0) store.journal().hold({ job: `job-${r % 7}`, file: `in/${r}.csv`, location: '/q', reasons: [{ rule: 'csv', message: 'bad' }] });
  }
  store.close();
  db = new Database(file, { readonly: true });
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `params` are bound by name, as the store binds them. */
function plan(sql: string, params: object = {}): string[] {
  return db
    .prepare<object, { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
    .all(params)
    .map((row) => row.detail);
}

/** Every step reaches runs through an index or their primary key, and nothing is sorted afterwards. */
function expectIndexed(steps: ReadonlyArray<string>): void {
  expect(steps.filter((s) => /^SCAN (runs|r|later)\b(?! USING)/.test(s)), steps.join(' | ')).toEqual([]);
  expect(steps.filter((s) => s.includes('TEMP B-TREE')), steps.join(' | ')).toEqual([]);
}

describe('Home and the attention watch', () => {
  it("finds each job's unresolved failure through the status index, and a later run through the job index", () => {
    const steps = plan(UNRESOLVED_FAILURES_SQL, { since: NOW - 30 * DAY });
    expect(steps[0], steps.join(' | ')).toMatch(/^SEARCH r USING INDEX runs_by_status \(status=\? AND started_at>\?\)/);
    expect(steps.some((s) => /^SEARCH later USING INDEX runs_by_job \(job=\? AND started_at>\?\)/.test(s)), steps.join(' | ')).toBe(true);
    expectIndexed(steps);
  });

  it('counts held files per job reading only the held ones', () => {
    const steps = plan(HELD_PER_JOB_SQL);
    expect(steps[0], steps.join(' | ')).toMatch(/^SEARCH quarantine USING (COVERING )?INDEX \w+ \(state=\?/);
    expect(steps.filter((s) => s.startsWith('SCAN quarantine'))).toEqual([]);
  });

  it('sums each day of the chart from range reads of the runs and the validation log', () => {
    const days = JSON.stringify(Array.from({ length: 30 }, (_, i) => [NOW - (30 - i) * DAY, NOW - (29 - i) * DAY]));
    const steps = plan(FILES_PER_DAY_SQL, { days });
    expect(steps, steps.join(' | ')).toContainEqual(expect.stringMatching(/^SEARCH runs USING (COVERING )?INDEX runs_by_started_at \(started_at>\? AND started_at<\?\)/));
    expect(steps, steps.join(' | ')).toContainEqual(expect.stringMatching(/^SEARCH quarantine USING (COVERING )?INDEX quarantine_by_at \(at>\? AND at<\?\)/));
    expect(steps.filter((s) => /^SCAN (runs|quarantine)\b/.test(s)), steps.join(' | ')).toEqual([]);
  });

  it.each([
    ['runs after the last seen', RUNS_AFTER_SQL, 'runs'],
    ['quarantine entries after the last seen', QUARANTINED_AFTER_SQL, 'quarantine'],
  ])('reads %s by primary key, in its order', (_label, sql, table) => {
    const steps = plan(sql, { after: 3_000, limit: 500 });
    expect(steps, steps.join(' | ')).toEqual([`SEARCH ${table} USING INTEGER PRIMARY KEY (rowid>?)`]);
  });

  it('reads the runs it saw running by primary key', () => {
    const steps = plan(RUNS_BY_IDS_SQL, { ids: '[1,2,3]' });
    expect(steps[0], steps.join(' | ')).toMatch(/^SEARCH runs USING INTEGER PRIMARY KEY \(rowid=\?\)/);
  });

  it.each([LAST_RUN_ID_SQL, LAST_QUARANTINE_ID_SQL])('finds the newest id from the end of the primary key (%s)', (sql) => {
    const steps = plan(sql);
    expect(steps.filter((s) => /^SCAN (runs|quarantine)\b/.test(s) && !s.includes('INDEX')), steps.join(' | ')).toEqual([]);
  });
});
