import { existsSync, renameSync } from 'node:fs';
import { HistoryDamagedError } from './damage.js';
import { HistoryStore } from './HistoryStore.js';
import { forgetHistory } from './marker.js';
import { processOwner } from './runOwner.js';

export type ResetOutcome =
  /** The history was sound and was left alone. */
  | { readonly reset: false }
  /** `problem` continues "The history <file> …"; `keptAs` is where the damaged file went, if there was one. */
  | { readonly reset: true; readonly problem: string; readonly keptAs: string | undefined };

/** SQLite's own files beside a database: the WAL holds commits not yet copied into it. */
const COMPANIONS = ['-wal', '-shm'];

/**
 * Starts a new, empty history at `file` when the one there is damaged, emptied or missing, keeping
 * what is there aside as `<file>.damaged-<time>` (its WAL with it); a sound history is left alone.
 * Throws SchemaTooNewError for a history from a newer Ferry: that one is not damaged.
 */
export function resetHistory(file: string, at = new Date()): ResetOutcome {
  const problem = problemOf(file);
  if (problem === undefined) return { reset: false };
  const keptAs = setAside(file, at);
  forgetHistory(file);
  const store = HistoryStore.open(file);
  try {
    store.audit({
      actor: processOwner(),
      action: 'history.reset',
      detail: `The history ${problem}; ${keptAs === undefined ? 'there was nothing to keep' : `it was kept as ${keptAs}`}.`,
    });
  } finally {
    store.close();
  }
  return { reset: true, problem, keptAs };
}

/** What is wrong with the history at `file`, reading all of it; undefined when it is sound. */
function problemOf(file: string): string | undefined {
  let store: HistoryStore;
  try {
    store = HistoryStore.open(file);
  } catch (e) {
    if (e instanceof HistoryDamagedError) return e.problem;
    throw e;
  }
  try {
    const reason = store.damage();
    return reason === undefined ? undefined : `is damaged: ${reason}`;
  } finally {
    store.close();
  }
}

/** Renames the database and its companions, never over an earlier one; returns the new name, if anything was there. */
function setAside(file: string, at: Date): string | undefined {
  const present = ['', ...COMPANIONS].filter((suffix) => existsSync(`${file}${suffix}`));
  if (present.length === 0) return undefined;
  // Colons are not allowed in Windows file names.
  const stamp = at.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
  let keptAs = `${file}.damaged-${stamp}`;
  for (let n = 2; ['', ...COMPANIONS].some((suffix) => existsSync(`${keptAs}${suffix}`)); n++) keptAs = `${file}.damaged-${stamp}-${n}`;
  // Under the new name SQLite still finds the WAL, should anyone open the kept file to rescue runs.
  for (const suffix of present) renameSync(`${file}${suffix}`, `${keptAs}${suffix}`);
  return keptAs;
}
