import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Ferry's own folder, the one with its package.json, found from this file whether it runs from `src/` or `out/src/`. */
export function ferryPackageFolder(): string {
  for (let dir = import.meta.dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error(`Ferry's package.json is not in any folder above ${import.meta.dirname}`);
}

/** Where `npm run build` puts the browser's copy of the window. */
export function defaultRendererFolder(): string {
  return join(ferryPackageFolder(), 'out', 'renderer-web');
}

export async function ferryVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(join(ferryPackageFolder(), 'package.json'), 'utf8')) as { readonly version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}
