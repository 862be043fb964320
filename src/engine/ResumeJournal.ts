import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Remembers which source a partial file on a target belongs to, so that a transfer interrupted by a
 * crash or a closed laptop resumes from the bytes already sent — but only when the source is still the
 * same file (same location, size and modification time). Anything else starts over.
 */
export interface ResumeJournal {
  /** The source identity recorded for the partial file at `targetKey`, if any. */
  get(targetKey: string): Promise<string | undefined>;
  put(targetKey: string, sourceIdentity: string): Promise<void>;
  delete(targetKey: string): Promise<void>;
}

export class MemoryResumeJournal implements ResumeJournal {
  readonly #map = new Map<string, string>();
  async get(key: string): Promise<string | undefined> {
    return this.#map.get(key);
  }
  async put(key: string, identity: string): Promise<void> {
    this.#map.set(key, identity);
  }
  async delete(key: string): Promise<void> {
    this.#map.delete(key);
  }
}

/** One small file per partial transfer under Ferry's state folder; survives process restarts. */
export class FileResumeJournal implements ResumeJournal {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  async get(key: string): Promise<string | undefined> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.#file(key), 'utf8'));
      if (typeof parsed === 'object' && parsed !== null && 'source' in parsed && typeof parsed.source === 'string') {
        return parsed.source;
      }
      return undefined;
    } catch {
      return undefined;
    }
  }

  async put(key: string, identity: string): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const file = this.#file(key);
    const tmp = `${file}.tmp`;
    await writeFile(tmp, JSON.stringify({ target: key, source: identity }), { mode: 0o600 });
    await rename(tmp, file);
  }

  async delete(key: string): Promise<void> {
    await rm(this.#file(key), { force: true });
  }

  #file(key: string): string {
    return join(this.#dir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`);
  }
}
