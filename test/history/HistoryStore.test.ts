import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/history/HistoryStore.js';
import type { HistoryItemStatus, ItemUpdate, RunId } from '../../src/history/records.js';
import { newRun, useTempDir } from './fixtures.js';

const DAY = 86_400_000;

let store: HistoryStore | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
});

function memoryStore(): HistoryStore {
  store = HistoryStore.openInMemory();
  return store;
}

function item(sourcePath: string, overrides: Partial<ItemUpdate> = {}): ItemUpdate {
  return { sourcePath, stage: 'done', status: 'copied', bytes: 100, ...overrides };
}

/** Collects what is written, taking its time over each chunk so that the writer has to wait for 'drain'. */
class SlowSink extends Writable {
  text = '';
  constructor() {
    super({ highWaterMark: 64, decodeStrings: false });
  }
  override _write(chunk: string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk;
    setImmediate(done);
  }
}

describe('runs', () => {
  const tempDir = useTempDir();

  it('are recorded as running, then with their outcome', () => {
    const history = memoryStore();
    const id = history.startRun(newRun({ startedAt: 1_000, dryRun: true }));
    expect(history.listRuns()).toEqual([
      expect.objectContaining({ id, job: 'invoices', status: 'running', startedAt: 1_000, dryRun: true, files: 0, finishedAt: undefined }),
    ]);

    history.finishRun(id, { status: 'partial', files: 3, bytes: 300, failed: 1, skipped: 2, error: 'one file failed', finishedAt: 5_000 });

    expect(history.listRuns()[0]).toEqual({
      id,
      job: 'invoices',
      kind: 'copy',
      source: 'partner-ftp:/out',
      target: 'local:/inbox',
      startedAt: 1_000,
      finishedAt: 5_000,
      status: 'partial',
      dryRun: true,
      files: 3,
      bytes: 300,
      failed: 1,
      skipped: 2,
      error: 'one file failed',
    });
  });

  it('cannot be finished when they do not exist', () => {
    const history = memoryStore();
    expect(() => history.finishRun(42 as RunId, { status: 'succeeded', files: 0, bytes: 0, failed: 0, skipped: 0 })).toThrow(/no run 42/);
  });

  it('filter by job, status and start time', () => {
    const history = memoryStore();
    const a = history.startRun(newRun({ job: 'a', startedAt: 10 }));
    const b = history.startRun(newRun({ job: 'b', startedAt: 20 }));
    const c = history.startRun(newRun({ job: 'a', startedAt: 30 }));
    history.finishRun(c, { status: 'failed', files: 0, bytes: 0, failed: 1, skipped: 0 });
    const ids = (runs: ReadonlyArray<{ id: RunId }>): RunId[] => runs.map((r) => r.id);

    expect(ids(history.listRuns())).toEqual([c, b, a]);
    expect(ids(history.listRuns({ job: 'a' }))).toEqual([c, a]);
    expect(ids(history.listRuns({ status: 'running' }))).toEqual([b, a]);
    expect(ids(history.listRuns({ from: 20 }))).toEqual([c, b]);
    expect(ids(history.listRuns({ to: 20 }))).toEqual([a]);
    expect(ids(history.listRuns({ job: 'a', status: 'failed', from: 0, to: 100 }))).toEqual([c]);
    expect(ids(history.listRuns({ limit: 1 }))).toEqual([c]);
  });

  it('page by keyset without gaps or repeats, even when runs start in the same millisecond', () => {
    const history = memoryStore();
    // Runs started out of id order, and many at once, are where keyset paging goes wrong.
    const starts = Array.from({ length: 137 }, (_, i) => 1_000 + ((i * 37) % 23));
    const created = starts.map((startedAt, i) => {
      const job = `job-${i % 3}`;
      return { id: history.startRun(newRun({ job, startedAt })), job, startedAt };
    });
    const newestFirst = [...created].sort((x, y) => y.startedAt - x.startedAt || y.id - x.id);

    for (const job of [undefined, 'job-1']) {
      const want = newestFirst.filter((r) => job === undefined || r.job === job).map((r) => r.id);
      const filter = job === undefined ? {} : { job };
      const seen: RunId[] = [];
      let before: RunId | undefined;
      for (;;) {
        const page = history.listRuns({ ...filter, limit: 10, ...(before === undefined ? {} : { before }) });
        if (page.length === 0) break;
        seen.push(...page.map((r) => r.id));
        before = page.at(-1)?.id;
      }
      expect(seen).toEqual(want);
    }
  });

  it('that were not finished are listed as unfinished, oldest first, also after reopening', () => {
    const file = join(tempDir(), 'history.db');
    store = HistoryStore.open(file);
    const first = store.startRun(newRun({ startedAt: 1 }));
    const done = store.startRun(newRun({ startedAt: 2 }));
    const second = store.startRun(newRun({ startedAt: 3 }));
    store.finishRun(done, { status: 'succeeded', files: 0, bytes: 0, failed: 0, skipped: 0 });
    store.close();

    store = HistoryStore.open(file);
    expect(store.unfinishedRuns().map((r) => r.id)).toEqual([first, second]);
  });
});

