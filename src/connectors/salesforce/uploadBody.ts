import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A file about to be uploaded: in memory when small, otherwise streamed once, from its source or a spool file. */
export interface UploadBody {
  readonly size: number;
  /** The whole file, when it is small enough to go inline. */
  readonly inline: Buffer | undefined;
  /** Known up front for inline and spooled files; a streamed file's MD5 is known once it was sent. */
  readonly md5: string | undefined;
  /** The bytes, for a streamed upload; call once. */
  open(): Readable;
  dispose(): Promise<void>;
}

export interface SpoolOptions {
  readonly inlineMaxBytes: number;
  /** How many bytes the source will yield, when the caller knows it. */
  readonly size?: number;
}

/**
 * Reads the start of an upload to choose how to send it. A small file is kept in memory; a large one
 * of known size streams straight on; a large one of unknown size is spooled to a temporary file first,
 * because a multipart upload must declare its length before the first byte.
 */
export async function spoolUpload(data: Readable, opts: SpoolOptions): Promise<UploadBody> {
  const head: Buffer[] = [];
  let headBytes = 0;
  const iterator = data[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) {
      const inline = Buffer.concat(head);
      return {
        size: inline.length,
        inline,
        md5: createHash('md5').update(inline).digest('hex'),
        open: () => Readable.from([inline]),
        dispose: async () => undefined,
      };
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    head.push(chunk);
    headBytes += chunk.length;
    if (headBytes > opts.inlineMaxBytes) break;
  }
  const rest = async function* (): AsyncGenerator<Buffer> {
    yield* head;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    }
  };
  if (opts.size !== undefined) {
    const size = opts.size;
    return { size, inline: undefined, md5: undefined, open: () => Readable.from(rest()), dispose: async () => void data.destroy() };
  }
  const dir = await mkdtemp(join(tmpdir(), 'ferry-upload-'));
  const file = join(dir, 'body');
  const hash = createHash('md5');
  let size = 0;
  try {
    await pipeline(
      Readable.from(rest()),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(file, { mode: 0o600 }),
    );
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    size,
    inline: undefined,
    md5: hash.digest('hex'),
    open: () => createReadStream(file),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
