import { readFile, stat } from 'node:fs/promises';
import { formatSize } from './rules/size.js';
import type { FileToValidate } from './types.js';

/** JSON and XML are parsed in memory; past this a malformed or hostile file could take the process down. */
export const MAX_IN_MEMORY_BYTES = 200 * 1000 * 1000;

/** Reads the file into memory, refusing ones too large for it; for the JSON and XML rules. */
export async function readBounded(file: FileToValidate, kind: string, signal?: AbortSignal): Promise<{ readonly bytes: Buffer } | { readonly refusal: string }> {
  const { size } = await stat(file.localPath);
  if (size > MAX_IN_MEMORY_BYTES) {
    return { refusal: `${file.relativePath} is ${formatSize(size)}, too large to parse as ${kind} (the limit is ${formatSize(MAX_IN_MEMORY_BYTES)})` };
  }
  return { bytes: await readFile(file.localPath, { signal }) };
}

