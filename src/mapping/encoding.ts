import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { addAbortSignal, pipeline } from 'node:stream';
import iconv from 'iconv-lite';
import { FormatError } from './errors.js';

type Encoding = Parameters<typeof iconv.encode>[1];

export const DEFAULT_ENCODING = 'utf-8';

export function encodingOf(name: string | undefined): Encoding {
  const encoding = name ?? DEFAULT_ENCODING;
  if (iconv.encodingExists(encoding)) return encoding;
  throw new FormatError(`Unknown encoding "${name}"`);
}

/** Unicode encodings can represent every string, so their output needs no round-trip check. */
export function isUnicode(name: string): boolean {
  return /^(utf|ucs|cesu)/i.test(name.replace(/[-_]/g, ''));
}

/**
 * The first character the encoding cannot represent, or undefined. iconv-lite writes '?' for such characters,
 * which would silently corrupt names and amounts in a partner file.
 */
export function unencodable(text: string, encoding: Encoding): string | undefined {
  if (isUnicode(encoding)) return undefined;
  if (iconv.decode(iconv.encode(text, encoding), encoding) === text) return undefined;
  for (const char of text) {
    if (iconv.decode(iconv.encode(char, encoding), encoding) !== char) return char;
  }
  return undefined;
}

/** Writes text to a stream the caller owns, in an encoding, honouring backpressure; never ends the stream. */
export class TextSink {
  private readonly encoder: ReturnType<typeof iconv.getEncoder>;
  private failure: Error | undefined;
  private readonly onError = (error: Error): void => {
    this.failure ??= error;
  };

  constructor(
    private readonly out: NodeJS.WritableStream,
    readonly encoding: Encoding,
    bom: boolean,
  ) {
    this.encoder = iconv.getEncoder(encoding, { addBOM: bom });
    out.on('error', this.onError);
  }

  async write(text: string): Promise<void> {
    await this.put(this.encoder.write(text));
  }

  /** Flushes the encoder and detaches from the stream. */
  async close(): Promise<void> {
    try {
      const rest = this.encoder.end();
      if (rest !== undefined) await this.put(rest);
    } finally {
      this.detach();
    }
  }

  /** Stops watching the stream without flushing, after a failed write. */
  detach(): void {
    this.out.removeListener('error', this.onError);
  }

  private async put(bytes: Buffer): Promise<void> {
    this.throwIfFailed();
    if (bytes.length === 0) return;
    if (!this.out.write(bytes)) {
      this.throwIfFailed();
      await once(this.out, 'drain');
    }
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

/** A file decoded to text chunks; the BOM, if any, is dropped. Errors and aborts surface while iterating. */
export function decodedFile(path: string, encoding: Encoding, signal?: AbortSignal): NodeJS.ReadWriteStream {
  const file = createReadStream(path);
  if (signal) addAbortSignal(signal, file);
  return pipeline(file, iconv.decodeStream(encoding), () => undefined);
}

export async function readText(path: string, encoding: Encoding, signal?: AbortSignal): Promise<string> {
  const bytes = signal ? await readFile(path, { signal }) : await readFile(path);
  return iconv.decode(bytes, encoding);
}
