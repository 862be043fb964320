import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';

/** Linux reports process CPU times in USER_HZ ticks, 100 per second on every mainstream build. */
const TICKS_PER_SECOND = 100;
const KTHREADD = 2;

interface ProcTimes {
  readonly ppid: number;
  readonly zombie: boolean;
  /** Own user+system ticks plus those of reaped children. */
  readonly ticks: number;
}

/** CPU ticks used so far by every process that is neither this bench nor anything it started, nor a kernel thread. */
export interface CpuSnapshot {
  readonly at: number;
  /** Ticks per process, keyed by pid and start time (pids are reused). */
  readonly others: ReadonlyMap<string, number>;
  readonly ours: ReadonlySet<string>;
}

function readAll(): Map<string, ProcTimes> {
  const all = new Map<string, ProcTimes>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // After the command name: state ppid ... utime(14) stime(15) cutime(16) cstime(17) ... starttime(22).
      // Reaped children count too (short-lived test processes), except for init: it also reaps the bench's
      // own orphans, such as sshd session processes whose monitor exited first.
      const reaped = entry === '1' ? 0 : Number(f[13]) + Number(f[14]);
      const ticks = Number(f[11]) + Number(f[12]) + reaped;
      all.set(`${entry}:${f[19]}`, { ppid: Number(f[1]), ticks, zombie: f[0] === 'Z' });
    } catch {
      // Exited while we looked.
    }
  }
  return all;
}

export function cpuSnapshot(): CpuSnapshot {
  const all = readAll();
  const pidOf = (key: string): number => Number(key.slice(0, key.indexOf(':')));
  const parents = new Map<number, number>();
  for (const [key, p] of all) parents.set(pidOf(key), p.ppid);
  const ours = (pid: number): boolean => {
    // Bounded walk up the tree: pid 1 is everyone's ancestor, and a pid cannot repeat on a path.
    for (let p = pid, guard = 0; p > 1 && guard < 1000; guard++) {
      if (p === process.pid) return true;
      p = parents.get(p) ?? 0;
    }
    return false;
  };
  const others = new Map<string, number>();
  const mine = new Set<string>();
  for (const [key, p] of all) {
    const pid = pidOf(key);
    if (ours(pid)) mine.add(key);
    // An exiting process may already hang under pid 1 (sshd's session processes do), so its tree is unknown.
    else if (pid !== KTHREADD && p.ppid !== KTHREADD && !p.zombie) others.set(key, p.ticks);
  }
  return { at: performance.now(), others, ours: mine };
}

/**
 * Cores' worth of CPU that other processes used between two snapshots (other people's test runs on a
 * shared machine, say). Processes that ended meanwhile count through their parent's reaped-children time.
 */
export function otherLoad(from: CpuSnapshot, to: CpuSnapshot): number {
  let ticks = 0;
  for (const [key, now] of to.others) if (!from.ours.has(key)) ticks += now - (from.others.get(key) ?? 0);
  const seconds = (to.at - from.at) / 1000;
  // A long-lived child reaped meanwhile brings its whole lifetime along: no more than every core can be meant.
  return seconds > 0 ? Math.min(availableParallelism(), Math.max(0, ticks / TICKS_PER_SECOND / seconds)) : 0;
}

/**
 * Waits, up to `maxWaitMs`, until other processes use less than `threshold` cores over one second.
 * Returns the last load seen and how long it waited.
 */
export async function waitForQuiet(threshold: number, maxWaitMs: number): Promise<{ load: number; waitedMs: number }> {
  const started = performance.now();
  let load = Infinity;
  for (let i = 0; i < 1000; i++) {
    const a = cpuSnapshot();
    await delay(1000);
    load = otherLoad(a, cpuSnapshot());
    if (load < threshold || performance.now() - started >= maxWaitMs) break;
  }
  return { load, waitedMs: performance.now() - started };
}
