import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/history/HistoryStore.js';
import { JobBusyError } from '../../src/history/JobJournal.js';
import type { RunId } from '../../src/history/records.js';
import { newRun } from './fixtures.js';

describe('the job journal', () => {
  let store: HistoryStore;
  beforeEach(() => {
    store = HistoryStore.openInMemory();
  });
  afterEach(() => store.close());

  const start = (): RunId => store.startRun(newRun({ job: 'orders' }));

  it('starts a new run, refuses a second owner while the first lives, and hands an orphaned run over', () => {
    const journal = store.journal();
    const first = journal.claimRun('orders', 'a', () => true, start);
    expect(first.resumed).toBe(false);
    expect(() => journal.claimRun('orders', 'b', () => true, start)).toThrow(JobBusyError);
    // The same owner asking again (a retry in one process) gets its own run back.
    expect(journal.claimRun('orders', 'a', () => true, start)).toEqual({ runId: first.runId, resumed: true });
    const taken = journal.claimRun('orders', 'b', (owner) => owner !== 'a', start);
    expect(taken).toEqual({ runId: first.runId, resumed: true });
    store.finishRun(first.runId, { status: 'succeeded', files: 0, bytes: 0, failed: 0, skipped: 0 });
    expect(journal.claimRun('orders', 'b', () => true, start).resumed).toBe(false);
  });

  it('lets the next start take a released run at once', () => {
    const journal = store.journal();
    const { runId } = journal.claimRun('orders', 'a', () => true, start);
    journal.releaseRun(runId, 'a');
    expect(journal.claimRun('orders', 'b', () => true, start)).toEqual({ runId, resumed: true });
  });

  it('keeps the first view of a destination when a delivery is planned again, and never replans a delivered one', () => {
    const journal = store.journal();
    const runId = start();
    const itemId = store.recordItem(runId, { sourcePath: 'a.csv', stage: 'discovered', status: 'pending', bytes: 1 });
    const planned = { itemId, route: 'erp', staged: 'out/erp/1/a.csv', target: 'erp:/in/a.csv', size: 1, sha256: 'aa' };
    journal.planDelivery({ ...planned, before: undefined });
    journal.planDelivery({ ...planned, before: '{"size":9}' });
    expect(journal.deliveriesOf(itemId)).toEqual([expect.objectContaining({ before: undefined, state: 'pending' })]);
    journal.settleDelivery(itemId, 'erp', planned.staged, 'delivered', 'ok');
    journal.planDelivery({ ...planned, target: 'erp:/elsewhere', before: undefined });
    expect(journal.deliveriesOf(itemId)).toEqual([expect.objectContaining({ target: 'erp:/in/a.csv', state: 'delivered', detail: 'ok' })]);
  });

  it('remembers taken files by path, and a new submission replaces the old fingerprint', () => {
    const journal = store.journal();
    const runId = start();
    journal.takeFiles('orders', [{ sourcePath: 'a.csv', fingerprint: '1:1' }, { sourcePath: 'b.csv', fingerprint: '2:2' }], 'claimed', runId, 1_000);
    journal.takeFile('orders', 'a.csv', '1:5', 'done', runId, 2_000);
    expect(journal.takenFiles('orders').get('a.csv')).toEqual({ fingerprint: '1:5', state: 'done', runId });
    expect(journal.takenSince('orders', 1_500)).toEqual(['a.csv']);
    journal.forgetFile('orders', 'b.csv');
    expect([...journal.takenFiles('orders').keys()]).toEqual(['a.csv']);
  });

  it('moves quarantined files between held, released and returned, keeping new reasons', () => {
    const journal = store.journal();
    const id = journal.hold({ job: 'orders', file: 'a.csv', location: '/q/orders/1-1', reasons: [{ rule: 'csv', message: 'bad' }] });
    expect(journal.quarantined().map((q) => q.id)).toEqual([id]);
    journal.setQuarantineState(id, 'held', [{ rule: 'size', message: 'too big' }]);
    expect(journal.quarantinedFile(id)?.reasons).toEqual([{ rule: 'size', message: 'too big' }]);
    journal.setQuarantineState(id, 'released');
    expect(journal.quarantined()).toEqual([]);
    expect(journal.quarantined({ state: 'released', job: 'orders' }).map((q) => q.file)).toEqual(['a.csv']);
  });

  it('keeps schedule ticks per job', () => {
    const journal = store.journal();
    expect(journal.lastTick('orders')).toBeUndefined();
    journal.setLastTick('orders', 5);
    journal.setLastTick('orders', 7);
    expect(journal.lastTick('orders')).toBe(7);
  });
});
