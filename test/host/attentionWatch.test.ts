import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/history/HistoryStore.js';
import { AttentionWatch } from '../../src/host/AttentionWatch.js';
import { parseJob, type LoadedJob } from '../../src/jobs/definition/loadJob.js';
import { ManualClock } from '../../src/schedule/Clock.js';
import type { AttentionRaised } from '../../src/shared/contract/homeCommands.js';
import { newRun } from '../history/fixtures.js';
import { expectingOrdersJob } from './hourlyJobs.js';

const HOUR = 3_600_000;
/** A Tuesday, 06:00 UTC: the watch starts an hour before the orders are due. */
const START = Date.UTC(2026, 2, 10, 6, 0);

/** A job that expects `orders_*.csv` by `by` (UTC) every day. */
function expectingJob(name: string, by: string): LoadedJob {
  return parseJob(expectingOrdersJob(name, by), `/jobs/${name}.yaml`);
}

/** What the watch sees in a history that other processes write: the window's process reads, "the daemon" writes. */
describe('the attention watch', () => {
  let dir: string;
  let file: string;
  let writer: HistoryStore;
  let reader: HistoryStore | undefined;
  let clock: ManualClock;
  let notices: AttentionRaised[];
  let jobs: LoadedJob[];
  let watch: AttentionWatch;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-attention-'));
    file = join(dir, 'history.db');
    clock = new ManualClock(START);
    notices = [];
    jobs = [];
    reader = undefined;
    writer = HistoryStore.open(file);
    watch = new AttentionWatch({
      historyExists: () => existsSync(file),
      history: () => Promise.resolve((reader ??= HistoryStore.open(file))),
      jobs: () => Promise.resolve(jobs),
      clock,
      notify: (notice) => notices.push(notice),
    });
  });
  afterEach(async () => {
    await watch.stop();
    reader?.close();
    writer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const failedRun = (job: string, error?: string) => {
    const run = writer.startRun(newRun({ job, kind: 'job', startedAt: clock.now() }));
    writer.finishRun(run, { status: 'failed', files: 0, bytes: 0, failed: 2, skipped: 0, finishedAt: clock.now(), ...(error === undefined ? {} : { error }) });
    return run;
  };

  it('tells of a run that failed after it started looking, once, whoever wrote it, and not of what was there before', async () => {
    failedRun('old-failure');
    await watch.look();
    expect(notices).toEqual([]);

    const run = failedRun('inbound', 'the partner server refused the login');
    await watch.look();
    expect(notices).toEqual([
      { id: `failure:${run}`, kind: 'failure', title: 'inbound failed', text: 'the partner server refused the login', at: START, target: { kind: 'run', runId: run } },
    ]);
    await watch.look();
    expect(notices).toHaveLength(1);
  });

  it('tells of a run seen running when it ends badly, and of none that ends well or is a dry run', async () => {
    const before = writer.startRun(newRun({ job: 'nightly', kind: 'job' }));
    await watch.look();
    const during = writer.startRun(newRun({ job: 'orders', kind: 'job' }));
    const preview = writer.startRun(newRun({ job: 'orders', kind: 'job', dryRun: true }));
    await watch.look();
    expect(notices).toEqual([]);

    writer.finishRun(before, { status: 'partial', files: 3, bytes: 30, failed: 1, skipped: 0 });
    writer.finishRun(during, { status: 'succeeded', files: 3, bytes: 30, failed: 0, skipped: 0 });
    writer.finishRun(preview, { status: 'failed', files: 0, bytes: 0, failed: 3, skipped: 0 });
    await watch.look();
    expect(notices.map((n) => [n.title, n.text, n.target])).toEqual([['nightly partly failed', '1 of 4 files failed.', { kind: 'run', runId: before }]]);
  });

  it('tells of files validation refused, one notice per job, leading to the newest entry', async () => {
    await watch.look();
    const journal = writer.journal();
    journal.hold({ job: 'inbound', file: 'ORD-1.csv', location: '/q', reasons: [{ rule: 'csv', message: 'qty must be at least 1' }] });
    const last = journal.hold({ job: 'inbound', file: 'ORD-2.csv', location: '/q', reasons: [{ rule: 'name', message: 'the name does not match' }] });
    const single = journal.hold({ job: 'returns', file: 'RET-9.csv', location: '/q', reasons: [{ rule: 'csv', message: 'no header' }] });
    await watch.look();
    expect(notices.map((n) => [n.kind, n.title, n.text, n.target])).toEqual([
      ['quarantine', 'inbound: 2 files refused', 'ORD-1.csv: qty must be at least 1, and 1 more.', { kind: 'validation', job: 'inbound', entryId: last }],
      ['quarantine', 'returns: RET-9.csv refused', 'no header', { kind: 'validation', job: 'returns', entryId: single }],
    ]);
    await watch.look();
    expect(notices).toHaveLength(2);
  });

  it('tells of an expected file that has not come by its deadline, once, and not of deadlines that passed before it started', async () => {
    jobs = [expectingJob('orders', '07:00'), expectingJob('early', '05:00'), expectingJob('arrived', '07:00')];
    await watch.look();
    writer.journal().takeFile('arrived', 'in/orders_0310.csv', '1:1', 'done', writer.startRun(newRun({ job: 'arrived' })), START + HOUR / 2);
    await clock.set(START + 2 * HOUR);
    await watch.look();
    await watch.look();
    expect(notices).toEqual([
      { id: `sla:orders:orders_*.csv:${START + HOUR}`, kind: 'sla', title: 'orders: orders_*.csv is late', text: 'Nothing matching orders_*.csv arrived by 07:00.', at: START + HOUR, target: { kind: 'job', job: 'orders' } },
    ]);
  });

  it('looks on its own at each interval of its clock, from its start to its stop', async () => {
    watch.start();
    await clock.advance(0);
    failedRun('inbound');
    await clock.advance(3_000);
    expect(notices.map((n) => n.title)).toEqual(['inbound failed']);
    await watch.stop();
    failedRun('outbound');
    await clock.advance(60_000);
    expect(notices.map((n) => n.title)).toEqual(['inbound failed']);
  });

  it('creates no history: everything written to one made later is news', async () => {
    writer.close();
    rmSync(dir, { recursive: true, force: true });
    await watch.look();
    expect(existsSync(file)).toBe(false);
    writer = HistoryStore.open(file);
    failedRun('first');
    await watch.look();
    expect(notices.map((n) => n.title)).toEqual(['first failed']);
  });
});
