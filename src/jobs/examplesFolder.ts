import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The example flows' folder beside the package, whose job files are the templates of new jobs. Found by
 * walking up from this module, because it sits one level deeper once compiled (`out/src/jobs`) than in the
 * sources (`src/jobs`).
 */
export function examplesFolder(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'examples'))) return join(dir, 'examples');
    if (dirname(dir) === dir) throw new Error(`No examples folder above ${from}: Ferry's installation is incomplete.`);
  }
}
