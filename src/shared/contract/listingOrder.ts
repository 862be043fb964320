import type { Entry, Sort } from './models.js';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * The order `files.list` returns a folder in, part of the contract so that every host (and the
 * in-memory one the window's tests use) sorts alike: folders above files whichever way a column runs,
 * names compared as people read them (`f2` before `f10`), equal sizes, dates or types in name order.
 */
export function listingComparator(sort: Sort): (a: Entry, b: Entry) => number {
  const sign = sort.direction === 'asc' ? 1 : -1;
  const byColumn = (a: Entry, b: Entry): number => {
    switch (sort.by) {
      case 'name':
        return collator.compare(a.name, b.name);
      case 'size':
        return a.size - b.size;
      case 'modifiedAt':
        return (a.modifiedAt ?? 0) - (b.modifiedAt ?? 0);
      case 'type':
        return collator.compare(extensionOf(a), extensionOf(b));
    }
  };
  return (a, b) => {
    if (a.kind !== b.kind) return a.kind === 'dir' ? -1 : 1;
    return sort.by === 'name' ? sign * byColumn(a, b) : sign * byColumn(a, b) || collator.compare(a.name, b.name);
  };
}

/** Whether an entry passes a pane's filter: its name contains the text, ignoring case. */
export function passesFilter(entry: Entry, filter: string): boolean {
  return filter === '' || entry.name.toLocaleLowerCase().includes(filter.toLocaleLowerCase());
}

function extensionOf(entry: Entry): string {
  if (entry.kind === 'dir') return '';
  const dot = entry.name.lastIndexOf('.');
  return dot <= 0 ? '' : entry.name.slice(dot + 1).toLowerCase();
}

const prefixCollator = new Intl.Collator(undefined, { sensitivity: 'base' });

/** Whether an entry's name starts with what was typed, ignoring case and accents, as type-ahead matches. */
export function startsWithTyped(entry: Entry, prefix: string): boolean {
  return prefixCollator.compare(entry.name.slice(0, prefix.length), prefix) === 0;
}
