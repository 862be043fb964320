import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../src/cli/main.js';

export interface FerryRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs one `ferry` command in-process with its own data folder, capturing what it prints. */
export async function runFerry(home: string, args: ReadonlyArray<string>, stdin = ''): Promise<FerryRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runCli(args, { stdout, stderr, stdin: Readable.from([stdin]), env: { FERRY_HOME: home } }, new AbortController().signal);
  return { code, out, err };
}
