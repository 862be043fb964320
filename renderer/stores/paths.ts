/** Paths as the contract spells them: relative to the connection's root, `/`-separated, '' for the root. */

export function parentOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}

export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** What a user typed in the path bar, as a contract path: `\` or `/` separated, leading and doubled slashes dropped. */
export function typedPath(text: string): string {
  return text
    .replaceAll('\\', '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

export function segmentsOf(path: string): ReadonlyArray<{ readonly name: string; readonly path: string }> {
  const parts = path === '' ? [] : path.split('/');
  return parts.map((name, i) => ({ name, path: parts.slice(0, i + 1).join('/') }));
}
