import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Everything under `dir` by relative path: a file's text, or `<dir>` for a folder; nothing when `dir` is missing. */
export async function folderTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])) {
    const path = join(entry.parentPath, entry.name);
    out[relative(dir, path)] = entry.isFile() ? await readFile(path, 'utf8') : '<dir>';
  }
  return out;
}
