import { spawn } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One external command, run exactly as a user would type it. */
export interface CommandSpec {
  readonly command: string;
  readonly args: ReadonlyArray<string>;
  /** Added to a minimal environment; the bench's own environment is not passed on. */
  readonly env?: Readonly<Record<string, string>>;
  /** Written to standard input, which is then closed. */
  readonly input?: string;
  readonly cwd?: string;
  readonly timeoutMs: number;
}

export interface Measured {
  readonly seconds: number;
  /**
   * Peak resident memory in KiB: the sum of each process's high-water mark over the process tree (sftp
   * runs ssh as a child), or the kernel's figure from wait4 when that is larger.
   */
  readonly peakRssKiB: number;
  /** User plus system CPU seconds of the command and everything it waited for; NaN without GNU time. */
  readonly cpuSeconds: number;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

const GNU_TIME = '/usr/bin/time';
/** High-water marks only grow, so sampling them often matters little; walking /proc costs CPU the tools need. */
const RSS_POLL_MS = 100;
const TREE_SCAN_EVERY = 5;
/** Output is only kept for error messages and Ferry's JSON summary; this bounds what one run may buffer. */
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

/** Process groups of commands still running, so an interrupted bench can end them (and only them). */
const running = new Set<number>();

export function killRunning(): void {
  for (const pgid of running) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

function hasGnuTime(): boolean {
  try {
    accessSync(GNU_TIME, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Parent pid of every live process, read once per poll: /proc/<pid>/task/<tid>/children is not available everywhere. */
function parentMap(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // Exited while we looked.
    }
  }
  return children;
}

function treeOf(root: number): number[] {
  const children = parentMap();
  const all: number[] = [];
  const queue = [root];
  // A process tree cannot be deeper than the number of processes.
  for (let guard = 0; queue.length > 0 && guard < 100_000; guard++) {
    const pid = queue.shift() as number;
    for (const child of children.get(pid) ?? []) {
      all.push(child);
      queue.push(child);
    }
  }
  return all;
}

function highWaterKiB(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

/**
 * Runs a command with wall-clock timing and peak-memory sampling. The command gets its own process
 * group so a timeout can end it and everything it started, and nothing else.
 */
export async function measure(spec: CommandSpec): Promise<Measured> {
  const useTime = hasGnuTime();
  const timeFile = join(tmpdir(), `ferry-bench-time-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const command = useTime ? GNU_TIME : spec.command;
  const args = useTime ? ['-f', '%M %U %S', '-o', timeFile, spec.command, ...spec.args] : [...spec.args];
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/root',
    LANG: 'C.UTF-8',
    ...spec.env,
  };

  const started = performance.now();
  const child = spawn(command, args, {
    cwd: spec.cwd,
    env,
    detached: true,
    stdio: [spec.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${spec.command}`);
  running.add(pid);
  if (spec.input !== undefined) child.stdin?.end(spec.input);

  const peaks = new Map<number, number>();
  let tree: number[] = [];
  let polls = 0;
  const sample = (): void => {
    if (polls++ % TREE_SCAN_EVERY === 0) tree = useTime ? treeOf(pid) : [pid, ...treeOf(pid)];
    for (const p of tree) {
      const hwm = highWaterKiB(p);
      if (hwm !== undefined) peaks.set(p, Math.max(peaks.get(p) ?? 0, hwm));
    }
  };
  const poller = setInterval(sample, RSS_POLL_MS);

  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let outBytes = 0;
  let errBytes = 0;
  child.stdout?.on('data', (b: Buffer) => {
    if (outBytes < MAX_OUTPUT_BYTES) out.push(b);
    outBytes += b.length;
  });
  child.stderr?.on('data', (b: Buffer) => {
    if (errBytes < MAX_OUTPUT_BYTES) err.push(b);
    errBytes += b.length;
  });

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, spec.timeoutMs);

  const { code, signal, seconds } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; seconds: number }>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c, s) => {
        // Timing stops at exit, before the remaining output is drained.
        const s2 = (performance.now() - started) / 1000;
        child.once('close', () => resolve({ code: c, signal: s, seconds: s2 }));
      });
    },
  ).finally(() => {
    running.delete(pid);
    clearTimeout(timer);
    clearInterval(poller);
  });

  let kernelPeak = 0;
  let cpuSeconds = NaN;
  if (useTime) {
    try {
      const text = await readFile(timeFile, 'utf8');
      // GNU time prefixes "Command exited with non-zero status N" when the command failed.
      const [maxRss, user, system] = (text.trim().split('\n').pop() ?? '').split(' ').map(Number);
      kernelPeak = maxRss ?? 0;
      if (user !== undefined && system !== undefined) cpuSeconds = user + system;
    } catch {
      // Killed before time could write it.
    }
    await rm(timeFile, { force: true });
  }
  const treePeak = [...peaks.values()].reduce((a, b) => a + b, 0);
  return {
    seconds,
    peakRssKiB: Math.max(treePeak, Number.isFinite(kernelPeak) ? kernelPeak : 0),
    cpuSeconds,
    exitCode: code,
    signal,
    timedOut,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}

/** Runs a helper command (not measured) and throws with its output when it fails. */
export async function runChecked(spec: CommandSpec): Promise<string> {
  const result = await measure(spec);
  if (result.exitCode !== 0) {
    const why = result.timedOut ? `timed out after ${spec.timeoutMs} ms` : `exit ${result.exitCode ?? result.signal}`;
    throw new Error(`${spec.command} ${spec.args.join(' ')}: ${why}\n${tail(result.stderr || result.stdout)}`);
  }
  return result.stdout;
}

export function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
