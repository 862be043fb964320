import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
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

/**
 * The process's standard output or error as commands see it. A reader that stops early (`ferry history |
 * head -3`) makes writing fail with EPIPE; from then on output is dropped and writes still complete, so that
 * nothing waits for a drain that never comes. A closed reader ends the output, never the work: a copy still
 * finishes every file and records its run, which `ferry history` shows in full, and the exit code is the
 * command's own. Stopping a transfer because nobody reads its report would lose more than the report.
 */
export class ReaderSafeOutput extends Writable {
  readonly #target: NodeJS.WriteStream;

  constructor(target: NodeJS.WriteStream) {
    super({ decodeStrings: false });
    this.#target = target;
    target.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') this.destroy(e);
    });
  }

  get isTTY(): boolean {
    return this.#target.isTTY;
  }

  get columns(): number {
    return this.#target.columns;
  }

  override _write(chunk: Buffer | string, encoding: BufferEncoding, done: () => void): void {
    // Handing each line on at once keeps standard output and errors in the order they were written.
    if (this.#target.destroyed || this.#target.write(chunk, encoding)) {
      done();
      return;
    }
    // A full pipe holds the writer back; a reader that left (an error) releases it as the drain would.
    const resume = (): void => {
      this.#target.off('drain', resume);
      this.#target.off('error', resume);
      done();
    };
    this.#target.on('drain', resume);
    this.#target.on('error', resume);
  }
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
