import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { transferFileSchema, transferRequestSchema } from '../shared/contract/models.js';
import type { FerryPaths } from '../config/ferryHome.js';
import type { StoredBatch } from './QueuedBatch.js';

const storedQueueSchema = z.strictObject({
  version: z.literal(1),
  paused: z.boolean(),
  batches: z.array(
    z.strictObject({
      id: z.string(),
      request: transferRequestSchema,
      label: z.string(),
      startedAt: z.number(),
      files: z.array(transferFileSchema),
    }),
  ),
});

export interface StoredQueue {
  readonly paused: boolean;
  readonly batches: ReadonlyArray<StoredBatch>;
}

/**
 * The window's unfinished transfers in the workspace's state folder, so that a host started again on the
 * same workspace takes them up. It holds connection names and paths, never a secret; it is replaced
 * whole by a rename, so a crash leaves the old or the new file, never half of one.
 */
export class QueueFile {
  readonly path: string;
  #writing: Promise<void> = Promise.resolve();

  constructor(paths: FerryPaths) {
    this.path = join(dirname(paths.partials), 'transfer-queue.json');
  }

  /** What the last host left; an unreadable file is reported once and set aside rather than lost. */
  load(warn: (message: string) => void): StoredQueue {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return { paused: false, batches: [] };
    }
    try {
      return storedQueueSchema.parse(JSON.parse(text));
    } catch (e) {
      const kept = `${this.path}.unreadable`;
      warn(`${this.path} could not be read (${e instanceof Error ? e.message.split('\n')[0] : String(e)}): the transfers it held were not resumed; it was kept as ${kept}`);
      this.#writing = rename(this.path, kept).catch(() => undefined);
      return { paused: false, batches: [] };
    }
  }

  /** Writes after any write under way, so that the newest state is always the last on disk. */
  save(queue: StoredQueue): Promise<void> {
    const text = JSON.stringify({ version: 1, ...queue });
    this.#writing = this.#writing.then(() => this.#write(text));
    return this.#writing;
  }

  async #write(text: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, text, { mode: 0o600 });
    await rename(tmp, this.path);
  }
}
