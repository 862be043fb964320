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
  /** A row double-clicked, or the focused one on Enter. */
  readonly onOpen: (index: number) => void;
  readonly onNeedMore: () => void;
  /** The grid's own keys, beyond moving and Enter. */
  readonly onOtherKey: (event: KeyboardEvent<HTMLDivElement>) => void;
}

/** What makes an element the scrolling, focus-keeping grid, spread on it. */
export interface VirtualGridProps {
  readonly ref: RefObject<HTMLDivElement | null>;
  readonly role: 'grid';
  readonly 'aria-rowcount': number;
  readonly 'aria-activedescendant': string | undefined;
  readonly tabIndex: 0;
  readonly onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => void;
}

/** What makes an element one drawn row, spread on it. */
export interface VirtualRowProps {
  readonly id: string;
  readonly role: 'row';
  readonly 'aria-rowindex': number;
  readonly onClick: () => void;
  readonly onDoubleClick: () => void;
}

export interface VirtualGridRows {
  /** The row count is unknown (-1) while pages remain; the focused row is the active descendant while drawn. */
  readonly gridProps: VirtualGridProps;
  /** The rows in view, and a few either side. */
  readonly items: ReadonlyArray<VirtualItem>;
  readonly totalHeight: number;
  readonly rowProps: (item: VirtualItem) => VirtualRowProps;
  /** Where a drawn row sits below the sticky header row. */
  readonly rowStyle: (item: VirtualItem) => CSSProperties;
}

/**
 * The part every paged list grid shares: a grid that scrolls itself with its header row sticking at the
 * top, draws only the rows in view, keeps the focused row in view, asks for the next page as the end
 * comes into view (by scrolling or by key), moves the focus by key and opens a row by Enter or double-click.
 */
export function useVirtualGridRows(options: VirtualGridRowsOptions): VirtualGridRows {
  const { count, focus, more, idPrefix, onFocus, onOpen, onNeedMore, onOtherKey } = options;
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

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const target = movedFocus(event.key, focus, count, pageRows);
    if (target !== undefined) {
      event.preventDefault();
      return onFocus(target);
    }
    if (event.key !== 'Enter') return onOtherKey(event);
    event.preventDefault();
    onOpen(focus);
  };

  return {
    gridProps: {
      ref: scrollRef,
      role: 'grid',
      'aria-rowcount': more ? -1 : count + 1,
      'aria-activedescendant': count > 0 && items.some((i) => i.index === focus) ? rowId(focus) : undefined,
      tabIndex: 0,
      onKeyDown,
    },
    items,
    totalHeight: virtualizer.getTotalSize(),
    rowProps: (item) => ({ id: rowId(item.index), role: 'row', 'aria-rowindex': item.index + 2, onClick: () => onFocus(item.index), onDoubleClick: () => onOpen(item.index) }),
    rowStyle: (item) => ({ transform: `translateY(${item.start - ROW_HEIGHT}px)`, height: ROW_HEIGHT }),
  };
}
