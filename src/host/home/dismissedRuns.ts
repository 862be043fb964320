import { readFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { FerryPaths } from '../../config/ferryHome.js';

const storedSchema = z.strictObject({ version: z.literal(1), runs: z.array(z.number().int().min(1)) });

/** Beside the job switches in the state folder: the failed runs the user set aside on Home. */
export function dismissedRunsFile(paths: FerryPaths): string {
  return join(dirname(paths.partials), 'home-dismissed.json');
}

/** The ids set aside. A file that cannot be read sets nothing aside: a failure shown twice is better than one hidden. */
export async function readDismissedRuns(paths: FerryPaths): Promise<ReadonlySet<number>> {
  try {
    return new Set(storedSchema.parse(JSON.parse(await readFile(dismissedRunsFile(paths), 'utf8'))).runs);
  } catch {
    return new Set();
  }
}

/**
 * Writes the ids set aside, keeping only those still among `current` (the failures Home lists) and the new
 * one, so the file stays as small as the list it hides from.
 */
export async function dismissRun(paths: FerryPaths, runId: number, current: ReadonlyArray<number>): Promise<void> {
  const was = await readDismissedRuns(paths);
  const runs = [...new Set([...current.filter((id) => was.has(id)), runId])].sort((a, b) => a - b);
  const file = dismissedRunsFile(paths);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  // Replaced whole by a rename: a crash leaves the old list or the new one, never half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ version: 1, runs }), { mode: 0o600 });
  await rename(tmp, file);
}
