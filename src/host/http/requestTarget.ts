/** The path and query of a request as the client sent them, before any normalisation. */
export interface RequestTarget {
  readonly path: string;
  readonly query: URLSearchParams;
}

/** Only origin-form targets (`/path?query`): a proxy's absolute form or `*` has no business here. */
export function requestTarget(url: string | undefined): RequestTarget | undefined {
  if (url?.startsWith('/') !== true) return undefined;
  const mark = url.indexOf('?');
  return mark === -1 ? { path: url, query: new URLSearchParams() } : { path: url.slice(0, mark), query: new URLSearchParams(url.slice(mark + 1)) };
}

/**
 * The decoded segments of a raw path, or undefined when one could leave the folder it names: `.` and
 * `..` (also percent-encoded, which URL parsers would quietly resolve), encoded separators and NUL.
 * Empty segments (`//`) are dropped.
 */
export function safeSegments(path: string): ReadonlyArray<string> | undefined {
  const segments: string[] = [];
  for (const raw of path.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) return undefined;
    segments.push(segment);
  }
  return segments;
}

/** The same target without `name` in its query, always a path on this host (never `//other.host`). */
export function withoutParameter(target: RequestTarget, name: string): string {
  const query = new URLSearchParams(target.query);
  query.delete(name);
  const rest = query.toString();
  return `/${target.path.replace(/^\/+/, '')}${rest === '' ? '' : `?${rest}`}`;
}
