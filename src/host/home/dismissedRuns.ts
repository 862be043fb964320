import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { FerryPaths } from '../../config/ferryHome.js';
import { readIfPresent, writePrivateFile } from '../../security/privateFile.js';

const storedSchema = z.strictObject({ version: z.literal(1), runs: z.array(z.number().int().min(1)) });

/** Beside the job switches in the state folder: the failed runs the user set aside on Home. */
export function dismissedRunsFile(paths: FerryPaths): string {
  return join(dirname(paths.partials), 'home-dismissed.json');
}

/** The ids set aside. A file that cannot be read sets nothing aside: a failure shown twice is better than one hidden. */
export async function readDismissedRuns(paths: FerryPaths): Promise<ReadonlySet<number>> {
  try {
    const text = await readIfPresent(dismissedRunsFile(paths));
    return new Set(text === undefined ? [] : storedSchema.parse(JSON.parse(text)).runs);
  } catch {
    return new Set();
  }
}

/** Writes in order within this process, so that no set-aside run is lost to another written at the same time. */
const writes = new Map<string, Promise<unknown>>();

/**
 * Writes the ids set aside, keeping only those still among `current` (the failures Home lists) and the new
 * one, so the file stays as small as the list it hides from.
 */
export async function dismissRun(paths: FerryPaths, runId: number, current: ReadonlyArray<number>): Promise<void> {
  const file = dismissedRunsFile(paths);
  const step = (writes.get(file) ?? Promise.resolve()).catch(() => undefined).then(async () => {
    const was = await readDismissedRuns(paths);
    const runs = [...new Set([...current.filter((id) => was.has(id)), runId])].sort((a, b) => a - b);
    await writePrivateFile(file, JSON.stringify({ version: 1, runs }));
  });
  writes.set(file, step);
  return step;
}
