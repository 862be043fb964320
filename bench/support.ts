import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { runChecked } from './measure.js';

/** The repository this bench belongs to, with a trailing slash. */
export const REPO = new URL('../', import.meta.url).pathname;

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
}

export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    kernel: release(),
    node: process.version,
  };
}

export function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}`;
}

/** The commit measured, and whether src/ differed from it: numbers are only comparable for the same code. */
export async function sourceRevision(): Promise<string> {
  try {
    const head = (await runChecked({ command: 'git', args: ['-C', REPO, 'rev-parse', '--short', 'HEAD'], timeoutMs: 30_000 })).trim();
    const changed = (await runChecked({ command: 'git', args: ['-C', REPO, 'status', '--porcelain', '--', 'src'], timeoutMs: 30_000 })).trim();
    return changed === '' ? `commit ${head}` : `commit ${head} with uncommitted changes in src/`;
  } catch {
    return 'an unknown revision';
  }
}

/** Writes `bench/results/<prefix>-<start time>.json` (git-ignored) and returns its path. */
export async function writeResults(prefix: string, startedAt: string, results: unknown): Promise<string> {
  const dir = join(REPO, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${prefix}-${startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

/** A whole number option from 1 to `max`, or an error naming the option. */
export function wholeNumber(name: string, text: string, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} takes a whole number from 1 to ${max}`);
  return n;
}

/** Comma-separated names, each one of `allowed`. */
export function nameList<T extends string>(name: string, text: string, allowed: ReadonlyArray<T>): T[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const item of items) if (!allowed.includes(item as T)) throw new Error(`--${name}: unknown "${item}" (use ${allowed.join(', ')})`);
  if (items.length === 0) throw new Error(`--${name} needs at least one of ${allowed.join(', ')}`);
  return [...new Set(items)] as T[];
}

/** The value below which `p` (0–1) of the sorted samples lie, by the nearest-rank method. */
export function percentile(sorted: ReadonlyArray<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] as number;
}

export function fixed(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '—';
}

export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}