describe('runs whose process is gone', () => {
  const tempDir = useTempDir();
  const here = (pid: number): string => `${pid}@${hostname()}`;
  /** The id of a process that has ended. */
  const endedPid = (): number => {
    const { pid } = spawnSync(process.execPath, ['-e', '']);
    if (pid === undefined) throw new Error('no child process');
    return pid;
  };

  it('are listed as interrupted, with the items they recorded, when read', () => {
    const history = memoryStore();
    const owner = here(endedPid());
    const run = history.startRun(newRun({ owner, startedAt: Date.now() }));
    history.recordItems(run, [item('a', { bytes: 10 }), item('b', { status: 'moved', bytes: 5 }), item('c', { status: 'failed' }), item('d', { status: 'skipped' })]);
    const lastBeat = Date.now() + 1;
    history.journal().heartbeat(run, owner, lastBeat);

    const [listed] = history.listRuns();

    // It ended some time after its last heartbeat: that is the last moment anyone knows of.
    expect(listed).toMatchObject({ id: run, status: 'interrupted', files: 2, bytes: 15, failed: 1, skipped: 1, finishedAt: lastBeat });
    expect(listed?.error).toContain(owner);
    expect(history.run(run)?.status).toBe('interrupted');
    expect(history.listRuns({ status: 'interrupted' }).map((r) => r.id)).toEqual([run]);
    expect(history.unfinishedRuns()).toEqual([]);
  });

  it('are marked when the history is opened next', () => {
    const file = join(tempDir(), 'history.db');
    store = HistoryStore.open(file);
    const run = store.startRun(newRun({ owner: here(endedPid()) }));
    store.close();

    store = HistoryStore.open(file);
    const db = new Database(file, { readonly: true });
    expect(db.prepare<[number], { status: string }>('SELECT status FROM runs WHERE id = ?').get(run)).toEqual({ status: 'interrupted' });
    db.close();
  });

  it('on another machine count as gone once they stop beating, and not before', () => {
    const history = memoryStore();
    const quiet = history.startRun(newRun({ owner: '4242@elsewhere', startedAt: Date.now() - DAY }));
    const beating = history.startRun(newRun({ owner: '4243@elsewhere', startedAt: Date.now() - DAY }));
    history.journal().heartbeat(beating, '4243@elsewhere');
    expect(history.run(quiet)?.status).toBe('interrupted');
    expect(history.run(beating)?.status).toBe('running');
  });

  it('stay running while their process lives, and are left to their job when a job will take them over', () => {
    const history = memoryStore();
    const live = history.startRun(newRun({ owner: here(process.pid) }));
    const gone = here(endedPid());
    const claimed = history.journal().claimRun('orders', gone, () => true, () => history.startRun(newRun({ job: 'orders', kind: 'job', owner: gone })));
    const preview = history.startRun(newRun({ job: 'orders', kind: 'job', dryRun: true, owner: gone }));
    expect(history.listRuns().map((r) => [r.id, r.status])).toEqual([
      [preview, 'interrupted'],
      [claimed.runId, 'running'],
      [live, 'running'],
    ]);
    expect(history.journal().claimRun('orders', here(process.pid), () => false, () => history.startRun(newRun()))).toEqual({ runId: claimed.runId, resumed: true });
  });
});

