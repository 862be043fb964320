import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { descendantsOf, journalPath, processStartTime, type JournalEntry } from './util.js';

export const ROOT_PREFIX = 'ferry-servers-';

/** A folder without an owner file may belong to a run that is starting right now. */
const UNOWNED_GRACE_MS = 10 * 60_000;

interface Owner {
  readonly pid: number;
  readonly start: string;
}

function ownerFile(root: string): string {
  return `${root}/owner.json`;
}

/** Marks `root` as belonging to this process for as long as it lives. */
export async function claimRoot(root: string): Promise<void> {
  const owner: Owner = { pid: process.pid, start: processStartTime(process.pid) ?? '' };
  await writeFile(ownerFile(root), JSON.stringify(owner));
}

function sameProcess(entry: { pid: number; start: string }): boolean {
  return entry.start !== '' && processStartTime(entry.pid) === entry.start;
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

async function abandoned(root: string): Promise<boolean> {
  const owner = await readJson<Owner>(ownerFile(root));
  if (owner) {
    return !sameProcess(owner);
  }
  try {
    return Date.now() - (await stat(root)).mtimeMs > UNOWNED_GRACE_MS;
  } catch {
    return false;
  }
}

/**
 * Ends the servers of earlier runs that died without teardown (killed test runner) and removes
 * their folders. Only processes recorded in a run's journal, and still the same processes (pid and
 * start time match), are signalled.
 */
export async function sweepAbandonedRuns(): Promise<string[]> {
  const base = tmpdir();
  const removed: string[] = [];
  for (const name of await readdir(base)) {
    if (!name.startsWith(ROOT_PREFIX)) {
      continue;
    }
    const root = `${base}/${name}`;
    if (!(await abandoned(root))) {
      continue;
    }
    let journal = '';
    try {
      journal = await readFile(journalPath(root), 'utf8');
    } catch {
      // Nothing was started.
    }
    for (const line of journal.split('\n')) {
      if (line.trim() === '') {
        continue;
      }
      let entry: JournalEntry;
      try {
        entry = JSON.parse(line) as JournalEntry;
      } catch {
        // Cut short when that run was killed.
        continue;
      }
      if (!sameProcess(entry)) {
        continue;
      }
      for (const pid of [entry.pid, ...descendantsOf(entry.pid)]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    await rm(root, { recursive: true, force: true });
    removed.push(root);
  }
  return removed;
}
