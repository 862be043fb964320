import type { RemoteEntry, RemoteFs } from '../connectors/types.js';
import { listingComparator, passesFilter, startsWithTyped } from '../shared/contract/listingOrder.js';
import type { Entry, Sort } from '../shared/contract/models.js';

interface Listing {
  readonly entries: ReadonlyArray<Entry>;
  readonly refused: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
  /** Sorted and filtered orders already asked for, so that scrolling a 100,000-row folder sorts once. */
  readonly views: Map<string, ReadonlyArray<Entry>>;
}

export interface ListingPage {
  readonly total: number;
  readonly entries: ReadonlyArray<Entry>;
  readonly refused: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
}

/** Most folders kept listed at once; the oldest is listed again when it is next shown. */
const KEPT = 32;

/**
 * The host's copy of each folder a pane shows: listed once from the server, then sorted, filtered and
 * cut into pages here, so that a grid can ask for the hundred rows it shows of a folder of 100,000.
 */
export class FolderListings {
  readonly #listings = new Map<string, Listing>();

  async page(
    connection: string,
    fs: RemoteFs,
    path: string,
    query: { readonly offset: number; readonly limit: number; readonly sort: Sort; readonly filter?: string | undefined; readonly refresh?: boolean | undefined },
    signal?: AbortSignal,
  ): Promise<ListingPage> {
    const listing = await this.#listing(connection, fs, path, query.refresh === true, signal);
    const view = viewOf(listing, query.sort, query.filter ?? '');
    return { total: view.length, entries: view.slice(query.offset, query.offset + query.limit), refused: listing.refused };
  }

  /** The index of the first row starting with `prefix` in the order `page` gives, or -1. */
  async locate(connection: string, fs: RemoteFs, path: string, query: { readonly sort: Sort; readonly filter?: string | undefined; readonly prefix: string }): Promise<number> {
    const listing = await this.#listing(connection, fs, path, false);
    return viewOf(listing, query.sort, query.filter ?? '').findIndex((e) => startsWithTyped(e, query.prefix));
  }

  async #listing(connection: string, fs: RemoteFs, path: string, refresh: boolean, signal?: AbortSignal): Promise<Listing> {
    const key = keyOf(connection, path);
    const kept = refresh ? undefined : this.#listings.get(key);
    if (kept !== undefined) return kept;
    const refused: Array<{ name: string; reason: string }> = [];
    const entries = await fs.list(path, { ...(signal === undefined ? {} : { signal }), onUnsafeName: (name, reason) => refused.push({ name, reason }) });
    const listing: Listing = { entries: entries.map(toEntry), refused, views: new Map() };
    this.#listings.delete(key);
    this.#listings.set(key, listing);
    for (const old of this.#listings.keys()) {
      if (this.#listings.size <= KEPT) break;
      this.#listings.delete(old);
    }
    return listing;
  }

  /** Forgets a folder's listing after Ferry changed it, so that the next page lists it again. */
  invalidate(connection: string, path: string): void {
    this.#listings.delete(keyOf(connection, path));
  }
}

function keyOf(connection: string, path: string): string {
  return `${connection}\0${path}`;
}

function viewOf(listing: Listing, sort: Sort, filter: string): ReadonlyArray<Entry> {
  const key = `${sort.by}\0${sort.direction}\0${filter}`;
  let view = listing.views.get(key);
  if (view === undefined) {
    view = listing.entries.filter((e) => passesFilter(e, filter)).sort(listingComparator(sort));
    listing.views.set(key, view);
  }
  return view;
}

function toEntry(e: RemoteEntry): Entry {
  return {
    name: e.name,
    path: e.path,
    kind: e.kind,
    size: e.size,
    ...(e.modifiedAt === undefined ? {} : { modifiedAt: e.modifiedAt }),
    ...(e.details === undefined ? {} : { details: { ...e.details } }),
  };
}