describe('items', () => {
  it('are updated, not duplicated, when a resumed run reports them again', () => {
    const history = memoryStore();
    const run = history.startRun(newRun());
    const first = history.recordItem(run, item('out/a.csv', { stage: 'discovered', status: 'pending', bytes: 0, targetPath: 'in/a.csv' }));
    history.recordItem(run, item('out/a.csv', { stage: 'transferred', status: 'failed', bytes: 40, errorKind: 'network', reason: 'connection lost' }));
    const again = history.recordItem(run, item('out/a.csv', { stage: 'verified', status: 'copied', bytes: 100, verifiedBy: ['size', 'sha256'] }));

    expect(again).toBe(first);
    expect(history.runItems(run, { limit: 10 })).toEqual([
      {
        id: first,
        runId: run,
        sourcePath: 'out/a.csv',
        targetPath: 'in/a.csv',
        stage: 'verified',
        status: 'copied',
        bytes: 100,
        errorKind: undefined,
        reason: undefined,
        verifiedBy: ['size', 'sha256'],
        updatedAt: expect.any(Number) as number,
      },
    ]);
  });

  it('belong to a run that exists', () => {
    const history = memoryStore();
    expect(() => history.recordItem(7 as RunId, item('a'))).toThrow(/FOREIGN KEY/);
  });

  it('page by source path, optionally by status', () => {
    const history = memoryStore();
    const run = history.startRun(newRun());
    const statuses: HistoryItemStatus[] = ['copied', 'failed', 'skipped'];
    history.recordItems(
      run,
      Array.from({ length: 25 }, (_, i) => item(`f${String(i).padStart(2, '0')}`, { status: statuses[i % 3] ?? 'copied' })),
    );
    history.recordItem(history.startRun(newRun()), item('f00'));

    const paths: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = history.runItems(run, { limit: 7, ...(after === undefined ? {} : { after }) });
      if (page.length === 0) break;
      paths.push(...page.map((i) => i.sourcePath));
      after = page.at(-1)?.sourcePath;
    }
    expect(paths).toEqual(Array.from({ length: 25 }, (_, i) => `f${String(i).padStart(2, '0')}`));
    expect(history.runItems(run, { status: 'failed', limit: 3, after: 'f01' }).map((i) => i.sourcePath)).toEqual(['f04', 'f07', 'f10']);
  });

  it('are recorded 10,000 at a time, each with its own id', () => {
    const history = memoryStore();
    const run = history.startRun(newRun());
    const items = Array.from({ length: 10_000 }, (_, i) => item(`batch/${i}/report-${i}.csv`, { targetPath: `in/report-${i}.csv` }));

    const ids = history.recordItems(run, items);

    expect(new Set(ids).size).toBe(10_000);
    expect(history.runItems(run, { limit: 20_000 })).toHaveLength(10_000);
  });

  it('of a batch are all recorded or none', () => {
    const history = memoryStore();
    const run = history.startRun(newRun());
    expect(() => history.recordItems(run, [item('good'), item('bad', { bytes: 0.5 })])).toThrow();
    expect(history.runItems(run, { limit: 10 })).toEqual([]);
  });
});

