import { ArrowUp, FolderPlus, RefreshCw, Search } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import type { Entry, Sort } from '../../src/shared/contract/models.js';
import { FileGrid, NameCell, type Column } from '../components/FileGrid.js';
import { ObjectTile, RecordHeader, recordParts } from '../components/ObjectTile.js';
import { PathBar } from '../components/PathBar.js';
import { formatBytes, formatCount, formatDate, typeOf } from '../format.js';
import { askCopyTo, askDelete, copyToOtherPane, dropDesktopFiles, dropPaths, recordNameOf } from '../stores/actions.js';
import type { CompareMark } from '../stores/compare.js';
import { kindOf } from '../stores/connections.js';
import { connectionLabel, entryAt, isRowSelected, otherSide, paneTitle, type Side } from '../stores/panes.js';
import { selectedCount } from '../stores/selection.js';
import { PaneMenu, type PaneCommand } from './PaneMenu.js';
import { RecordSearch } from './RecordSearch.js';
import styles from './Pane.module.css';
import { useSlice, useStores } from './StoresContext.js';

/** Rows dragged between panes carry only the side they came from; the paths are read at the drop. */
const PANE_DRAG = 'application/x-ferry-pane';

const SORT_KEYS: Readonly<Record<string, Sort['by']>> = { F3: 'name', F4: 'type', F5: 'modifiedAt', F6: 'size' };

function columnsFor(salesforceLevel: number | undefined, marks: ReadonlyMap<string, CompareMark> | undefined): ReadonlyArray<Column> {
  // Wide enough for an invoice's whole name at 1280 px; the type column gives way first.
  const name: Column = {
    key: 'name',
    label: 'Name',
    sortBy: 'name',
    sortKey: 'Ctrl+F3',
    width: 250,
    render: (entry) => <NameCell entry={entry} icon={salesforceLevel === 0 ? <ObjectTile object={entry.name} size={16} /> : undefined} mark={marks?.get(entry.name)} />,
  };
  const size: Column = { key: 'size', label: 'Size', sortBy: 'size', sortKey: 'Ctrl+F6', width: 68, align: 'end', dropOrder: 3, render: (e) => (e.kind === 'dir' ? '' : formatBytes(e.size)) };
  const modified: Column = { key: 'modified', label: 'Modified', sortBy: 'modifiedAt', sortKey: 'Ctrl+F5', width: 116, dropOrder: 2, render: (e) => formatDate(e.modifiedAt) };
  const type: Column = { key: 'type', label: 'Type', sortBy: 'type', sortKey: 'Ctrl+F4', width: 80, dropOrder: 1, render: typeOf };
  if (salesforceLevel === 0) return [name];
  if (salesforceLevel === 1) return [name, modified];
  if (salesforceLevel !== undefined) {
    const version: Column = { key: 'version', label: 'Version', width: 72, align: 'end', dropOrder: 4, render: (e) => e.details?.['version'] ?? '' };
    const owner: Column = { key: 'owner', label: 'Owner', width: 110, dropOrder: 2, render: (e) => e.details?.['owner'] ?? '' };
    // On a record, who owns a file and its version matter more than when it changed.
    return [name, size, version, owner, { ...modified, dropOrder: 1 }];
  }
  return [name, size, modified, type];
}

