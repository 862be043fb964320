import { existsSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HistoryDamagedError } from '../../src/history/damage.js';
import { HistoryStore } from '../../src/history/HistoryStore.js';
import { resetHistory } from '../../src/history/reset.js';
import { corruptLeafOf, historyWithManyItems, newRun, useTempDir } from './fixtures.js';

/** What `HistoryStore.open` threw, for assertions on the error itself. */
function openError(file: string): unknown {
  try {
    HistoryStore.open(file).close();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** A history with one finished run, closed (its WAL checkpointed into the file). */
function historyWithOneRun(file: string): void {
  const store = HistoryStore.open(file);
  const run = store.startRun(newRun());
  store.finishRun(run, { status: 'succeeded', files: 1, bytes: 1, failed: 0, skipped: 0 });
  store.close();
}

const NOT_A_DATABASE = Buffer.from('this was never a SQLite database, whatever its name says\n'.repeat(200));

describe('a history that cannot be used', () => {
  const tempDir = useTempDir();

  it('is refused when the file is not a database, naming the file, the reason and the way out, and left as it was', () => {
    const dir = tempDir();
    const file = join(dir, 'history.db');
    writeFileSync(file, NOT_A_DATABASE);
    const error = openError(file);
    expect(error).toBeInstanceOf(HistoryDamagedError);
    expect(error).toMatchObject({ file });
    const { message } = error as HistoryDamagedError;
    expect(message).toContain(`${file} is damaged: file is not a database`);
    expect(message).toContain('ferry history reset');
    expect(message).not.toContain('\n');
    expect(readFileSync(file).equals(NOT_A_DATABASE)).toBe(true);
    expect(readdirSync(dir)).toEqual(['history.db']);
  });

  it('is refused with its WAL, which may hold the last commits, left where it was', () => {
    const file = join(tempDir(), 'history.db');
    writeFileSync(file, NOT_A_DATABASE);
    writeFileSync(`${file}-wal`, 'the last commits');
    expect(openError(file)).toBeInstanceOf(HistoryDamagedError);
    expect(readFileSync(`${file}-wal`, 'utf8')).toBe('the last commits');
  });

  it('is refused when the file was cut short', () => {
    const file = join(tempDir(), 'history.db');
    historyWithOneRun(file);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length / 2));
    const error = openError(file);
    expect(error).toBeInstanceOf(HistoryDamagedError);
    expect((error as Error).message).toMatch(/is damaged: database disk image is malformed/);
  });

  it('is refused when it was emptied to 0 bytes after Ferry kept a history in it, and stays empty', () => {
    const file = join(tempDir(), 'history.db');
    // Where no history was kept, an empty file is a first start.
    writeFileSync(file, '');
    historyWithOneRun(file);
    truncateSync(file, 0);
    const error = openError(file);
    expect(error).toBeInstanceOf(HistoryDamagedError);
    expect((error as Error).message).toContain(`${file} is empty (0 bytes)`);
    expect(readFileSync(file)).toHaveLength(0);
  });

  it('is refused when it disappeared after Ferry kept a history there, and is not created again', () => {
    const file = join(tempDir(), 'history.db');
    historyWithOneRun(file);
    rmSync(file);
    const error = openError(file);
    expect(error).toBeInstanceOf(HistoryDamagedError);
    expect((error as Error).message).toContain(`${file} is missing`);
    expect(existsSync(file)).toBe(false);
  });
});

describe('resetting the history', () => {
  const tempDir = useTempDir();
  const at = new Date(Date.UTC(2026, 10, 3, 4, 5, 6));

  it('keeps a damaged file aside, byte for byte with its WAL, starts a new history and records where the old one went', () => {
    const dir = tempDir();
    const file = join(dir, 'history.db');
    writeFileSync(file, NOT_A_DATABASE);
    writeFileSync(`${file}-wal`, 'the last commits');

    const outcome = resetHistory(file, at);

    const keptAs = join(dir, 'history.db.damaged-2026-11-03T04-05-06Z');
    expect(outcome).toEqual({ reset: true, problem: 'is damaged: file is not a database', keptAs });
    expect(readFileSync(keptAs).equals(NOT_A_DATABASE)).toBe(true);
    expect(readFileSync(`${keptAs}-wal`, 'utf8')).toBe('the last commits');
    const store = HistoryStore.open(file);
    expect(store.listRuns()).toEqual([]);
    store.close();
    const db = new Database(file, { readonly: true });
    const audit = db.prepare<[], { action: string; detail: string }>('SELECT action, detail FROM audit_log').all();
    db.close();
    expect(audit).toEqual([{ action: 'history.reset', detail: expect.stringContaining(keptAs) as unknown }]);
  });

  it('never overwrites a file kept aside before', () => {
    const dir = tempDir();
    const file = join(dir, 'history.db');
    writeFileSync(file, 'first');
    expect(resetHistory(file, at)).toMatchObject({ reset: true });
    truncateSync(file, 0);
    const second = resetHistory(file, at);
    expect(second).toMatchObject({ reset: true, problem: expect.stringContaining('is empty (0 bytes)') as unknown });
    expect(second.reset && second.keptAs).not.toBe(join(dir, 'history.db.damaged-2026-11-03T04-05-06Z'));
    expect(readFileSync(join(dir, 'history.db.damaged-2026-11-03T04-05-06Z'), 'utf8')).toBe('first');
  });

  it('starts a new history where the old one disappeared', () => {
    const file = join(tempDir(), 'history.db');
    historyWithOneRun(file);
    rmSync(file);
    expect(resetHistory(file, at)).toEqual({ reset: true, problem: expect.stringContaining('is missing') as unknown, keptAs: undefined });
    const store = HistoryStore.open(file);
    expect(store.listRuns()).toEqual([]);
    store.close();
  });

  it('finds damage deep inside a file that opens, and keeps that file aside too', () => {
    const file = join(tempDir(), 'history.db');
    historyWithManyItems(file);
    corruptLeafOf(file, 'items');
    HistoryStore.open(file).close();

    const outcome = resetHistory(file, at);

    expect(outcome).toMatchObject({ reset: true, problem: expect.stringMatching(/^is damaged: /) as unknown });
  });

  it('leaves a sound history alone', () => {
    const dir = tempDir();
    const file = join(dir, 'history.db');
    historyWithOneRun(file);
    const before = readFileSync(file);
    expect(resetHistory(file, at)).toEqual({ reset: false });
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('damaged'))).toEqual([]);
  });
});
