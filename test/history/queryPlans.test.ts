import { describe, expect, it } from 'vitest';
import {
  ABANDONABLE_RUNS_SQL,
  DELETE_RUNS_BEYOND_NEWEST_SQL,
  DELETE_RUNS_STARTED_BEFORE_SQL,
  itemsPageSql,
  RUNNING_RUNS_SQL,
  runsPageSql,
  SEARCH_NAMES_SQL,
  SEARCH_SHORT_NAMES_SQL,
  searchPageSql,
  TRAIL_QUARANTINE_SQL,
  TRAIL_VALIDATIONS_SQL,
  trailPageSql,
} from '../../src/history/queries.js';
import { quarantineListSql, RUNNING_RUN_OF_JOB_SQL, TAKEN_FILES_SQL } from '../../src/history/JobJournal.js';
import { indexedPhrase } from '../../src/history/indexedPhrase.js';
import { RETURNED_UNDER_KEY_SQL, validationLogSql } from '../../src/history/validationLogSql.js';
import type { ItemsPageQuery, RunId, RunsPageQuery } from '../../src/history/records.js';
import { DAY, expectIndexed, NOW, plannedHistory } from './queryPlanHistory.js';

// Five items a run; every twentieth run takes a file, holds one and passes one.
const history = plannedHistory({
  items: ['copied', 'copied', 'moved', 'skipped', 'failed'],
  everyTwentieth: (store, run, r) => {
    const journal = store.journal();
    journal.takeFiles(`job-${r % 20}`, [{ sourcePath: `in/${r}.csv`, fingerprint: '1:2' }], 'done', run);
    journal.hold({ job: `job-${r % 7}`, file: `in/${r}.csv`, partner: `partner-${r % 5}`, location: '/q', reasons: [{ rule: 'csv', message: 'bad' }] });
    journal.recordPassed({ job: `job-${r % 7}`, file: `in/${r}-ok.csv`, partner: `partner-${r % 5}`, location: '/in', rules: ['name', 'csv'] });
  },
});
const { plan } = history;

/** Every step reaches runs and items through an index or their primary key, and nothing is sorted afterwards. */
const expectRunsAndItemsIndexed = (steps: ReadonlyArray<string>): void => expectIndexed(steps, ['runs', 'items', 'i', 'r']);

describe('the runs page', () => {
  const limit = 50;
  const week = { from: NOW - 14 * DAY, to: NOW - 7 * DAY };

  it.each<[string, RunsPageQuery, string]>([
    ['everything', {}, 'runs_by_started_at'],
    ['one job', { job: 'job-7' }, 'runs_by_job'],
    ['one status', { status: 'failed' }, 'runs_by_status'],
    ['one week', week, 'runs_by_started_at'],
    ['since a date', { from: week.from }, 'runs_by_started_at'],
    ['before a date', { to: week.to }, 'runs_by_started_at'],
    ['one job in one week', { job: 'job-7', ...week }, 'runs_by_job'],
    ['one status in one week', { status: 'failed', ...week }, 'runs_by_status'],
    ['a later page', { before: 2_000 as RunId }, 'runs_by_started_at'],
    ['a later page of one job', { job: 'job-7', before: 2_000 as RunId }, 'runs_by_job'],
    ['a later page of one status in one week', { status: 'failed', ...week, before: 3_700 as RunId }, 'runs_by_status'],
  ])('of %s uses an index that yields newest-first order', (_label, query, index) => {
    const steps = plan(runsPageSql(query), { ...query, limit });
    expectRunsAndItemsIndexed(steps);
    expect(steps[0]).toContain(index);
  });

  it('of unfinished runs uses the status index', () => {
    const steps = plan(RUNNING_RUNS_SQL);
    expectRunsAndItemsIndexed(steps);
    expect(steps[0]).toContain('runs_by_status');
  });

  it('of runs that may have lost their process, read whenever runs are listed, uses an index of running runs', () => {
    const steps = plan(ABANDONABLE_RUNS_SQL);
    expectRunsAndItemsIndexed(steps);
    expect(steps[0]).toMatch(/runs_in_progress|runs_by_status/);
  });
});

describe("a run's items", () => {
  it.each<[string, Omit<ItemsPageQuery, 'limit'>, string]>([
    ['all', {}, 'sqlite_autoindex_items_1'],
    ['a later page', { after: 'out/17/Invoice-17-2.pdf' }, 'sqlite_autoindex_items_1'],
    ['the failed ones', { status: 'failed' }, 'items_by_status'],
    ['a later page of the failed ones', { status: 'failed', after: 'out/17/Invoice-17-2.pdf' }, 'items_by_status'],
  ])('(%s) are read through an index in path order', (_label, query, index) => {
    const steps = plan(itemsPageSql({ ...query, limit: 100 }), { ...query, runId: 17, limit: 100 });
    expectRunsAndItemsIndexed(steps);
    expect(steps[0]).toContain(index);
  });
});

