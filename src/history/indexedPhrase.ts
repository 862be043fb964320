// File names are searched through trigram FTS5 indexes (history's items, the validation log's entries):
// one place decides how typed text becomes a query those indexes can answer without reading every name.

/** Trigrams: the index cannot find anything shorter. */
export const MIN_INDEXED_FRAGMENT = 3;

/**
 * `text` as one FTS5 string: matched as a substring through the trigram index, quotes doubled. Refuses
 * text the index cannot find, rather than reading every name.
 */
export function indexedPhrase(text: string): string {
  if ([...text].length < MIN_INDEXED_FRAGMENT) throw new RangeError(`File names are searched from ${MIN_INDEXED_FRAGMENT} characters on, not "${text}"`);
  return `"${text.replaceAll('"', '""')}"`;
}
