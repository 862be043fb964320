import { open, type FileHandle } from 'node:fs/promises';
import { TransferError } from '../connectors/errors.js';

/** A file the user named that cannot be used; `reason` says why without naming the file, for messages that name it already. */
export class UserFileError extends TransferError {
  constructor(
    readonly file: string,
    readonly reason: string,
    message: string,
    cause?: unknown,
  ) {
    super('config', message, cause === undefined ? {} : { cause });
  }
}

export interface UserFileLimits {
  /** A larger file is refused before it is parsed: no file of its kind is that big, and parsing one could exhaust memory. */
  readonly maxBytes?: number;
}

/** Reads a file the user named (a key, a CA certificate, a job), turning failure into a clear configuration error. */
export async function readUserFile(path: string, what: string, limits: UserFileLimits = {}): Promise<Buffer> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    if (limits.maxBytes === undefined) return await handle.readFile();
    const content = await readAtMost(handle, limits.maxBytes);
    if (content === undefined) {
      const reason = `is larger than ${binarySize(limits.maxBytes)}, the most a ${what} may be`;
      throw new UserFileError(path, reason, `The ${what} ${path} ${reason}`);
    }
    return content;
  } catch (e) {
    if (e instanceof UserFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new UserFileError(path, code === 'ENOENT' ? 'no such file' : `cannot be read (${code})`, `Cannot read the ${what} ${path}: ${code}`, e);
  } finally {
    await handle?.close();
  }
}

/**
 * The file's bytes, or undefined once there are more than `maxBytes`. Reads rather than trusts the size
 * the file system reports, which a file still growing or a named pipe would get wrong.
 */
async function readAtMost(handle: FileHandle, maxBytes: number): Promise<Buffer | undefined> {
  const stated = await handle.stat();
  if (stated.isFile() && stated.size > maxBytes) return undefined;
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) return Buffer.concat(chunks, total);
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) return undefined;
  }
}

function binarySize(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
