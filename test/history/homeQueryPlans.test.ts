import { describe, expect, it } from 'vitest';
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
import { DAY, expectIndexed, NOW, plannedHistory } from './queryPlanHistory.js';

// The history's query-plan tests for what Home and the attention watch read: a few items a run, and a
// refused file every twentieth run.
const { plan } = plannedHistory({
  items: ['copied', 'copied', 'copied'],
  everyTwentieth: (store, _run, r) => {
    store.journal().hold({ job: `job-${r % 7}`, file: `in/${r}.csv`, location: '/q', reasons: [{ rule: 'csv', message: 'bad' }] });
  },
});

describe('Home and the attention watch', () => {
  it("finds each job's unresolved failure through the status index, and a later run through the job index", () => {
    const steps = plan(UNRESOLVED_FAILURES_SQL, { since: NOW - 30 * DAY });
    expect(steps[0], steps.join(' | ')).toMatch(/^SEARCH r USING INDEX runs_by_status \(status=\? AND started_at>\?\)/);
    expect(steps.some((s) => /^SEARCH later USING INDEX runs_by_job \(job=\? AND started_at>\?\)/.test(s)), steps.join(' | ')).toBe(true);
    // Every step reaches runs through an index or their primary key.
    expectIndexed(steps, ['runs', 'r', 'later']);
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