describe('the file-name search', () => {
  it('finds names through the trigram index, then each item and run by primary key', () => {
    const steps = plan(SEARCH_NAMES_SQL, { phrase: '"voice-1234"', limit: 50 });
    // FTS5 describes a MATCH it answers from its index with an "M" in the index string.
    expect(steps[0]).toMatch(/^SCAN n VIRTUAL TABLE INDEX \d+:M/);
    expect(steps).toContain('SEARCH i USING INTEGER PRIMARY KEY (rowid=?)');
    expect(steps).toContain('SEARCH r USING INTEGER PRIMARY KEY (rowid=?)');
    expect(steps.filter((s) => /^SCAN (i|r)\b/.test(s))).toEqual([]);
    // Only the matches are sorted, newest run first: the index cannot order by the run's start.
    expect(steps.at(-1)).toBe('USE TEMP B-TREE FOR ORDER BY');
  });

  it('reads every name for fragments shorter than a trigram, and says so', () => {
    const steps = plan(SEARCH_SHORT_NAMES_SQL, { pattern: '%ab%', limit: 50 });
    expect(steps[0]).toMatch(/^SCAN n VIRTUAL TABLE INDEX \d+:$/);
  });
});

describe("the window's history", () => {
  /** The name index answers the MATCH and hands rows over in its rowid order: nothing is sorted, nothing else is scanned. */
  function expectFromNameIndex(steps: ReadonlyArray<string>): void {
    expect(steps[0], steps.join(' | ')).toMatch(/^SCAN n VIRTUAL TABLE INDEX \d+:M/);
    expect(steps).toContain('SEARCH i USING INTEGER PRIMARY KEY (rowid=?)');
    expect(steps).toContain('SEARCH r USING INTEGER PRIMARY KEY (rowid=?)');
    expectRunsAndItemsIndexed(steps);
  }

  it.each([false, true])('pages a file-name search newest first from the name index (a later page: %s)', (later) => {
    expectFromNameIndex(plan(searchPageSql(later), { phrase: '"voice-1234"', before: 9_000, limit: 100 }));
  });

  it.each([false, true])("pages a file's trail oldest first from the name index (a later page: %s)", (later) => {
    expectFromNameIndex(plan(trailPageSql(later), { phrase: '"Invoice-17-2.pdf"', name: 'Invoice-17-2.pdf', after: 10, limit: 100 }));
  });

  it.each([
    ['validation results', TRAIL_VALIDATIONS_SQL, 'validation_results', 'validation_results_by_item'],
    ['quarantine events', TRAIL_QUARANTINE_SQL, 'quarantine_events', 'quarantine_events_by_item'],
  ])("reads the %s of a trail's items through their index by item", (_label, sql, table, index) => {
    const steps = plan(sql, { ids: '[1,2,3]' });
    expect(steps[0], steps.join(' | ')).toMatch(new RegExp(`^SEARCH ${table} USING INDEX ${index} \\(item_id=\\?\\)`));
    expect(steps.filter((s) => s.startsWith(`SCAN ${table}`))).toEqual([]);
  });
});

describe('retention', () => {
  it('finds old runs, and everything that cascades from them, through indexes', () => {
    const steps = plan(DELETE_RUNS_STARTED_BEFORE_SQL, { cutoff: NOW - 90 * DAY });
    expectRunsAndItemsIndexed(steps);
    expect(steps[0]).toContain('runs_by_started_at');
    // The cascade to items shows up in the plan; the deeper ones are covered by the foreign-key test.
    expect(steps.some((s) => s.startsWith('SEARCH items USING') && s.includes('(run_id=?)'))).toBe(true);
  });

  it('finds the runs beyond the newest ones through the start-time index', () => {
    const steps = plan(DELETE_RUNS_BEYOND_NEWEST_SQL, { keep: 1_000 });
    expect(steps[0]).toContain('runs_by_started_at');
    expect(steps.filter((s) => /^SCAN runs\b(?! USING (COVERING )?INDEX runs_by_started_at)/.test(s))).toEqual([]);
    expect(steps.filter((s) => s.includes('TEMP B-TREE'))).toEqual([]);
  });

  it('has an index behind every foreign key, so deletes never scan a child table', () => {
    const db = history.database();
    const tables = db
      .prepare<[], { name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%REFERENCES%'`)
      .all()
      .map((t) => t.name);
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) {
      const keys = db.prepare<[], { from: string }>(`SELECT "from" FROM pragma_foreign_key_list('${table}')`).all();
      for (const { from } of keys) {
        const steps = plan(`SELECT 1 FROM ${table} WHERE ${from} = @id`, { id: 1 });
        expect(steps.join(' | ')).toMatch(new RegExp(`^SEARCH ${table} USING (COVERING )?INDEX \\w+ \\(${from}=\\?\\)`));
      }
    }
  });
});

