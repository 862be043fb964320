import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, CirclePlus, ClockArrowUp, File, Folder, Scale, type LucideIcon } from 'lucide-react';
import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent, type MouseEvent, type ReactNode, type RefObject } from 'react';
import type { Entry, Sort } from '../../src/shared/contract/models.js';
import { COMPARE_WORDS, type CompareMark } from '../stores/compare.js';
import type { FocusMode } from '../stores/panes.js';
import styles from './FileGrid.module.css';
import { movedFocus } from './gridKeys.js';

/** Every row is this tall, so nothing is measured and a row's place is its index times this. */
const ROW_HEIGHT = 28;
/** The column headers' height (a row and its bottom border), as FileGrid.module.css sets it: the rows start below. */
const HEAD_HEIGHT = 29;
/** Letters typed closer together than this make one name to go to; a longer pause starts a new one. */
const TYPE_AHEAD_PAUSE_MS = 1000;
/** How long a dragged item hovers over a folder before the folder opens (spring-loaded folders). */
const SPRING_DELAY_MS = 900;

export interface Column {
  readonly key: string;
  readonly label: string;
  /** The host sorts by this key when the column header is pressed; undefined for columns it cannot sort. */
  readonly sortBy?: Sort['by'];
  /** The key that sorts by this column from the grid, shown on the header. */
  readonly sortKey?: string;
  /** Pixels; the name column takes this at least and whatever is left over. */
  readonly width: number;
  /** Columns with a drop order give way, lowest first, when the pane is too narrow for all of them. */
  readonly dropOrder?: number;
  readonly align?: 'end';
  readonly render: (entry: Entry) => ReactNode;
}

export interface FileGridProps {
  readonly id: string;
  readonly label: string;
  /** Rows in the whole folder, loaded or not; -1 while the first page is on its way. */
  readonly total: number;
  readonly entryAt: (index: number) => Entry | undefined;
  readonly isSelected: (index: number) => boolean;
  readonly focus: number;
  readonly columns: ReadonlyArray<Column>;
  readonly sort: Sort;
  /** What an empty folder says (differs for a filter that matches nothing). */
  readonly emptyText: string;
  readonly onSort: (by: Sort['by']) => void;
  readonly onVisibleRows: (first: number, last: number) => void;
  readonly onMoveFocus: (index: number, mode: FocusMode) => void;
  readonly onRowClick: (index: number, modifiers: { readonly ctrl: boolean; readonly shift: boolean }) => void;
  readonly onToggle: (index: number) => void;
  readonly onSelectAll: () => void;
  readonly onOpen: (index: number) => void;
  readonly onUp: () => void;
  /** Keys the grid does not use itself (F5, F7, Tab …), for the pane to act on. */
  readonly onOtherKey: (event: KeyboardEvent<HTMLDivElement>) => void;
  readonly onContextMenu: (index: number | undefined, at: { readonly x: number; readonly y: number }) => void;
  readonly onDragRows: (index: number, event: DragEvent<HTMLDivElement>) => void;
  /** A drop on a folder row lands in that folder; anywhere else in the grid, in the pane's folder. */
  readonly onDropOn: (entry: Entry | undefined, event: DragEvent<HTMLDivElement>) => void;
  /** A drag that hovers over a folder row opens it. */
  readonly onSpringOpen: (entry: Entry) => void;
  /** A drag started in this grid ended: dropped somewhere, or cancelled (Escape). */
  readonly onDragEnd: (dropped: boolean) => void;
  /** Letters typed in the grid: the pane goes to the first name starting with them. */
  readonly onTypeAhead: (text: string) => void;
  /** Compare mode: how an entry differs from the other pane's; colours the row. */
  readonly markOf: (entry: Entry) => CompareMark | undefined;
}

/** Cell padding and gaps of a row, beside the columns themselves. */
const ROW_CHROME = 24;
const COLUMN_GAP = 12;

/** The columns that fit in `width`, dropping the ones that give way first. */
function fitting(columns: ReadonlyArray<Column>, width: number): ReadonlyArray<Column> {
  const kept = [...columns];
  const needed = (): number => kept.reduce((sum, c) => sum + c.width, ROW_CHROME + COLUMN_GAP * (kept.length - 1));
  while (needed() > width) {
    const next = kept.filter((c) => c.dropOrder !== undefined).sort((a, b) => (a.dropOrder ?? 0) - (b.dropOrder ?? 0))[0];
    if (next === undefined) break;
    kept.splice(kept.indexOf(next), 1);
  }
  return kept;
}

/** The element's width, kept up to date as the window or the panes are resized. */
function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(Number.POSITIVE_INFINITY);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