describe('file-name search', () => {
  const tempDir = useTempDir();

  it('finds a fragment of the name in any case, from the newest runs first', () => {
    const history = memoryStore();
    const old = history.startRun(newRun({ job: 'old', startedAt: 1 }));
    const recent = history.startRun(newRun({ job: 'recent', startedAt: 2 }));
    history.recordItems(old, [item('2024/Invoice-0042.PDF'), item('2024/other.txt')]);
    history.recordItems(recent, [item('invoice-0042.pdf'), item('invoices-0042/readme.txt')]);

    const hits = history.searchItems('VOICE-004', { limit: 10 });
    expect(hits.map((h) => [h.job, h.sourcePath])).toEqual([
      ['recent', 'invoice-0042.pdf'],
      ['old', '2024/Invoice-0042.PDF'],
    ]);
    expect(hits[0]?.runStartedAt).toBe(2);
    expect(history.searchItems('voice', { limit: 1 })).toHaveLength(1);
  });

  it('takes the fragment literally', () => {
    const history = memoryStore();
    const run = history.startRun(newRun());
    history.recordItems(run, [item('say "hi".txt'), item('100%_done.csv'), item('100x-done.csv'), item('a*b:c.txt')]);
    const names = (fragment: string): string[] => history.searchItems(fragment, { limit: 10 }).map((h) => h.sourcePath);

    expect(names('"hi"')).toEqual(['say "hi".txt']);
    expect(names('%_d')).toEqual(['100%_done.csv']);
    expect(names('*b:')).toEqual(['a*b:c.txt']);
    expect(names('%')).toEqual(['100%_done.csv']);
    expect(names('_')).toEqual(['100%_done.csv']);
    expect(names('')).toEqual([]);
  });

  it('finds fragments shorter than a trigram by reading the names', () => {
    const history = memoryStore();
    const run = history.startRun(newRun());
    history.recordItems(run, [item('ab/Xy.txt'), item('xy/ab.txt')]);
    expect(history.searchItems('xY', { limit: 10 }).map((h) => h.sourcePath)).toEqual(['ab/Xy.txt']);
  });

  it('follows items that are renamed or deleted', () => {
    const file = join(tempDir(), 'history.db');
    const history = HistoryStore.open(file);
    store = history;
    const run = history.startRun(newRun());
    history.recordItems(run, [item('in/alpha.txt'), item('in/beta.txt')]);

    const raw = new Database(file);
    raw.prepare(`UPDATE items SET source_path = 'in/gamma.txt' WHERE source_path = 'in/alpha.txt'`).run();
    raw.prepare(`DELETE FROM items WHERE source_path = 'in/beta.txt'`).run();
    raw.close();

    expect(history.searchItems('alpha', { limit: 10 })).toEqual([]);
    expect(history.searchItems('beta', { limit: 10 })).toEqual([]);
    expect(history.searchItems('gamma', { limit: 10 }).map((h) => h.sourcePath)).toEqual(['in/gamma.txt']);
  });
});

describe('CSV export', () => {
  it('quotes commas, quotes and line breaks as RFC 4180 says', async () => {
    const history = memoryStore();
    const run = history.startRun(newRun({ job: 'a,b', source: 'say "hi"', target: 'plain', startedAt: Date.UTC(2025, 0, 2) }));
    history.finishRun(run, {
      status: 'failed',
      files: 0,
      bytes: 0,
      failed: 1,
      skipped: 0,
      error: 'line one\nline two\r\nthree',
      finishedAt: Date.UTC(2025, 0, 2, 0, 1),
    });
    const sink = new SlowSink();

    expect(await history.exportRunsCsv({}, sink)).toBe(1);
    expect(sink.text).toBe(
      'id,job,kind,source,target,started_at,finished_at,status,dry_run,files,bytes,failed,skipped,error\r\n' +
        `${run},"a,b",copy,"say ""hi""",plain,2025-01-02T00:00:00.000Z,2025-01-02T00:01:00.000Z,failed,no,0,0,1,0,` +
        '"line one\nline two\r\nthree"\r\n',
    );
  });

  it('streams every item of a run, page after page, waiting for the writer', async () => {
    const history = memoryStore();
    const run = history.startRun(newRun());
    history.recordItems(
      run,
      Array.from({ length: 1_234 }, (_, i) => item(`f${String(i).padStart(4, '0')},x`, { status: 'failed', errorKind: 'permission', reason: 'denied' })),
    );
    history.recordItem(run, item('z', { targetPath: 'in/z', verifiedBy: ['size', 'md5'] }));
    const sink = new SlowSink();

    expect(await history.exportItemsCsv(run, sink)).toBe(1_235);
    const lines = sink.text.split('\r\n');
    expect(lines[0]).toBe('source_path,target_path,stage,status,bytes,error_kind,reason,verified_by,checksum,duration_ms,updated_at');
    expect(lines[1]).toMatch(/^"f0000,x",,done,failed,100,permission,denied,,,,\d{4}-\d\d-\d\dT/);
    expect(lines[1_235]).toMatch(/^z,in\/z,done,copied,100,,,size md5,/);
    expect(lines).toHaveLength(1_237);
  });

  it('exports only the runs the filter selects', async () => {
    const history = memoryStore();
    history.startRun(newRun({ job: 'a' }));
    history.startRun(newRun({ job: 'b' }));
    const sink = new SlowSink();
    expect(await history.exportRunsCsv({ job: 'b' }, sink)).toBe(1);
    expect(sink.text.split('\r\n')[1]).toMatch(/^\d+,b,/);
  });
});

