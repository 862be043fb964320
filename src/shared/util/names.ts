/** Most file systems and file servers cap one name (one path segment) at 255 bytes of UTF-8. */
export const MAX_NAME_BYTES = 255;

/** The length of `text` in UTF-8, as file systems count it (a lone surrogate is written as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** The first segment of a `/`-separated path that is longer than a name may be, with its length in bytes. */
export function overlongName(path: string): { readonly name: string; readonly bytes: number } | undefined {
  for (const name of path.split('/')) {
    const bytes = utf8Length(name);
    if (bytes > MAX_NAME_BYTES) return { name, bytes };
  }
  return undefined;
}

/**
 * A long name as a message shows it: its start and its end, where the extension is, around an ellipsis
 * (`ACME-99999…9999.csv`), at most `max` characters.
 */
export function shortened(name: string, max = 60): string {
  const chars = [...name];
  if (chars.length <= max) return name;
  const tail = Math.floor((max - 1) / 3);
  return `${chars.slice(0, max - 1 - tail).join('')}…${chars.slice(-tail).join('')}`;
}

/** A path with each name that is over the limit shortened, so that a message shows where it is and not 300 bytes of it. */
export function shortenedOverlongNames(path: string): string {
  return path
    .split('/')
    .map((name) => (utf8Length(name) > MAX_NAME_BYTES ? shortened(name) : name))
    .join('/');
}
