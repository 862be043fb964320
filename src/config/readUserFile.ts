import { readFile } from 'node:fs/promises';
import { TransferError } from '../connectors/errors.js';

/** Reads a file the user named (a key, a CA certificate), turning failure into a clear configuration error. */
export async function readUserFile(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new TransferError('config', `Cannot read the ${what} ${path}: ${code}`);
  }
}
