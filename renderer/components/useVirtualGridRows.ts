import { useVirtualizer, type VirtualItem } from '@tanstack/react-virtual';
import { useEffect, useRef, type CSSProperties, type KeyboardEvent, type RefObject } from 'react';
import { movedFocus } from './gridKeys.js';

/** Every row is this tall, so nothing is measured: a million loaded rows cost what thirty do. */
export const ROW_HEIGHT = 30;
/** The next page is asked for when the last rows in view come this close to the end of those loaded. */
const PREFETCH_ROWS = 40;

export interface VirtualGridRowsOptions {
  /** Rows loaded so far. */
  readonly count: number;
  readonly focus: number;
  /** More rows exist than are loaded: the count is unknown until the last page. */
  readonly more: boolean;
  /** Row ids are `<idPrefix>-row-<index>`, unique in the window. */
  readonly idPrefix: string;
  readonly onFocus: (index: number) => void;
  readonly onNeedMore: () => void;
}

export interface VirtualGridRows {
  readonly scrollRef: RefObject<HTMLDivElement | null>;
  /** The rows in view, and a few either side. */
  readonly items: ReadonlyArray<VirtualItem>;
  readonly totalHeight: number;
  /** The value of the grid's `aria-rowcount`: unknown (-1) while pages remain. */
  readonly ariaRowCount: number;
  /** The focused row's id while it is drawn, for the grid's `aria-activedescendant`. */
  readonly activeDescendant: string | undefined;
  readonly rowId: (index: number) => string;
  /** Where a drawn row sits below the sticky header row. */
  readonly rowStyle: (item: VirtualItem) => CSSProperties;
  /** Moves the focus for arrow, page, Home and End keys; true when the key was one of them. */
  readonly moveFocus: (event: KeyboardEvent<HTMLDivElement>) => boolean;
}

/**
 * The part every paged list grid shares: a grid that scrolls itself with its header row sticking at the
 * top, draws only the rows in view, keeps the focused row in view, asks for the next page as the end
 * comes into view (by scrolling or by key) and moves the focus by key.
 */
export function useVirtualGridRows(options: VirtualGridRowsOptions): VirtualGridRows {
  const { count, focus, more, idPrefix, onFocus, onNeedMore } = options;
  const scrollRef = useRef<HTMLDivElement>(null);
  // The rows start one row down, under the header row.
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12, scrollMargin: ROW_HEIGHT, useFlushSync: false });
  const items = virtualizer.getVirtualItems();
  const last = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (more && last >= count - PREFETCH_ROWS) onNeedMore();
  }, [more, last, count, onNeedMore]);

  useEffect(() => {
    if (count > 0) virtualizer.scrollToIndex(Math.min(focus, count - 1), { align: 'auto' });
  }, [focus, count, virtualizer]);

  const rowId = (index: number): string => `${idPrefix}-row-${index}`;
  const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);

  return {
    scrollRef,
    items,
    totalHeight: virtualizer.getTotalSize(),
    ariaRowCount: more ? -1 : count + 1,
    activeDescendant: count > 0 && items.some((i) => i.index === focus) ? rowId(focus) : undefined,
    rowId,
    rowStyle: (item) => ({ transform: `translateY(${item.start - ROW_HEIGHT}px)`, height: ROW_HEIGHT }),
    moveFocus: (event) => {
      const target = movedFocus(event.key, focus, count, pageRows);
      if (target === undefined) return false;
      event.preventDefault();
      onFocus(target);
      return true;
    },
  };
}
