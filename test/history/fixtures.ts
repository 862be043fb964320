import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { NewRun } from '../../src/history/records.js';

/** A fresh folder per test, removed afterwards. Call at the top of a describe. */
export function useTempDir(): () => string {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => (dir ??= mkdtempSync(join(tmpdir(), 'ferry-history-')));
}

export function newRun(overrides: Partial<NewRun> = {}): NewRun {
  return { job: 'invoices', kind: 'copy', source: 'partner-ftp:/out', target: 'local:/inbox', dryRun: false, ...overrides };
}
