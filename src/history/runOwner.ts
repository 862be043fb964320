import { hostname } from 'node:os';

/** How often the process running a run says it is still there. */
export const HEARTBEAT_MS = 10_000;

/** A run whose owner has not been heard of for this long is given up on, even on another machine. */
const STALE_AFTER_MS = 5 * 60_000;

/** This process, as the owner of the runs it starts: its id and machine. */
export function processOwner(): string {
  return `${process.pid}@${hostname()}`;
}

/**
 * The owner of a run is alive when it beat recently and, on this machine, its process still exists.
 * The heartbeat also covers a process id the system has since given to another program.
 */
export function ownerAlive(owner: string, heartbeatAt: number, now: number): boolean {
  if (heartbeatAt < now - STALE_AFTER_MS) return false;
  const [pid, host] = owner.split('@');
  if (host !== hostname() || pid === undefined) return true;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
