import { createInterface } from 'node:readline/promises';
import { jsonText, visibleText } from './format.js';

/** Where a command writes; injected so tests can capture output without a terminal. */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
}

/** A writable that may be a terminal (then it has a width). */
export type OutputStream = NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };

/** Human output: whatever it quotes (a file name, a server's message) cannot act on the terminal. */
export function print(io: CliIo, line = ''): void {
  io.stdout.write(`${visibleText(line)}\n`);
}

export function warn(io: CliIo, line: string): void {
  io.stderr.write(`${visibleText(line)}\n`);
}

/** Output for programs (`--json`): the exact values. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${jsonText(value)}\n`);
}

/** Reads a secret piped on standard input; a single trailing newline (from `echo`) is not part of it. */
export async function readSecretFromStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Asks a yes/no question on the terminal; only "y" or "yes" counts as yes. */
export async function askYesNo(io: CliIo, question: string): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  try {
    const answer = await rl.question(`${visibleText(question)} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** Whether a person can answer questions: both standard input and the error stream are terminals. */
export function isInteractive(io: CliIo): boolean {
  return (io.stdin as { isTTY?: boolean }).isTTY === true && io.stderr.isTTY === true;
}
