import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ferryPaths } from '../../src/config/ferryHome.js';
import type { HistoryStore } from '../../src/history/HistoryStore.js';
import type { CoreHost } from '../../src/host/CoreHost.js';
import { createFerryHost } from '../../src/host/FerryHost.js';
import { ManualClock } from '../../src/schedule/Clock.js';
import type { EventMessage } from '../../src/shared/contract/events.js';
import type { AttentionItem } from '../../src/shared/contract/homeCommands.js';
import { pauseSchedules, setJobEnabled } from '../../src/workspace/jobSwitches.js';
import { Workspace } from '../../src/workspace/Workspace.js';
import { newRun } from '../history/fixtures.js';
import { expectingOrdersJob, hourlyJob } from './hourlyJobs.js';
import { commandCaller, type CallCommand } from './openHost.js';

const HOUR = 3_600_000;
/** A Tuesday, 09:00 UTC: the orders were due at 07:00. */
const NOW = Date.UTC(2026, 2, 10, 9, 0);

/** Home's summary over a real history, jobs folder and job switches, at a time the test chooses. */
describe('the core behind Home', () => {
  let home: string;
  let workspace: Workspace;
  let core: CoreHost;
  let call: CallCommand;
  let history: HistoryStore;
  const clock = new ManualClock(NOW);
  /** Every event the core sent, oldest first. */
  const seen: EventMessage[] = [];

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-home-host-'));
    workspace = new Workspace(ferryPaths({ FERRY_HOME: home }), { FERRY_HOME: home });
    await mkdir(workspace.paths.jobs, { recursive: true });
    await writeFile(join(workspace.paths.jobs, 'inbound.yaml'), expectingOrdersJob('inbound', '07:00'));
    await writeFile(join(workspace.paths.jobs, 'outbound.yaml'), hourlyJob('outbound'));
    await writeFile(join(workspace.paths.jobs, 'broken.yaml'), 'version: 1\nname: [');
    core = createFerryHost({ workspace, host: 'web', version: '0.1.0', clock });
    core.subscribe((m) => seen.push(m));
    call = commandCaller(() => core);
    history = await workspace.history();
  });
  afterAll(async () => {
    await core?.close();
    workspace?.close();
    await rm(home, { recursive: true, force: true });
  });

  const run = (job: string, status: 'succeeded' | 'failed', at: number, files = 3) => {
    const id = history.startRun(newRun({ job, kind: 'job', startedAt: at }));
    history.finishRun(id, { status, files, bytes: files * 10, failed: status === 'failed' ? 1 : 0, skipped: 0, finishedAt: at + 1_000, ...(status === 'failed' ? { error: 'the partner server refused the login' } : {}) });
    return id;
  };
  const attention = async (): Promise<AttentionItem[]> => (await call('home.summary', {})).attention;
  const byKind = async (kind: AttentionItem['kind']): Promise<AttentionItem[]> => (await attention()).filter((a) => a.kind === kind);

  it('lists a failed run with the run to open, until a later run of its job finishes or it is dismissed', async () => {
    const failed = run('inbound', 'failed', NOW - 3 * HOUR);
    const other = run('outbound', 'failed', NOW - 2 * HOUR);
    expect(await byKind('failure')).toEqual([
      expect.objectContaining({ title: 'outbound failed', text: 'the partner server refused the login', action: 'Open the run', target: { kind: 'run', runId: other }, dismissible: true }),
      expect.objectContaining({ title: 'inbound failed', target: { kind: 'run', runId: failed } }),
    ]);
    run('inbound', 'succeeded', NOW - HOUR);
    await call('home.dismiss', { runId: other });
    expect(await byKind('failure')).toEqual([]);
    const again = run('outbound', 'failed', NOW - HOUR / 2);
    expect((await byKind('failure')).map((a) => a.target)).toEqual([{ kind: 'run', runId: again }]);
  });

  it('counts the files held per job, leading to the validation log filtered to the job at its newest entry', async () => {
    const journal = history.journal();
    journal.hold({ job: 'inbound', file: 'ORD-1.csv', location: '/q', reasons: [{ rule: 'csv', message: 'bad' }] }, NOW - HOUR);
    const newest = journal.hold({ job: 'inbound', file: 'ORD-2.csv', location: '/q', reasons: [{ rule: 'csv', message: 'bad' }] }, NOW - HOUR);
    const released = journal.hold({ job: 'outbound', file: 'X.csv', location: '/q', reasons: [{ rule: 'csv', message: 'bad' }] }, NOW - HOUR);
    journal.setQuarantineState(released, 'released');
    expect(await byKind('quarantine')).toEqual([
      expect.objectContaining({ title: '2 files held for inbound', action: 'Open the validation log', target: { kind: 'validation', job: 'inbound', entryId: newest } }),
    ]);
  });

  it('shows an expected file late once its deadline passed, and no more once one arrived', async () => {
    expect(await byKind('sla')).toEqual([
      expect.objectContaining({ title: 'inbound: orders_*.csv is late', text: 'Expected by 07:00; nothing matching it has arrived today.', at: NOW - 2 * HOUR, target: { kind: 'job', job: 'inbound' } }),
    ]);
    await clock.set(NOW - 3 * HOUR);
    expect(await byKind('sla')).toEqual([]);
    await clock.set(NOW);
    history.journal().takeFile('inbound', 'drop/orders_0310.csv', '1:1', 'done', run('inbound', 'succeeded', NOW - HOUR / 4), NOW - HOUR / 4);
    expect(await byKind('sla')).toEqual([]);
  });

  it('shows schedules paused and jobs switched off with what resolves them, and the next runs of those that fire', async () => {
    expect((await call('home.summary', {})).next).toEqual([
      { job: 'inbound', at: NOW + HOUR },
      { job: 'outbound', at: NOW + HOUR },
    ]);
    await setJobEnabled(workspace.paths, 'outbound', false);
    await pauseSchedules(workspace.paths, true);
    const paused = await call('home.summary', {});
    expect(paused.attention.filter((a) => a.kind === 'paused' || a.kind === 'disabled').map((a) => [a.title, a.action, a.target])).toEqual([
      ['Schedules are paused', 'Resume schedules', { kind: 'schedules' }],
      ['outbound is switched off', 'Open Jobs', { kind: 'job', job: 'outbound' }],
    ]);
    expect(paused.next).toEqual([]);
    const before = seen.length;
    await call('home.resumeSchedules', {});
    // The Jobs screen hears of it too, so it no longer shows the schedules paused.
    expect(seen.slice(before).filter((m) => m.event === 'jobs.changed').map((m) => m.payload)).toEqual([{}]);
    const resumed = await call('home.summary', {});
    expect(resumed.attention.filter((a) => a.kind === 'paused')).toEqual([]);
    expect(resumed.next).toEqual([{ job: 'inbound', at: NOW + HOUR }]);
    await setJobEnabled(workspace.paths, 'outbound', true);
  });

  it("lists today's runs newest first and thirty days of files moved and refused, today last", async () => {
    run('outbound', 'succeeded', NOW - 5 * 24 * HOUR, 7);
    const summary = await call('home.summary', {});
    expect(summary.today.length).toBeGreaterThan(0);
    expect(summary.today.every((r) => r.startedAt >= (summary.days.at(-1)?.start ?? Number.NaN))).toBe(true);
    expect(summary.today.map((r) => r.startedAt)).toEqual([...summary.today.map((r) => r.startedAt)].sort((a, b) => b - a));
    expect(summary.days).toHaveLength(30);
    const dayOf = (t: number) => summary.days.filter((d, i) => d.start <= t && t < (summary.days[i + 1]?.start ?? Number.POSITIVE_INFINITY));
    expect(dayOf(NOW - 5 * 24 * HOUR)).toEqual([expect.objectContaining({ moved: 7, refused: 0 })]);
    const today = summary.days.at(-1);
    const todays = summary.today.filter((r) => !r.dryRun).reduce((sum, r) => sum + r.files, 0);
    expect(today?.moved).toBe(todays);
    expect(today?.refused).toBe(3);
  });

  it('refuses to dismiss a run the history does not have, and tests a saved connection afresh', async () => {
    const missing = await core.invoke('home.dismiss', { runId: 999_999 });
    expect(missing.ok ? undefined : missing.error.kind).toBe('notFound');
    // Nothing listens on the discard port: the server is as good as gone.
    await call('connections.add', { name: 'gone-folder', url: 'ftp://nobody@127.0.0.1:9/', password: 'secret', test: false });
    const tested = await call('home.testConnection', { name: 'gone-folder' });
    expect(tested.connected).toBe(false);
    await expect.poll(async () => (await byKind('connection')).map((a) => [a.title, a.target])).toEqual([['gone-folder stopped working', { kind: 'connection', connection: 'gone-folder' }]]);
  });
});
