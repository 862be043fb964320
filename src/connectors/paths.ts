import { posix } from 'node:path';
import { TransferError } from './errors.js';

/** Characters that never belong in one path segment, whatever the server claims. */
const FORBIDDEN_IN_NAME = /[/\\\0\r\n]/;

/**
 * Why a name taken from a listing cannot be used as a single path segment, or undefined when it is safe.
 * Refuses what could climb out of the destination (`..`, separators, absolute paths) or smuggle protocol
 * commands (CR/LF), and NUL, which truncates names in C-based servers.
 */
export function unsafeNameReason(name: string): string | undefined {
  if (name === '') return 'the name is empty';
  if (name === '.' || name === '..') return `"${name}" refers to a folder, not a file`;
  const bad = FORBIDDEN_IN_NAME.exec(name);
  if (bad !== null) return `the name contains ${describeChar(bad[0])}`;
  return undefined;
}

function describeChar(c: string): string {
  switch (c) {
    case '/':
    case '\\':
      return `a path separator (${c})`;
    case '\0':
      return 'a NUL byte';
    default:
      return 'a line break';
  }
}

/** Throws kind 'unsafeName' unless `name` is one safe path segment. */
export function assertSafeName(name: string, context: string): void {
  const reason = unsafeNameReason(name);
  if (reason !== undefined) {
    throw new TransferError('unsafeName', `Refused ${JSON.stringify(name)} in ${context}: ${reason}`, {
      path: context,
    });
  }
}

/**
 * Normalises a path relative to a connector root: POSIX separators, no leading or trailing slash, no
 * empty or '.' segments. A '..' segment, a NUL or a line break is refused rather than resolved, so that no
 * input can reach outside the root.
 */
export function normalizeRelative(path: string): string {
  if (/[\0\r\n]/.test(path)) {
    throw new TransferError('unsafeName', `Refused path ${JSON.stringify(path)}: it contains a control character`);
  }
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) {
    throw new TransferError('unsafeName', `Refused path ${JSON.stringify(path)}: ".." may not leave the root`);
  }
  return segments.join('/');
}

/** Joins a relative path under an absolute POSIX root, refusing anything that would escape it. */
export function resolveUnderRoot(root: string, path: string): string {
  const rel = normalizeRelative(path);
  return rel === '' ? root : posix.join(root, rel);
}

/** How a connector root is shown: absolute as it is, relative to the login folder as `/~/…` (curl's form). */
export function displayRoot(root: string): string {
  return root.startsWith('/') ? root : `/~/${root}`;
}

/** Joins two relative paths ('' is the root). */
export function joinRelative(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** The parent of a relative path ('' for a top-level entry). */
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** The last segment of a relative path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * A path on a connector as a user reads it in a message: the connector's location with the path after
 * it (`file:///tmp/in/a.csv`, `sftp://ann@host:22/out/a.csv`), never a root-relative path that would
 * lose its leading slash.
 */
export function locationOf(fs: { readonly description: string }, path: string): string {
  if (path === '') return fs.description;
  return fs.description.endsWith('/') ? `${fs.description}${path}` : `${fs.description}/${path}`;
}
