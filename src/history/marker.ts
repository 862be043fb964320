import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { HistoryDamagedError } from './damage.js';

// SQLite opens a missing or 0-byte file as a new, empty database. A history that was deleted or
// emptied would then start again without a word: run numbers from 1, and jobs no longer knowing which
// files they took. This file, written once a history exists, is how Ferry tells that from a first start.

function markerOf(file: string): string {
  return `${file}.created`;
}

/** Whether Ferry has kept a history at `file` before. */
export function historyWasKept(file: string): boolean {
  return existsSync(markerOf(file));
}

/** Throws HistoryDamagedError when the history Ferry kept at `file` is gone or was emptied. */
export function refuseLostHistory(file: string): void {
  const size = statSync(file, { throwIfNoEntry: false })?.size;
  if (size === undefined) throw new HistoryDamagedError(file, 'is missing, though Ferry kept a history there');
  if (size === 0) throw new HistoryDamagedError(file, 'is empty (0 bytes), though Ferry kept a history in it');
}

/** Notes that `file` holds a history, so that losing it is noticed. */
export function rememberHistory(file: string): void {
  const name = basename(file);
  writeFileSync(
    markerOf(file),
    `Ferry keeps its run history in ${name}, next to this file. While this file is here, Ferry will not start ` +
      `a new, empty history in place of a ${name} that is missing or empty; "ferry history reset" does that.\n`,
    { mode: 0o600 },
  );
}

/** Lets the next open start a new history at `file`. */
export function forgetHistory(file: string): void {
  rmSync(markerOf(file), { force: true });
}
