import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { FerryPaths } from '../config/ferryHome.js';

/** Which jobs the user switched off, and whether every schedule is paused. Running a job by hand ignores both. */
export interface JobSwitches {
  /** Names of jobs whose schedule does not fire, sorted. */
  readonly disabled: ReadonlyArray<string>;
  /** True while no schedule fires at all ("Pause all"). */
  readonly paused: boolean;
}

/** Why a job's schedule does not fire right now, or undefined when it does. */
export type ScheduleHold = 'disabled' | 'paused';

const storedSwitchesSchema = z.strictObject({
  version: z.literal(1),
  disabled: z.array(z.string()),
  paused: z.boolean(),
});

const ALL_ON: JobSwitches = { disabled: [], paused: false };

/** The switches live in the state folder beside the transfer queue, shared by the window, the tray and the daemon. */
export function jobSwitchesFile(paths: FerryPaths): string {
  return join(dirname(paths.partials), 'job-switches.json');
}

/**
 * The switches as last written. Read synchronously because the scheduler asks at each tick, and the file is
 * tiny. A file that cannot be read counts as "all on" rather than stopping every schedule, and says why.
 */
export function readJobSwitches(paths: FerryPaths, warn: (message: string) => void = () => undefined): JobSwitches {
  const file = jobSwitchesFile(paths);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return ALL_ON;
  }
  try {
    const stored = storedSwitchesSchema.parse(JSON.parse(text));
    return { disabled: stored.disabled, paused: stored.paused };
  } catch (e) {
    warn(`${file} could not be read (${e instanceof Error ? e.message.split('\n')[0] : String(e)}): every job is treated as enabled and schedules as running`);
    return ALL_ON;
  }
}

/** Why `job`'s schedule is held by these switches; a paused schedule outranks a disabled job. */
export function scheduleHold(switches: JobSwitches, job: string): ScheduleHold | undefined {
  if (switches.paused) return 'paused';
  return switches.disabled.includes(job) ? 'disabled' : undefined;
}

/** Writes in order within this process, so that the last change asked for is the one left on disk. */
const writes = new Map<string, Promise<unknown>>();

async function change(paths: FerryPaths, edit: (current: JobSwitches) => JobSwitches): Promise<JobSwitches> {
  const file = jobSwitchesFile(paths);
  const step = (writes.get(file) ?? Promise.resolve()).catch(() => undefined).then(async () => {
    const next = edit(readJobSwitches(paths));
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    // Replaced whole by a rename: a crash leaves the old switches or the new ones, never half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ version: 1, ...next }), { mode: 0o600 });
    await rename(tmp, file);
    return next;
  });
  writes.set(file, step);
  return step;
}

/** Switches one job's schedule on or off; returns the switches now in force. */
export function setJobEnabled(paths: FerryPaths, job: string, enabled: boolean): Promise<JobSwitches> {
  return change(paths, (current) => {
    const others = current.disabled.filter((name) => name !== job);
    return { ...current, disabled: enabled ? others : [...others, job].sort() };
  });
}

/** Pauses every schedule ("Pause all") or lets them fire again ("Resume"); returns the switches now in force. */
export function pauseSchedules(paths: FerryPaths, paused: boolean): Promise<JobSwitches> {
  return change(paths, (current) => ({ ...current, paused }));
}
