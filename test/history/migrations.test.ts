import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/history/HistoryStore.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, SchemaTooNewError } from '../../src/history/migrations.js';
import type { RunId } from '../../src/history/records.js';
import { useTempDir } from './fixtures.js';

/** A database as a Ferry that knew only the migrations up to `version` left it. */
function createAtVersion(file: string, version: number): void {
  const db = new Database(file);
  for (const migration of MIGRATIONS.filter((m) => m.version <= version)) migration.up(db);
  db.pragma(`user_version = ${version}`);
  db.close();
}

describe('migrations', () => {
  const tempDir = useTempDir();

  it('are numbered upwards', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions[0]).toBe(1);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    expect(LATEST_SCHEMA_VERSION).toBe(versions.at(-1));
  });

  it('bring a new database to the latest version', () => {
    const file = join(tempDir(), 'nested', 'folder', 'history.db');
    const store = HistoryStore.open(file);
    expect(store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    store.close();
    const memory = HistoryStore.openInMemory();
    expect(memory.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    memory.close();
  });

  it('leave a database at the latest version as it is', () => {
    const file = join(tempDir(), 'history.db');
    HistoryStore.open(file).close();
    const before = readFileSync(file);
    const store = HistoryStore.open(file);
    expect(store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    store.close();
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  // One case per released version: each must reach the latest from exactly where it stopped.
  describe.each(MIGRATIONS.slice(0, -1).map((m) => m.version))('from version %i', (version) => {
    it('migrate forward to the latest version', () => {
      const file = join(tempDir(), 'history.db');
      createAtVersion(file, version);
      const store = HistoryStore.open(file);
      expect(store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      store.close();
    });
  });

  it('keep the runs and items a version 1 database holds', () => {
    const file = join(tempDir(), 'history.db');
    createAtVersion(file, 1);
    const old = new Database(file);
    // Written with version 1's columns only, as the first Ferry to have a history did.
    old.exec(`
      INSERT INTO runs (id, job, kind, source, target, started_at, finished_at, status, dry_run, files, bytes, failed, skipped)
      VALUES (7, 'invoices', 'copy', 'ftp:/out', 'local:/in', 1000, 2000, 'succeeded', 0, 1, 10, 0, 0);
      INSERT INTO items (run_id, source_path, target_path, stage, status, bytes, updated_at)
      VALUES (7, 'out/Invoice-1.pdf', 'in/Invoice-1.pdf', 'done', 'copied', 10, 2000);
    `);
    old.close();

    const store = HistoryStore.open(file);
    expect(store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    expect(store.listRuns()).toEqual([expect.objectContaining({ id: 7, job: 'invoices', status: 'succeeded', files: 1 })]);
    expect(store.runItems(7 as RunId, { limit: 10 }).map((i) => i.sourcePath)).toEqual(['out/Invoice-1.pdf']);
    expect(store.searchItems('invoice', { limit: 10 }).map((i) => i.sourcePath)).toEqual(['out/Invoice-1.pdf']);
    store.close();
  });

  it('keep the owners of running runs a version 2 database holds, let runs be interrupted, and still cascade from runs', () => {
    const file = join(tempDir(), 'history.db');
    createAtVersion(file, 2);
    const old = new Database(file);
    old.exec(`
      INSERT INTO runs (id, job, kind, source, target, started_at, status, dry_run, owner, heartbeat_at)
      VALUES (3, 'orders', 'job', 'ftp:/out', 'local:/in', 1000, 'running', 0, '12@host', 1500);
      INSERT INTO items (run_id, source_path, stage, status, bytes, updated_at) VALUES (3, 'a.csv', 'discovered', 'pending', 1, 1000);
      INSERT INTO job_files (job, source_path, fingerprint, state, run_id, updated_at) VALUES ('orders', 'a.csv', '1:1', 'claimed', 3, 1000);
    `);
    old.close();

    HistoryStore.open(file).close();

    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    expect(db.prepare('SELECT owner, heartbeat_at FROM runs WHERE id = 3').get()).toEqual({ owner: '12@host', heartbeat_at: 1500 });
    expect(() => db.exec(`UPDATE runs SET status = 'interrupted' WHERE id = 3`)).not.toThrow();
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.exec('DELETE FROM runs WHERE id = 3');
    expect(db.prepare('SELECT count(*) AS n FROM items').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT run_id FROM job_files').all()).toEqual([{ run_id: null }]);
    db.close();
  });

  it('keep the items, their ids, checks and searchable names a version 3 database holds, and let a sync record deleted items', () => {
    const file = join(tempDir(), 'history.db');
    createAtVersion(file, 3);
    const old = new Database(file);
    old.exec(`
      INSERT INTO runs (id, job, kind, source, target, started_at, finished_at, status, dry_run) VALUES (5, 'orders', 'job', 'ftp:/out', 'local:/in', 1000, 2000, 'succeeded', 0);
      INSERT INTO items (id, run_id, source_path, stage, status, bytes, updated_at, sha256) VALUES (41, 5, 'out/Invoice-7.csv', 'done', 'copied', 3, 2000, 'abc');
      INSERT INTO validation_results (item_id, rule, passed, message, at) VALUES (41, 'csv', 1, 'ok', 2000);
    `);
    expect(() => old.exec(`INSERT INTO items (run_id, source_path, stage, status, bytes, updated_at) VALUES (5, 'b.csv', 'done', 'deleted', 0, 2000)`)).toThrow(/CHECK/);
    old.close();

    const store = HistoryStore.open(file);
    expect(store.searchItems('invoice-7', { limit: 10 }).map((i) => [i.id, i.sourcePath])).toEqual([[41, 'out/Invoice-7.csv']]);
    store.recordItem(5 as RunId, { sourcePath: 'out/gone.csv', targetPath: 'in/gone.csv', stage: 'done', status: 'deleted', bytes: 0, reason: 'delete: the source no longer has this file' });
    expect(store.runItems(5 as RunId, { limit: 10 }).map((i) => [i.sourcePath, i.status])).toEqual([
      ['out/Invoice-7.csv', 'copied'],
      ['out/gone.csv', 'deleted'],
    ]);
    store.close();
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    expect(db.prepare('SELECT sha256 FROM items WHERE id = 41').get()).toEqual({ sha256: 'abc' });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.exec('DELETE FROM runs WHERE id = 5');
    expect(db.prepare('SELECT count(*) AS n FROM validation_results').get()).toEqual({ n: 0 });
    db.close();
  });

  it('keep the quarantine a version 7 database holds as the validation log, found by its rules and name, and let files pass', () => {
    const file = join(tempDir(), 'history.db');
    createAtVersion(file, 7);
    const old = new Database(file);
    old.exec(`
      INSERT INTO quarantine (id, job, file, location, reasons, state, at, updated_at)
      VALUES (12, 'orders', 'in/ORD-ACME-9.csv', '/q/orders/3-1', '[{"rule":"csv","message":"bad"},{"rule":"name","message":"misnamed"},{"rule":"csv","message":"worse"}]', 'returned', 1000, 1500);
    `);
    expect(() => old.exec(`INSERT INTO quarantine (job, file, location, reasons, state, at, updated_at) VALUES ('orders', 'a.csv', '/in', '[]', 'passed', 1, 1)`)).toThrow(/CHECK/);
    old.close();

    const store = HistoryStore.open(file);
    const journal = store.journal();
    expect(journal.logEntry(12)).toEqual(expect.objectContaining({ file: 'in/ORD-ACME-9.csv', outcome: 'returned', rules: ['csv', 'name'], at: 1000, updatedAt: 1500 }));
    expect(journal.validationLog({ rule: 'name', limit: 10 }).map((e) => e.id)).toEqual([12]);
    expect(journal.validationLog({ phrase: '"acme-9"', limit: 10 }).map((e) => e.id)).toEqual([12]);
    // The file the partner sends again under the same name answers the one returned before the upgrade.
    const again = journal.recordPassed({ job: 'orders', file: 'in/ORD-ACME-9.csv', location: '/in', rules: ['csv', 'name'] }, 2000);
    expect(journal.logEntry(12)?.resubmittedAs).toBe(again);
    store.close();
  });

  it('refuse a database from a newer Ferry, naming the file and both versions, and leave it untouched', () => {
    const dir = tempDir();
    const file = join(dir, 'history.db');
    const newer = new Database(file);
    newer.exec('CREATE TABLE runs (id INTEGER PRIMARY KEY, shape_we_do_not_know TEXT)');
    newer.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    newer.close();
    const bytes = readFileSync(file);
    const { mtimeMs, mode } = statSync(file);
    const files = readdirSync(dir);

    let error: unknown;
    try {
      HistoryStore.open(file);
    } catch (e) {
      error = e;
    }

    expect(error).toBeInstanceOf(SchemaTooNewError);
    expect(error).toMatchObject({ file, found: LATEST_SCHEMA_VERSION + 1, supported: LATEST_SCHEMA_VERSION });
    const { message } = error as SchemaTooNewError;
    expect(message).toContain(file);
    expect(message).toContain(`version ${LATEST_SCHEMA_VERSION + 1}`);
    expect(message).toContain(`version ${LATEST_SCHEMA_VERSION}`);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(statSync(file)).toMatchObject({ mtimeMs, mode });
    expect(readdirSync(dir)).toEqual(files);
  });
});

describe('an opened history', () => {
  const tempDir = useTempDir();

  it('is in WAL mode, private to the user, and enforces foreign keys', () => {
    const file = join(tempDir(), 'history.db');
    const store = HistoryStore.open(file);

    const other = new Database(file, { readonly: true });
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    other.close();
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(() => store.recordItem(999 as RunId, { sourcePath: 'a', stage: 'discovered', status: 'pending', bytes: 0 })).toThrow(
      /FOREIGN KEY/,
    );
    store.close();
  });
});
