import { isValidConnectionName } from '../config/ConnectionStore.js';

/** One side of a copy: a named connection and a path in it, or a path on this machine. */
export type Location =
  | { readonly kind: 'connection'; readonly connection: string; readonly path: string }
  | { readonly kind: 'local'; readonly path: string };

/**
 * Reads `name:path` as a connection and anything else as a local path, as rclone does. A single letter
 * before the colon on Windows is a drive, and a leading `/`, `./` or `../` always means a local path.
 */
export function parseLocation(text: string, platform: NodeJS.Platform = process.platform): Location {
  if (/^(\.{0,2}\/|~)/.test(text)) return { kind: 'local', path: text };
  if (platform === 'win32' && /^[A-Za-z]:[\\/]/.test(text)) return { kind: 'local', path: text };
  const colon = text.indexOf(':');
  if (colon > 0) {
    const name = text.slice(0, colon);
    if (isValidConnectionName(name)) return { kind: 'connection', connection: name, path: text.slice(colon + 1) };
  }
  return { kind: 'local', path: text };
}