/** One side of the commander: a connection, a folder in it, and its entries. */
export function Pane({ side }: { readonly side: Side }) {
  const stores = useStores();
  const { panes, ui } = stores;
  const pane = useSlice(panes, (s) => s[side]);
  const active = useSlice(panes, (s) => s.active === side);
  const otherConnection = useSlice(panes, (s) => s[otherSide(side)].connection);
  const connections = useSlice(stores.connections, (s) => s.connections);
  const [editingPath, setEditingPath] = useState(false);
  const [menu, setMenu] = useState<{ at: { x: number; y: number }; row: number | undefined } | undefined>(undefined);
  const filterRef = useRef<HTMLInputElement>(null);
  const actions = panes.getState();

  const salesforce = kindOf(connections, pane.connection) === 'salesforce';
  const segments = pane.path === '' ? [] : pane.path.split('/');
  const level = salesforce ? segments.length : undefined;
  const columns = useMemo(() => columnsFor(level, pane.marks), [level, pane.marks]);
  const gridId = `pane-${side}`;
  const where = `${connectionLabel(pane.connection)}: /${pane.path}`;
  const focused = entryAt(pane, pane.focus);
  const onVisibleRows = useCallback((first: number, last: number) => panes.getState().ensureRows(side, first, last), [panes, side]);

  const focusGrid = (which: Side): void => document.getElementById(`pane-${which}`)?.focus();

  // A record folder named by its id alone (a path typed, a naming rule's target) is named from Salesforce.
  const [recordName, setRecordName] = useState<{ readonly key: string; readonly name: string } | undefined>(undefined);
  const [object, record] = segments;
  const bareId = salesforce && object !== undefined && record !== undefined && recordParts(record).name === undefined ? record : undefined;
  useEffect(() => {
    if (bareId === undefined || object === undefined) return;
    let current = true;
    void recordNameOf(stores, pane.connection, object, bareId).then((name) => {
      if (current && name !== undefined) setRecordName({ key: `${pane.connection}/${object}/${bareId}`, name });
    });
    return () => {
      current = false;
    };
  }, [stores, pane.connection, object, bareId]);

  const run = (command: PaneCommand): void => {
    switch (command) {
      case 'copy':
      case 'move':
        void copyToOtherPane(stores, side, command === 'move');
        return;
      case 'copyTo':
      case 'moveTo':
        void askCopyTo(stores, side, command === 'moveTo');
        return;
      case 'open':
        actions.openRow(side, pane.focus);
        return;
      case 'rename':
        if (focused !== undefined) ui.getState().openDialog({ kind: 'rename', side, entry: focused });
        return;
      case 'delete':
        void askDelete(stores, side);
        return;
      case 'newFolder':
        ui.getState().openDialog({ kind: 'newFolder', side });
        return;
      case 'refresh':
        actions.refresh(side, true);
        return;
    }
  };

  const onOtherKey = (event: KeyboardEvent<HTMLDivElement>): void => {
    const ctrl = event.ctrlKey || event.metaKey;
    const sortKey = SORT_KEYS[event.key];
    if (ctrl && sortKey !== undefined) {
      event.preventDefault();
      actions.setSort(side, sortKey);
      return;
    }
    const command: PaneCommand | undefined =
      event.key === 'F5' ? (event.shiftKey ? 'copyTo' : 'copy')
      : event.key === 'F6' ? (event.shiftKey ? 'moveTo' : 'move')
      : event.key === 'F7' ? 'newFolder'
      : event.key === 'F2' ? 'rename'
      : event.key === 'F8' || event.key === 'Delete' ? 'delete'
      : ctrl && (event.key === 'r' || event.key === 'R') ? 'refresh'
      : undefined;
    if (command !== undefined) {
      event.preventDefault();
      run(command);
    } else if (event.key === 'Tab' && !event.shiftKey) {
      event.preventDefault();
      focusGrid(otherSide(side));
    } else if (ctrl && (event.key === 'l' || event.key === 'L')) {
      event.preventDefault();
      setEditingPath(true);
    } else if (ctrl && (event.key === 'f' || event.key === 'F')) {
      event.preventDefault();
      filterRef.current?.focus();
    } else if (event.key === 'Escape' && pane.filter !== '') {
      actions.setFilter(side, '');
    }
  };

  const onDragRows = (index: number, event: DragEvent<HTMLDivElement>): void => {
    if (!isRowSelected(pane, index)) actions.click(side, index, { ctrl: false, shift: false });
    event.dataTransfer.setData(PANE_DRAG, side);
    event.dataTransfer.effectAllowed = 'copyMove';
  };

  const onDropOn = (entry: Entry | undefined, event: DragEvent<HTMLDivElement>): void => {
    actions.springEnd(true);
    const target = { connection: pane.connection, path: entry?.path ?? pane.path };
    const from = event.dataTransfer.getData(PANE_DRAG);
    // The grid set the drop effect from the keys held while dragging: Shift moves, as in Explorer.
    const move = event.dataTransfer.dropEffect === 'move';
    if (from === 'left' || from === 'right') {
      const source = panes.getState()[from];
      void panes
        .getState()
        .targetPaths(from)
        .then((paths) => dropPaths(stores, { connection: source.connection, paths }, target, move));
      return;
    }
    void dropDesktopFiles(stores, [...event.dataTransfer.files], target);
  };

  const selected = selectedCount(pane.selection);
  return (
    <section aria-label={`${paneTitle(side)} — ${where}`} className={styles.pane} data-active={active || undefined} onFocus={() => actions.setActive(side)}>
      <div className={styles.toolbar}>
        <select aria-label="Connection" className={styles.connection} value={pane.connection} onChange={(event) => actions.setConnection(side, event.target.value)}>
          {connections.map((c) => (
            <option key={c.name} value={c.name}>
              {connectionLabel(c.name)}
            </option>
          ))}
        </select>
        <button type="button" className={styles.tool} aria-label="Up one folder" title="Up one folder (Backspace)" disabled={pane.path === ''} onClick={() => actions.up(side)}>
          <ArrowUp aria-hidden size={16} />
        </button>
        <button type="button" className={styles.tool} aria-label="New folder" title="New folder (F7)" disabled={salesforce} onClick={() => run('newFolder')}>
          <FolderPlus aria-hidden size={16} />
        </button>
        <button type="button" className={styles.tool} aria-label="Refresh" title="Refresh (Ctrl+R)" onClick={() => run('refresh')}>
          <RefreshCw aria-hidden size={16} />
        </button>
      </div>
      <div className={styles.toolbar}>
        <PathBar path={pane.path} rootLabel={connectionLabel(pane.connection)} onOpen={(path) => actions.open(side, path)} editing={editingPath} onEdit={setEditingPath} />
        <label className={styles.filter}>
          <Search aria-hidden size={14} />
          <input
            ref={filterRef}
            type="search"
            aria-label="Filter"
            placeholder="Filter"
            value={pane.filter}
            onChange={(event) => actions.setFilter(side, event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' || event.key === 'ArrowDown') {
                event.preventDefault();
                focusGrid(side);
              }
            }}
          />
        </label>
      </div>
      {salesforce && segments[0] !== undefined && (
        <RecordHeader object={segments[0]} record={segments[1]} lookedUpName={recordName?.key === `${pane.connection}/${segments[0]}/${segments[1] ?? ''}` ? recordName.name : undefined}>
          {segments.length === 1 && <RecordSearch key={`${pane.connection}/${segments[0]}`} connection={pane.connection} object={segments[0]} onOpen={(path) => actions.open(side, path)} />}
        </RecordHeader>
      )}
      {pane.error !== undefined ? (
        <div role="alert" className={styles.error}>
          <p>{pane.error.message}</p>
          <button type="button" onClick={() => actions.refresh(side, true)}>
            Try again
          </button>
          {pane.path !== '' && (
            <button type="button" onClick={() => actions.up(side)}>
              Go up
            </button>
          )}
        </div>
      ) : (
        <FileGrid
          id={gridId}
          label={`Files in ${where}`}
          total={pane.total}
          entryAt={(index) => entryAt(pane, index)}
          isSelected={(index) => isRowSelected(pane, index)}
          focus={pane.focus}
          columns={columns}
          sort={pane.sort}
          emptyText={pane.filter === '' ? 'This folder is empty. Drop files here to copy them in.' : `No names contain “${pane.filter}”.`}
          onSort={(by) => actions.setSort(side, by)}
          onVisibleRows={onVisibleRows}
          onMoveFocus={(index, mode) => actions.moveFocus(side, index, mode)}
          onRowClick={(index, modifiers) => actions.click(side, index, modifiers)}
          onToggle={(index) => actions.toggleRow(side, index)}
          onSelectAll={() => actions.selectAll(side)}
          onOpen={(index) => actions.openRow(side, index)}
          onUp={() => actions.up(side)}
          onOtherKey={onOtherKey}
          onContextMenu={(row, at) => {
            if (row !== undefined && !isRowSelected(pane, row)) actions.click(side, row, { ctrl: false, shift: false });
            setMenu({ at, row });
          }}
          onDragRows={onDragRows}
          onDropOn={onDropOn}
          onSpringOpen={(entry) => actions.springOpen(side, entry.path)}
          onDragEnd={(dropped) => actions.springEnd(dropped)}
          onTypeAhead={(text) => void actions.locate(side, text)}
          markOf={(entry) => pane.marks?.get(entry.name)}
        />
      )}
      <div className={styles.status}>
        <span>{pane.total < 0 ? 'Reading the folder…' : `${formatCount(pane.total)} ${pane.total === 1 ? 'item' : 'items'}${pane.filter === '' ? '' : ' match the filter'}`}</span>
        {selected > 0 && <span>{formatCount(selected)} selected</span>}
        {pane.refused.length > 0 && (
          <details className={styles.refused}>
            <summary>
              {pane.refused.length} {pane.refused.length === 1 ? 'name' : 'names'} not shown
            </summary>
            <ul>
              {pane.refused.map((r) => (
                <li key={r.name}>
                  <code>{r.name}</code>: {r.reason}
                </li>
              ))}
            </ul>
          </details>
        )}
      </div>
      <PaneMenu
        at={menu?.at}
        onRow={menu?.row !== undefined}
        canOpen={focused?.kind === 'dir'}
        otherPane={connectionLabel(otherConnection)}
        onAction={(command) => {
          setMenu(undefined);
          run(command);
        }}
        onClose={() => {
          setMenu(undefined);
          focusGrid(side);
        }}
      />
    </section>
  );
}
