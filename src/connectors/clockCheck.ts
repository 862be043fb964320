import { randomUUID } from 'node:crypto';
import type { ClockCheck } from './types.js';

/** The steps of a clock check on one server: each throws when the server refuses it. */
export interface ClockSteps {
  /** Writes a file of a few bytes at `name` in the login folder. */
  write(name: string): Promise<void>;
  /** The modification time the server gave that file, in epoch ms (whole seconds); undefined when it says none. */
  stamp(name: string): Promise<number | undefined>;
  remove(name: string): Promise<void>;
}

/**
 * Reads a server's clock from the time it stamps on a file it has just written: no file protocol lets a
 * client ask a server for the time. The file's name marks it as Ferry's and cannot clash with anyone's;
 * it is removed at once. `now` is this computer's clock.
 */
export async function checkClock(steps: ClockSteps, now: () => number): Promise<ClockCheck> {
  const file = `.ferry-clock-check-${randomUUID()}.tmp`;
  const before = now();
  try {
    await steps.write(file);
  } catch (e) {
    return { kind: 'unmeasured', reason: `Ferry may not write a file in the login folder to read the server's clock (${messageOf(e)})` };
  }
  const after = now();
  let stamp: number | undefined;
  let unstamped: string | undefined;
  try {
    stamp = await steps.stamp(file);
  } catch (e) {
    unstamped = `The server did not say when it wrote ${file} (${messageOf(e)})`;
  }
  const removed = await removes(steps, file);
  if (unstamped !== undefined) return { kind: 'unmeasured', reason: unstamped };
  if (stamp === undefined) return { kind: 'unmeasured', reason: 'The server does not tell the times of its files' };
  // Servers keep whole seconds, cutting the fraction off: half a second puts the stamp mid-way.
  const skewMs = stamp + 500 - (before + after) / 2;
  return { kind: 'measured', skewMs, file, removed };
}

async function removes(steps: ClockSteps, file: string): Promise<boolean> {
  try {
    await steps.remove(file);
    return true;
  } catch {
    return false;
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
