import type { Entry } from '../../src/shared/contract/models.js';

/**
 * How an entry differs from the entry of the same name in the other pane's folder, as FileZilla's
 * directory comparison marks it: only on this side, newer here (same size), or a different size.
 * Entries that match are not marked.
 */
export type CompareMark = 'only' | 'newer' | 'size';

export const COMPARE_WORDS: Readonly<Record<CompareMark, string>> = {
  only: 'Only on this side',
  newer: 'Newer on this side',
  size: 'Size differs',
};

/**
 * Times closer than this count as equal: FTP listings give minutes, and two servers' clocks and time
 * zones rarely agree to the second (FileZilla's default threshold is also a minute).
 */
export const SAME_TIME_MS = 60_000;

function markOf(entry: Entry, other: Entry | undefined): CompareMark | undefined {
  if (other === undefined || other.kind !== entry.kind) return 'only';
  if (entry.kind === 'dir') return undefined;
  if (entry.size >= 0 && other.size >= 0 && entry.size !== other.size) return 'size';
  if (entry.modifiedAt !== undefined && other.modifiedAt !== undefined && entry.modifiedAt - other.modifiedAt > SAME_TIME_MS) return 'newer';
  return undefined;
}

/** Each side's marks by entry name, from both folders' whole listings. */
export function compareFolders(left: ReadonlyArray<Entry>, right: ReadonlyArray<Entry>): { readonly left: ReadonlyMap<string, CompareMark>; readonly right: ReadonlyMap<string, CompareMark> } {
  const byName = (entries: ReadonlyArray<Entry>): Map<string, Entry> => new Map(entries.map((e) => [e.name, e]));
  const marks = (these: ReadonlyArray<Entry>, others: Map<string, Entry>): Map<string, CompareMark> => {
    const found = new Map<string, CompareMark>();
    for (const entry of these) {
      const mark = markOf(entry, others.get(entry.name));
      if (mark !== undefined) found.set(entry.name, mark);
    }
    return found;
  };
  return { left: marks(left, byName(right)), right: marks(right, byName(left)) };
}