describe('what jobs read', () => {
  it('finds the run of a job in progress through the partial index of running runs', () => {
    const steps = plan(RUNNING_RUN_OF_JOB_SQL, { job: 'job-3' });
    expectRunsAndItemsIndexed(steps);
    expect(steps[0]).toContain('runs_in_progress');
  });

  it('reads the files a job took by its primary key', () => {
    const steps = plan(TAKEN_FILES_SQL, { job: 'job-3' });
    expect(steps).toEqual([expect.stringMatching(/^SEARCH job_files USING PRIMARY KEY \(job=\?\)/)]);
  });

  it.each([false, true])('lists the quarantine newest first through its index (one job: %s)', (byJob) => {
    const steps = plan(quarantineListSql(byJob), { state: 'held', job: 'job-3', limit: 50 });
    expect(steps[0]).toMatch(byJob ? /^SEARCH quarantine USING INDEX quarantine_by_job_state \(job=\? AND state=\?\)/ : /^SEARCH quarantine USING INDEX quarantine_by_state \(state=\?\)/);
    expect(steps.filter((s) => s.includes('TEMP B-TREE'))).toEqual([]);
  });
});

describe('the validation log', () => {
  const cursor = { before: { at: NOW - 30 * DAY, id: 100 } };
  const week = { from: NOW - 14 * DAY, to: NOW - 7 * DAY };
  const phrase = indexedPhrase('12-ok');

  it.each<[string, Parameters<typeof validationLogSql>[0], RegExp]>([
    ['everything', {}, /^SCAN q USING INDEX quarantine_by_at\b/],
    ['everything, after a page', cursor, /^SEARCH q USING INDEX quarantine_by_at\b/],
    ['a week', week, /^SEARCH q USING INDEX quarantine_by_at\b/],
    ['one outcome', { state: 'passed' }, /^SEARCH q USING INDEX quarantine_by_state\b/],
    ['one outcome, after a page', { state: 'held', ...cursor }, /^SEARCH q USING INDEX quarantine_by_state\b/],
    ['one job', { job: 'job-3' }, /^SEARCH q USING INDEX quarantine_by_job\b/],
    ['one job in a week, after a page', { job: 'job-3', ...week, ...cursor }, /^SEARCH q USING INDEX quarantine_by_job\b/],
    ['one job and outcome', { job: 'job-3', state: 'returned' }, /^SEARCH q USING INDEX quarantine_by_job_state\b/],
    ['one job and outcome, after a page', { job: 'job-3', state: 'held', ...cursor }, /^SEARCH q USING INDEX quarantine_by_job_state\b/],
    ['one partner', { partner: 'partner-2' }, /^SEARCH q USING INDEX quarantine_by_partner\b/],
    ['one partner in a week, after a page', { partner: 'partner-2', ...week, ...cursor }, /^SEARCH q USING INDEX quarantine_by_partner\b/],
    ['one rule', { rule: 'csv' }, /^SEARCH r USING PRIMARY KEY \(rule=\?/],
    ['one rule, job, partner and outcome in a week, after a page', { rule: 'csv', job: 'job-3', partner: 'partner-2', state: 'held', ...week, ...cursor }, /^SEARCH r USING PRIMARY KEY \(rule=\?/],
    ['a name', { phrase }, /^SCAN n VIRTUAL TABLE INDEX/],
    ['a name with every filter, after a page', { phrase, rule: 'csv', job: 'job-3', partner: 'partner-2', state: 'passed', ...week, ...cursor }, /^SCAN n VIRTUAL TABLE INDEX/],
  ])('pages %s newest first through an index', (_label, query, first) => {
    const steps = plan(validationLogSql(query), {
      job: 'job-3',
      state: 'held',
      partner: 'partner-2',
      rule: 'csv',
      phrase,
      from: week.from,
      to: week.to,
      beforeAt: cursor.before.at,
      beforeId: cursor.before.id,
      limit: 50,
    });
    expect(steps[0], steps.join(' | ')).toMatch(first);
    // Rows the first step yields are read by their key, never by a scan of the log.
    expect(steps.slice(1).filter((s) => /^SCAN /.test(s)), steps.join(' | ')).toEqual([]);
    expect(steps.filter((s) => s.includes('TEMP B-TREE')), steps.join(' | ')).toEqual([]);
  });

  it('finds the returned file a resubmission answers through the index by key', () => {
    const steps = plan(RETURNED_UNDER_KEY_SQL, { job: 'job-3', key: 'name:1.csv' });
    expect(steps[0], steps.join(' | ')).toMatch(/^SEARCH quarantine USING INDEX quarantine_by_key \(job=\? AND match_key=\?\)/);
    expect(steps.filter((s) => s.includes('TEMP B-TREE')), steps.join(' | ')).toEqual([]);
  });
});