function sortLabel(sort: Sort, by: Sort['by'] | undefined): 'ascending' | 'descending' | 'none' {
  if (by === undefined || sort.by !== by) return 'none';
  return sort.direction === 'asc' ? 'ascending' : 'descending';
}

/**
 * A folder as a WAI-ARIA grid that keeps DOM focus itself and points `aria-activedescendant` at the
 * focused row (VS Code's list pattern), drawing only the rows in view: 100,000 entries cost as much as 30.
 */
export function FileGrid(props: FileGridProps) {
  const { id, total, focus, onVisibleRows } = props;
  // The grid scrolls itself (its headers stick to the top), so that the element keyboard users focus is
  // the one that scrolls.
  const gridRef = useRef<HTMLDivElement>(null);
  const width = useWidth(gridRef);
  const [dropRow, setDropRow] = useState<number | 'pane' | undefined>(undefined);
  const typed = useRef({ text: '', at: 0 });
  const [typedShown, setTypedShown] = useState('');
  const spring = useRef<{ row: number; timer: ReturnType<typeof setTimeout> } | undefined>(undefined);
  const stopSpring = (): void => {
    if (spring.current !== undefined) clearTimeout(spring.current.timer);
    spring.current = undefined;
  };
  useEffect(() => stopSpring, []);
  useEffect(() => {
    if (typedShown === '') return;
    const timer = setTimeout(() => setTypedShown(''), TYPE_AHEAD_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [typedShown]);
  const count = Math.max(total, 0);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => gridRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (last >= first) onVisibleRows(first, last);
  }, [first, last, onVisibleRows]);

  useEffect(() => {
    if (count > 0) virtualizer.scrollToIndex(Math.min(focus, count - 1), { align: 'auto' });
  }, [focus, count, virtualizer]);

  const [widths, setWidths] = useState<Readonly<Record<string, number>>>({});
  // What a column was narrowed by goes to the name column, rather than bringing back a column that gave way.
  const freed = props.columns.reduce((sum, c) => sum + Math.max(0, c.width - (widths[c.key] ?? c.width)), 0);
  const columns = fitting(
    props.columns.map((c, i) => ({ ...c, width: i === 0 ? c.width + freed : (widths[c.key] ?? c.width) })),
    width,
  );
  const template = columns.map((c, i) => (i === 0 ? `minmax(${c.width}px, 1fr)` : `${c.width}px`)).join(' ');
  const rowId = (index: number): string => `${id}-row-${index}`;
  const focusShown = count > 0 && items.some((item) => item.index === focus);
  const pageRows = Math.max(1, Math.floor(((gridRef.current?.clientHeight ?? ROW_HEIGHT * 11) - HEAD_HEIGHT) / ROW_HEIGHT) - 1);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const ctrl = event.ctrlKey || event.metaKey;
    const mode: FocusMode = event.shiftKey ? 'extend' : ctrl ? 'focus' : 'select';
    const to = (index: number, how: FocusMode = mode): void => {
      event.preventDefault();
      props.onMoveFocus(index, how);
    };
    if (event.key === 'ArrowUp' && event.altKey) {
      event.preventDefault();
      return props.onUp();
    }
    const target = movedFocus(event.key, focus, count, pageRows);
    if (target !== undefined) return to(target);
    switch (event.key) {
      case 'Insert':
        event.preventDefault();
        props.onToggle(focus);
        return props.onMoveFocus(focus + 1, 'focus');
      case ' ':
        event.preventDefault();
        return props.onToggle(focus);
      case 'Enter':
        event.preventDefault();
        return props.onOpen(focus);
      case 'Backspace':
        event.preventDefault();
        return props.onUp();
      case 'ContextMenu':
        return openMenuAtFocus(event);
      case 'F10':
        if (event.shiftKey) return openMenuAtFocus(event);
        break;
      case 'a':
      case 'A':
        if (ctrl) {
          event.preventDefault();
          return props.onSelectAll();
        }
        break;
    }
    const now = Date.now();
    const typing = typed.current.text !== '' && now - typed.current.at < TYPE_AHEAD_PAUSE_MS;
    if (isTypedLetter(event, typing)) {
      event.preventDefault();
      const text = typing ? typed.current.text + event.key : event.key;
      typed.current = { text, at: now };
      setTypedShown(text);
      return props.onTypeAhead(text);
    }
    props.onOtherKey(event);
  };

  const openMenuAtFocus = (event: KeyboardEvent<HTMLDivElement>): void => {
    event.preventDefault();
    const row = document.getElementById(rowId(focus)) ?? gridRef.current;
    const rect = row?.getBoundingClientRect();
    props.onContextMenu(count > 0 ? focus : undefined, { x: (rect?.left ?? 0) + 24, y: (rect?.bottom ?? 0) });
  };

  // A press on a row already selected waits for the click, so that dragging a selection keeps it whole.
  const onRowPress = (index: number, onRelease: boolean) => (event: MouseEvent<HTMLDivElement>): void => {
    if (event.button !== 0) return;
    const modifiers = { ctrl: event.ctrlKey || event.metaKey, shift: event.shiftKey };
    const plainOnSelected = !modifiers.ctrl && !modifiers.shift && props.isSelected(index);
    if (plainOnSelected === onRelease) props.onRowClick(index, modifiers);
  };

  const onDragOver = (entry: Entry | undefined, index: number | undefined) => (event: DragEvent<HTMLDivElement>): void => {
    event.preventDefault();
    event.stopPropagation();
    // Files from the desktop are only ever copied: a move would have the desktop delete its own copy.
    event.dataTransfer.dropEffect = event.shiftKey && !event.dataTransfer.types.includes('Files') ? 'move' : 'copy';
    const folderRow = entry?.kind === 'dir' && index !== undefined ? index : undefined;
    setDropRow(folderRow ?? 'pane');
    // Only drags that start in the window spring folders open: only they say when they were cancelled.
    if (folderRow === undefined || event.dataTransfer.types.includes('Files')) stopSpring();
    else if (spring.current?.row !== folderRow && entry !== undefined) {
      stopSpring();
      spring.current = { row: folderRow, timer: setTimeout(() => { spring.current = undefined; props.onSpringOpen(entry); }, SPRING_DELAY_MS) };
    }
  };

  const onDrop = (entry: Entry | undefined) => (event: DragEvent<HTMLDivElement>): void => {
    event.preventDefault();
    event.stopPropagation();
    setDropRow(undefined);
    stopSpring();
    props.onDropOn(entry?.kind === 'dir' ? entry : undefined, event);
  };

  return (
    <div className={styles.frame}>
    <div
      ref={gridRef}
      id={id}
      role="grid"
      aria-label={props.label}
      aria-rowcount={count + 1}
      aria-colcount={columns.length}
      aria-multiselectable="true"
      aria-busy={total < 0}
      aria-activedescendant={focusShown ? rowId(focus) : undefined}
      tabIndex={0}
      className={styles.grid}
      onKeyDown={onKeyDown}
      onDragOver={onDragOver(undefined, undefined)}
      onDragLeave={(event) => {
        // Leaving a row for another row of this grid is no leaving at all. Chromium names no related
        // target when the pointer moves between a row's cells, so only a known way out stops the spring.
        if (event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget)) return;
        setDropRow(undefined);
        if (event.relatedTarget instanceof Node) stopSpring();
      }}
      onDrop={onDrop(undefined)}
      data-drop={dropRow === 'pane' ? 'pane' : undefined}
    >
      <div role="rowgroup" className={styles.head}>
        <div role="row" aria-rowindex={1} className={styles.row} style={{ gridTemplateColumns: template }}>
          {columns.map((column, colIndex) => (
            <div key={column.key} role="columnheader" aria-colindex={colIndex + 1} aria-sort={column.sortBy === undefined ? undefined : sortLabel(props.sort, column.sortBy)} className={column.align === 'end' ? `${styles.end} ${styles.header}` : styles.header}>
              {colIndex > 0 && <ColumnResizer label={column.label} width={column.width} onResize={(w) => setWidths((all) => ({ ...all, [column.key]: w }))} />}
              {column.sortBy === undefined ? (
                <span className={styles.headText}>{column.label}</span>
              ) : (
                <button type="button" tabIndex={-1} title={column.sortKey === undefined ? undefined : `Sort by ${column.label.toLowerCase()} (${column.sortKey})`} className={styles.sortButton} onClick={() => column.sortBy !== undefined && props.onSort(column.sortBy)}>
                  {column.label}
                  {props.sort.by === column.sortBy && (props.sort.direction === 'asc' ? <ArrowUp aria-hidden size={12} /> : <ArrowDown aria-hidden size={12} />)}
                </button>
              )}
            </div>
          ))}
        </div>
      </div>
      <div className={styles.rows} onContextMenu={(e) => { e.preventDefault(); props.onContextMenu(undefined, { x: e.clientX, y: e.clientY }); }}>
        <div role="rowgroup" className={styles.body} style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const entry = props.entryAt(item.index);
            const selected = props.isSelected(item.index);
            const mark = entry === undefined ? undefined : props.markOf(entry);
            return (
              <div
                key={item.key}
                id={rowId(item.index)}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={selected}
                className={styles.row}
                data-focused={item.index === focus || undefined}
                data-drop={dropRow === item.index || undefined}
                data-compare={mark}
                style={{ gridTemplateColumns: template, transform: `translateY(${item.start - HEAD_HEIGHT}px)`, height: ROW_HEIGHT }}
                draggable={entry !== undefined}
                onMouseDown={onRowPress(item.index, false)}
                onClick={onRowPress(item.index, true)}
                onDoubleClick={() => props.onOpen(item.index)}
                onContextMenu={(event) => {
                  event.preventDefault();
                  event.stopPropagation();
                  props.onContextMenu(item.index, { x: event.clientX, y: event.clientY });
                }}
                onDragStart={(event) => props.onDragRows(item.index, event)}
                onDragEnd={(event) => props.onDragEnd(event.dataTransfer.dropEffect !== 'none')}
                onDragOver={onDragOver(entry, item.index)}
                onDrop={onDrop(entry)}
              >
                {columns.map((column, colIndex) => (
                  <div key={column.key} role="gridcell" aria-colindex={colIndex + 1} className={column.align === 'end' ? styles.end : undefined}>
                    {entry === undefined ? colIndex === 0 ? <span className={styles.loading}>Loading…</span> : null : column.render(entry)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
        {total === 0 && <p className={styles.empty}>{props.emptyText}</p>}
      </div>
    </div>
      {typedShown !== '' && (
        <div className={styles.typed} role="status">
          Go to “{typedShown}”
        </div>
      )}
    </div>
  );
}

/** Narrowest and widest a column other than the name can be made. */
const COLUMN_WIDTHS = { min: 40, max: 400, step: 16 } as const;

/**
 * The edge between a column and the one before it: dragged (or moved with the arrow keys) it makes this
 * column narrower or wider, and the name column, which takes what is left, the other way.
 */
function ColumnResizer({ label, width, onResize }: { readonly label: string; readonly width: number; readonly onResize: (width: number) => void }) {
  const drag = useRef<{ readonly x: number; readonly width: number } | undefined>(undefined);
  const clamp = (w: number): number => Math.max(COLUMN_WIDTHS.min, Math.min(COLUMN_WIDTHS.max, Math.round(w)));
  return (
    <span
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize the ${label.toLowerCase()} column`}
      aria-valuenow={width}
      aria-valuemin={COLUMN_WIDTHS.min}
      aria-valuemax={COLUMN_WIDTHS.max}
      tabIndex={0}
      title={`Drag to resize the ${label.toLowerCase()} column (or focus and press ← →)`}
      className={styles.resizer}
      onPointerDown={(event) => {
        event.preventDefault();
        event.stopPropagation();
        event.currentTarget.setPointerCapture(event.pointerId);
        drag.current = { x: event.clientX, width };
      }}
      onPointerMove={(event) => {
        if (drag.current !== undefined) onResize(clamp(drag.current.width - (event.clientX - drag.current.x)));
      }}
      onPointerUp={() => {
        drag.current = undefined;
      }}
      onClick={(event) => event.stopPropagation()}
      onKeyDown={(event) => {
        if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
        event.preventDefault();
        event.stopPropagation();
        // The edge moves the way the arrow points: left widens this column, right narrows it.
        onResize(clamp(width + (event.key === 'ArrowLeft' ? COLUMN_WIDTHS.step : -COLUMN_WIDTHS.step)));
      }}
    />
  );
}

/** A printable key with no Ctrl, Alt or Meta: a letter of a name. Space counts only inside a name being typed. */
function isTypedLetter(event: KeyboardEvent<HTMLDivElement>, typing: boolean): boolean {
  if (event.ctrlKey || event.altKey || event.metaKey || [...event.key].length !== 1) return false;
  return event.key !== ' ' || typing;
}

const MARK_ICONS: Readonly<Record<CompareMark, LucideIcon>> = { only: CirclePlus, newer: ClockArrowUp, size: Scale };

/** A compare mark as a glyph with its words, so that it never rests on colour alone. */
export function CompareBadge({ mark, size = 14 }: { readonly mark: CompareMark; readonly size?: number }) {
  const Icon = MARK_ICONS[mark];
  return (
    <span className={styles.mark} data-compare={mark} role="img" aria-label={COMPARE_WORDS[mark]} title={COMPARE_WORDS[mark]}>
      <Icon aria-hidden size={size} />
    </span>
  );
}

/** The name cell: a folder or file glyph and the name, cut with an ellipsis when the column is narrow (the whole name is its title). */
export function NameCell({ entry, icon, mark }: { readonly entry: Entry; readonly icon?: ReactNode; readonly mark?: CompareMark | undefined }) {
  return (
    <span className={styles.name} title={entry.name}>
      {icon ?? (entry.kind === 'dir' ? <Folder aria-hidden size={16} className={styles.folderIcon} /> : <File aria-hidden size={16} className={styles.fileIcon} />)}
      <span className={styles.nameText}>{entry.name}</span>
      {mark !== undefined && <CompareBadge mark={mark} />}
    </span>
  );
}
