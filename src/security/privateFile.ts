import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The text of `file`, or undefined when there is none; any other failure to read it is thrown. */
export async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Replaces `file` whole with `text`, readable by its owner only, in a folder only its owner may open. */
export async function writePrivateFile(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  // Replaced by a rename: a crash leaves the old content or the new, never half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  // writeFile's mode holds only for a new file, and through the umask: chmod makes it exact.
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}
