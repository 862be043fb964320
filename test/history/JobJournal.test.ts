import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/history/HistoryStore.js';
import { JobBusyError, type ValidationLogQuery } from '../../src/history/JobJournal.js';
import { indexedPhrase } from '../../src/history/indexedPhrase.js';
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

  describe('the validation log', () => {
    const files = (query: Omit<ValidationLogQuery, 'limit'>): string[] => store.journal().validationLog({ limit: 100, ...query }).map((e) => `${e.file} ${e.outcome}`);

    it('holds passed and refused files, found by job, outcome, partner, rule, name and time, newest first', () => {
      const journal = store.journal();
      journal.recordPassed({ job: 'orders', file: 'in/ORD-ACME-1.csv', partner: 'ACME', ruleSet: '*.csv', location: 'partner:/out/in/ORD-ACME-1.csv', rules: ['name', 'csv', 'csv'] }, 1_000);
      const held = journal.hold({ job: 'orders', file: 'in/ORD-BETA-2.csv', partner: 'BETA', location: '/q/orders/1-2', reasons: [{ rule: 'csv', message: 'bad' }, { rule: 'size', message: 'big' }] }, 2_000);
      journal.hold({ job: 'invoices', file: 'INV-9.pdf', location: '/q/invoices/2-1', reasons: [{ rule: 'content-type', message: 'not a PDF' }] }, 3_000);
      expect(files({})).toEqual(['INV-9.pdf held', 'in/ORD-BETA-2.csv held', 'in/ORD-ACME-1.csv passed']);
      expect(files({ state: 'passed' })).toEqual(['in/ORD-ACME-1.csv passed']);
      expect(files({ partner: 'BETA' })).toEqual(['in/ORD-BETA-2.csv held']);
      expect(files({ rule: 'csv' })).toEqual(['in/ORD-BETA-2.csv held', 'in/ORD-ACME-1.csv passed']);
      expect(files({ rule: 'csv', state: 'held' })).toEqual(['in/ORD-BETA-2.csv held']);
      expect(files({ rule: 'size', job: 'invoices' })).toEqual([]);
      // Any case, anywhere in the name, its start too; never the folders above it.
      expect(files({ phrase: indexedPhrase('ord-') })).toEqual(['in/ORD-BETA-2.csv held', 'in/ORD-ACME-1.csv passed']);
      expect(files({ phrase: indexedPhrase('ACME-1') })).toEqual(['in/ORD-ACME-1.csv passed']);
      expect(files({ phrase: indexedPhrase('in/') })).toEqual([]);
      expect(files({ phrase: indexedPhrase('.csv'), rule: 'size' })).toEqual(['in/ORD-BETA-2.csv held']);
      expect(files({ from: 1_500, to: 3_000 })).toEqual(['in/ORD-BETA-2.csv held']);
      expect(journal.logEntry(held)).toEqual(expect.objectContaining({ partner: 'BETA', rules: ['csv', 'size'], outcome: 'held' }));
      // New reasons after a re-validation are found by their rules, the old ones no longer.
      journal.setQuarantineState(held, 'held', [{ rule: 'name', message: 'misnamed' }]);
      expect(files({ rule: 'size' })).toEqual([]);
      expect(files({ rule: 'name' })).toEqual(['in/ORD-BETA-2.csv held', 'in/ORD-ACME-1.csv passed']);
      // A passed file was never in quarantine: nothing releases or returns it.
      expect(journal.quarantined({ state: 'held', job: 'orders' }).map((q) => q.file)).toEqual(['in/ORD-BETA-2.csv']);
    });

    it('keeps one passed entry per item when a resumed run validates it again', () => {
      const journal = store.journal();
      const run = start();
      const [itemId] = store.recordItems(run, [{ sourcePath: 'ORD-1.csv', stage: 'validated', status: 'pending', bytes: 3 }]);
      const facts = { job: 'orders', ...(itemId === undefined ? {} : { itemId }), file: 'ORD-1.csv', location: '/in', rules: ['csv'] };
      const first = journal.recordPassed(facts, 1_000);
      expect(journal.recordPassed(facts, 2_000)).toBe(first);
      expect(files({})).toEqual(['ORD-1.csv passed']);
    });

    it('pages by key, each entry once, with every filter', () => {
      const journal = store.journal();
      for (let i = 0; i < 7; i++) journal.recordPassed({ job: 'orders', file: `ORD-${i}.csv`, location: '/in', rules: ['csv'] }, 1_000 + i);
      for (const query of [{}, { rule: 'csv' }, { phrase: indexedPhrase('ORD') }]) {
        const seen: string[] = [];
        let before: { at: number; id: number } | undefined;
        do {
          const page = journal.validationLog({ ...query, limit: 3, ...(before === undefined ? {} : { before }) });
          seen.push(...page.map((e) => e.file));
          const last = page.at(-1);
          before = page.length === 3 && last !== undefined ? { at: last.at, id: last.id } : undefined;
        } while (before !== undefined);
        expect(seen).toEqual(['ORD-6.csv', 'ORD-5.csv', 'ORD-4.csv', 'ORD-3.csv', 'ORD-2.csv', 'ORD-1.csv', 'ORD-0.csv']);
      }
    });

    it('links a file returned to the partner and the file sent again under its name or its key, both ways, once', () => {
      const journal = store.journal();
      const misnamed = journal.hold({ job: 'orders', file: 'ord-acme-7.csv', location: '/q/1', reasons: [{ rule: 'name', message: 'misnamed' }] }, 1_000);
      journal.setQuarantineState(misnamed, 'returned', undefined, 1_500);
      const elsewhere = journal.recordPassed({ job: 'invoices', file: 'ORD-ACME-7.csv', location: '/in', rules: ['name'] }, 1_800);
      // The right name differs only in case; the fields it gives are its key from now on.
      const fields = 'fields:[["partner","ACME"],["seq","7"]]';
      const again = journal.hold({ job: 'orders', file: 'ORD-ACME-7.csv', location: '/q/2', reasons: [{ rule: 'csv', message: 'bad' }], resubmissionKeys: [fields, 'name:ord-acme-7.csv'] }, 2_000);
      expect(journal.logEntry(elsewhere)?.resubmissionOf).toBeUndefined();
      expect(journal.logEntry(misnamed)?.resubmittedAs).toBe(again);
      expect(journal.logEntry(again)?.resubmissionOf).toBe(misnamed);
      journal.setQuarantineState(again, 'returned', undefined, 2_500);
      // Sent a third time under another name with the same fields: linked to the second, the first keeps its link.
      const third = journal.recordPassed({ job: 'orders', file: 'ORD-ACME-7-fixed.csv', location: '/in', rules: ['csv'], resubmissionKeys: [fields, 'name:ord-acme-7-fixed.csv'] }, 3_000);
      expect(journal.logEntry(third)?.resubmissionOf).toBe(again);
      expect(journal.logEntry(again)?.resubmittedAs).toBe(third);
      expect(journal.logEntry(misnamed)?.resubmittedAs).toBe(again);
      const fourth = journal.recordPassed({ job: 'orders', file: 'ORD-ACME-7.csv', location: '/in', rules: ['csv'], resubmissionKeys: [fields, 'name:ord-acme-7.csv'] }, 4_000);
      expect(journal.logEntry(fourth)?.resubmissionOf).toBeUndefined();
    });
  });

  it('keeps schedule ticks per job', () => {
    const journal = store.journal();
    expect(journal.lastTick('orders')).toBeUndefined();
    journal.setLastTick('orders', 5);
    journal.setLastTick('orders', 7);
    expect(journal.lastTick('orders')).toBe(7);
  });
});