describe('events around runs', () => {
  const tempDir = useTempDir();

  it('are stored with the run they belong to', () => {
    const file = join(tempDir(), 'history.db');
    store = HistoryStore.open(file);
    const run = store.startRun(newRun());
    const itemId = store.recordItem(run, item('in/a.csv', { status: 'quarantined' }));
    store.recordValidation({ itemId, rule: 'csv-header', passed: false, message: 'missing column "Amount"', at: 5 });
    store.recordQuarantine({ itemId, job: 'invoices', file: 'in/a.csv', location: 'quarantine/a.csv', reason: 'invalid header', action: 'quarantined', at: 6 });
    store.recordNotification({ runId: run, channel: 'email', recipient: 'ops@example.com', subject: 'Run failed', status: 'sent', at: 7 });
    store.audit({ actor: 'alice', action: 'job.run', detail: 'invoices', at: 8 });

    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT item_id, rule, passed, message, at FROM validation_results').all()).toEqual([
      { item_id: itemId, rule: 'csv-header', passed: 0, message: 'missing column "Amount"', at: 5 },
    ]);
    expect(raw.prepare('SELECT item_id, action, location FROM quarantine_events').all()).toEqual([
      { item_id: itemId, action: 'quarantined', location: 'quarantine/a.csv' },
    ]);
    expect(raw.prepare('SELECT run_id, channel, status, error FROM notifications').all()).toEqual([
      { run_id: run, channel: 'email', status: 'sent', error: null },
    ]);
    expect(raw.prepare('SELECT actor, action, detail, at FROM audit_log').all()).toEqual([{ actor: 'alice', action: 'job.run', detail: 'invoices', at: 8 }]);
    raw.close();
  });
});

describe('retention', () => {
  const tempDir = useTempDir();

  it('deletes old runs with everything recorded about them, keeping quarantine events and running runs', () => {
    const file = join(tempDir(), 'history.db');
    const history = HistoryStore.open(file);
    store = history;
    const now = Date.now();
    const old = history.startRun(newRun({ job: 'old', startedAt: now - 40 * DAY }));
    history.finishRun(old, { status: 'succeeded', files: 2, bytes: 200, failed: 0, skipped: 0, finishedAt: now - 40 * DAY });
    const stillRunning = history.startRun(newRun({ job: 'stuck', startedAt: now - 50 * DAY }));
    const recent = history.startRun(newRun({ job: 'recent', startedAt: now - DAY }));
    const [oldItem] = history.recordItems(old, [item('old/ancient.csv'), item('old/other.csv')]);
    if (oldItem === undefined) throw new Error('no item id');
    history.recordItem(recent, item('new/fresh.csv'));
    history.recordValidation({ itemId: oldItem, rule: 'size', passed: true, message: 'ok' });
    history.recordQuarantine({ itemId: oldItem, job: 'old', file: 'old/ancient.csv', location: 'q/ancient.csv', reason: 'r', action: 'quarantined' });
    history.recordNotification({ runId: old, channel: 'email', recipient: 'ops', subject: 's', status: 'sent' });

    expect(history.applyRetention({ keepDays: 30 })).toBe(1);

    expect(history.listRuns().map((r) => r.id)).toEqual([recent, stillRunning]);
    expect(history.runItems(old, { limit: 10 })).toEqual([]);
    expect(history.searchItems('ancient', { limit: 10 })).toEqual([]);
    const raw = new Database(file, { readonly: true });
    const count = (table: string): unknown => raw.prepare(`SELECT count(*) AS n FROM ${table}`).pluck().get();
    expect([count('items'), count('validation_results'), count('notifications'), count('item_names')]).toEqual([1, 0, 0, 1]);
    expect(raw.prepare('SELECT item_id, file FROM quarantine_events').all()).toEqual([{ item_id: null, file: 'old/ancient.csv' }]);
    raw.close();
  });

  it('keeps only the newest runs when asked to', () => {
    const history = memoryStore();
    const now = Date.now();
    const ids = Array.from({ length: 6 }, (_, i) => history.startRun(newRun({ startedAt: now - (6 - i) * 1_000 })));
    for (const id of ids.slice(0, 5)) history.finishRun(id, { status: 'succeeded', files: 0, bytes: 0, failed: 0, skipped: 0 });

    expect(history.applyRetention({ keepDays: 365, keepRuns: 2 })).toBe(4);
    expect(history.listRuns().map((r) => r.id)).toEqual([ids[5], ids[4]]);
    expect(history.applyRetention({ keepDays: 365, keepRuns: 2 })).toBe(0);
  });

  it('forgets old settled quarantine records, events and audit entries, but never a file still held', () => {
    const history = memoryStore();
    const journal = history.journal();
    const old = Date.now() - 40 * DAY;
    const held = journal.hold({ job: 'j', file: 'held.csv', location: '/q/1', reasons: [] }, old);
    const released = journal.hold({ job: 'j', file: 'released.csv', location: '/q/2', reasons: [] }, old);
    journal.setQuarantineState(released, 'released', undefined, old);
    history.recordQuarantine({ job: 'j', file: 'released.csv', location: '/q/2', reason: 'r', action: 'released', at: old });
    history.audit({ actor: 'ops', action: 'quarantine.release', detail: '#2', at: old });
    history.audit({ actor: 'ops', action: 'quarantine.release', detail: '#3' });
    history.applyRetention({ keepDays: 30 });
    expect(journal.quarantinedFile(held)?.state).toBe('held');
    expect(journal.quarantinedFile(released)).toBeUndefined();
  });

  it('refuses nonsense limits', () => {
    const history = memoryStore();
    expect(() => history.applyRetention({ keepDays: -1 })).toThrow(RangeError);
    expect(() => history.applyRetention({ keepDays: 1, keepRuns: 1.5 })).toThrow(RangeError);
    expect(() => history.listRuns({ limit: 0 })).toThrow(RangeError);
  });
});

