import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFerry } from '../helpers/runFerry.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'ferry.js');

/** More output than a pipe holds (64 KiB: 1000 lines of over 100 bytes), so that Ferry is still writing when the reader has gone. */
const FILES = 1000;
const LONG = 'a-name-long-enough-that-a-thousand-lines-of-it-overflow-what-a-pipe-holds';

interface Ended {
  readonly code: number | null;
  readonly err: string;
}

/** The installed binary with its standard output (and, if asked, its errors) read by nobody: the reader left first. */
async function withReaderGone(home: string, args: ReadonlyArray<string>, streams: 'stdout' | 'both'): Promise<Ended> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, FERRY_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let err = '';
  if (streams === 'both') child.stderr.destroy();
  else child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  return { code, err };
}

describe('a reader that stops early (ferry … | head) ends the output quietly, never the work', () => {
  let home: string;
  let work: string;
  let runId: number;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-pipe-home-'));
    work = await mkdtemp(join(tmpdir(), 'ferry-pipe-work-'));
    await mkdir(join(work, 'many'));
    for (let i = 0; i < FILES; i++) await writeFile(join(work, 'many', `${LONG}-${String(i).padStart(4, '0')}.csv`), 'x');
    const copied = await runFerry(home, ['copy', join(work, 'many'), join(work, 'first'), '-r']);
    expect(copied.code, copied.err).toBe(0);
    runId = (JSON.parse((await runFerry(home, ['history', '--json'])).out) as Array<{ id: number }>)[0]?.id ?? 0;
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('ferry ls … | head -2: two lines, then a quiet exit 0', async () => {
    const { stdout, stderr } = await promisify(execFile)('bash', ['-c', 'node "$0" ls "$1" | head -2; exit "${PIPESTATUS[0]}"', BIN, join(work, 'many')], {
      env: { ...process.env, FERRY_HOME: home },
    });
    expect(stdout.split('\n').filter((l) => l !== '')).toHaveLength(2);
    expect(stderr).toBe('');
  });

  it('ferry history | head -3: three lines, then a quiet exit 0', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      'bash',
      ['-c', 'node "$0" history --run "$1" --limit 5000 | head -3; exit "${PIPESTATUS[0]}"', BIN, String(runId)],
      { env: { ...process.env, FERRY_HOME: home } },
    );
    expect(stdout.split('\n').filter((l) => l !== '')).toHaveLength(3);
    expect(stderr).toBe('');
  });

  it('ferry history --csv with nobody reading ends quietly instead of waiting for ever', async () => {
    expect(await withReaderGone(home, ['history', '--run', String(runId), '--csv'], 'stdout')).toEqual({ code: 0, err: '' });
  });

  it('a copy whose output nobody reads still copies every file and records its run', async () => {
    expect(await withReaderGone(home, ['copy', join(work, 'many'), join(work, 'second'), '-r'], 'both')).toEqual({ code: 0, err: '' });
    expect(await readdir(join(work, 'second'))).toHaveLength(FILES);
    const runs = JSON.parse((await runFerry(home, ['history', '--json', '--limit', '1'])).out) as Array<{ status: string; files: number }>;
    expect(runs[0]).toMatchObject({ status: 'succeeded', files: FILES });
  });

  it('a failing command whose errors nobody reads still exits with its own code', async () => {
    expect(await withReaderGone(home, ['copy', 'nosuch:a', join(work, 'x')], 'both')).toEqual({ code: 2, err: '' });
  });
});
