import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Rectangle } from 'electron';
import { z } from 'zod';

const savedBoundsSchema = z.strictObject({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(200),
  height: z.number().int().min(200),
  maximized: z.boolean(),
});

/** Where the window was and how large, when it was last hidden or closed. */
export type SavedBounds = z.infer<typeof savedBoundsSchema>;

/** Remembers the window's place in a small file of the data folder. */
export interface WindowBoundsMemory {
  /** The saved place, if it still lies on one of these displays' work areas (a monitor may have gone). */
  load(workAreas: ReadonlyArray<Rectangle>): SavedBounds | undefined;
  save(bounds: SavedBounds): void;
}

/**
 * Read and written synchronously: saving happens in the window's `close` handler, and the place must be
 * on disk before the process may end; the file is a few bytes. A file that cannot be read is ignored and
 * the window opens at its default size.
 */
export function windowBoundsFile(file: string, warn: (message: string) => void): WindowBoundsMemory {
  return {
    load(workAreas) {
      let saved: SavedBounds;
      try {
        saved = savedBoundsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') warn(`${file} could not be read (${e instanceof Error ? e.message.split('\n')[0] : String(e)}): the window opens at its default size`);
        return undefined;
      }
      return workAreas.some((area) => overlapsEnough(saved, area)) ? saved : undefined;
    },
    save(bounds) {
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        writeFileSync(tmp, JSON.stringify(bounds), { mode: 0o600 });
        renameSync(tmp, file);
      } catch (e) {
        warn(`The window's place could not be saved in ${file}: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  };
}

/** At least a corner of the title bar's width must be reachable, or the window could not be dragged back. */
function overlapsEnough(bounds: Rectangle, area: Rectangle): boolean {
  const width = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
  const height = Math.min(bounds.y + bounds.height, area.y + area.height) - Math.max(bounds.y, area.y);
  return width >= 100 && height >= 50;
}