describe("the window's pages of names", () => {
  it('page a search newest item first by key, without previews, and refuse fragments the index cannot find', () => {
    const history = memoryStore();
    const real = history.startRun(newRun({ startedAt: 1 }));
    const preview = history.startRun(newRun({ startedAt: 2, dryRun: true }));
    history.recordItems(real, ['a', 'b', 'c', 'd', 'e'].map((x) => item(`in/Report-${x}.csv`)));
    history.recordItems(preview, [item('in/Report-z.csv', { status: 'planned' })]);
    const first = history.searchItemsPage({ text: 'report', limit: 3 });
    const last = first.at(-1);
    if (last === undefined) throw new Error('the first page is empty');
    const second = history.searchItemsPage({ text: 'report', limit: 3, before: last.id });
    expect([...first, ...second].map((h) => h.sourcePath)).toEqual(['e', 'd', 'c', 'b', 'a'].map((x) => `in/Report-${x}.csv`));
    expect(() => history.searchItemsPage({ text: 'rp', limit: 3 })).toThrow(/from 3 characters on, not "rp"/);
  });

  it("trace one file's exact name through every run, each run followed by its checks and quarantine by time", () => {
    const history = memoryStore();
    const arrival = history.startRun(newRun({ job: 'pickup', startedAt: 10 }));
    const [held] = history.recordItems(arrival, [item('in/orders.csv', { status: 'quarantined', stage: 'validated' }), item('in/old-orders.csv')]);
    if (held === undefined) throw new Error('no item recorded');
    history.recordQuarantine({ itemId: held, job: 'pickup', file: 'in/orders.csv', location: '/q', reason: 'no total', action: 'quarantined', at: 30 });
    history.recordValidation({ itemId: held, rule: 'orders', passed: false, message: 'no total', at: 20 });
    const delivery = history.startRun(newRun({ job: 'deliver', startedAt: 40 }));
    history.recordItems(delivery, [item('archive/orders.csv', { targetPath: 'Account/Acme/orders.csv' })]);

    const page = history.fileTrail({ name: 'orders.csv', limit: 10 });
    expect(page.steps.map((s) => [s.kind, s.at])).toEqual([
      ['run', 10],
      ['validation', 20],
      ['quarantine', 30],
      ['run', 40],
    ]);
    expect(page.next).toBeUndefined();
    const firstOnly = history.fileTrail({ name: 'orders.csv', limit: 1 });
    expect(history.fileTrail({ name: 'orders.csv', limit: 1, ...(firstOnly.next === undefined ? {} : { after: firstOnly.next }) }).steps.map((s) => s.at)).toEqual([40]);
  });
});
