import { THIS_COMPUTER, type Location, type PreviewItem, type TransferRequestInput } from '../../src/shared/contract/models.js';
import type { FoundRecord } from '../../src/shared/contract/recordCommands.js';
import type { AppStores } from './appStores.js';
import { kindOf } from './connections.js';
import { otherSide, type Side } from './panes.js';
import { joinPath, nameOf, parentOf, typedPath } from './paths.js';

/**
 * What the window does across stores: plan a copy, confirm it, act on files. Components call these (or a
 * store's own actions) and never the host.
 */

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** A file the preview found no single record for, or that will fail, is left out of the batch. */
export function isSendable(item: PreviewItem): boolean {
  if (item.match === 'ambiguous' || item.match === 'none') return false;
  return item.action !== 'fail';
}

/** Opens the preview of `request`: where each file lands and whether it goes, before anything moves. */
export async function planTransfer(stores: AppStores, request: TransferRequestInput): Promise<void> {
  const targetKind = kindOf(stores.connections.getState().connections, request.target.connection) ?? 'local';
  stores.ui.getState().openDialog({ kind: 'transfer', request, targetKind, preview: { status: 'loading' } });
  await preview(stores, request);
}

async function preview(stores: AppStores, request: TransferRequestInput): Promise<void> {
  const answer = await stores.host.invoke('transfers.preview', request);
  const places = answer.ok ? await namedPlaces(stores, request.target.connection, answer.value.items) : undefined;
  stores.ui.getState().updateDialog('transfer', (dialog) =>
    dialog.request !== request
      ? dialog
      : { ...dialog, preview: answer.ok ? { status: 'ready', items: answer.value.items, ...(places === undefined ? {} : { places }) } : { status: 'failed', message: answer.error.message } },
  );
}

/** A record id as a path segment: what a naming rule's target names a record by. */
const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
/** Ids per `records.names` call, its contract's most. */
const NAMES_PER_CALL = 2000;

/**
 * Salesforce targets read with their records named, `Account / Acme Corp (001…) / invoice.pdf`, where
 * the engine names a record by its id alone (a naming rule's match). Undefined where the target is not
 * Salesforce; targets that already name their record by name are left as they are.
 */
async function namedPlaces(stores: AppStores, connection: string, items: ReadonlyArray<PreviewItem>): Promise<Record<string, string> | undefined> {
  if (kindOf(stores.connections.getState().connections, connection) !== 'salesforce') return undefined;
  const idsByObject = new Map<string, Set<string>>();
  for (const item of items) {
    const [object, record] = item.target?.split('/') ?? [];
    if (object !== undefined && record !== undefined && RECORD_ID.test(record)) idsByObject.set(object, (idsByObject.get(object) ?? new Set()).add(record));
  }
  const names = new Map<string, string>();
  for (const [object, ids] of idsByObject) {
    const all = [...ids];
    for (let at = 0; at < all.length; at += NAMES_PER_CALL) {
      const answer = await stores.host.invoke('records.names', { connection, object, ids: all.slice(at, at + NAMES_PER_CALL) });
      if (answer.ok) for (const [id, name] of Object.entries(answer.value.names)) names.set(`${object}/${id}`, name);
    }
  }
  const places: Record<string, string> = {};
  for (const item of items) {
    const [object = '', record = '', ...rest] = item.target?.split('/') ?? [];
    const name = names.get(`${object}/${record}`);
    if (item.target !== undefined && name !== undefined) places[item.target] = [object, `${name} (${record})`, ...rest].join(' / ');
  }
  return places;
}

/** The user changed the conflict policy or the naming rule: the plan is previewed again. */
export async function revisePlan(stores: AppStores, change: Partial<Pick<TransferRequestInput, 'conflict' | 'attachBy'>>): Promise<void> {
  const dialog = stores.ui.getState().dialog;
  if (dialog?.kind !== 'transfer') return;
  const { attachBy: _dropped, ...rest } = dialog.request;
  const attachBy = change.attachBy ?? dialog.request.attachBy;
  const request: TransferRequestInput = { ...rest, conflict: change.conflict ?? dialog.request.conflict, ...(attachBy === undefined || attachBy === '' ? {} : { attachBy }) };
  stores.ui.getState().openDialog({ ...dialog, request, preview: { status: 'loading' } });
  await preview(stores, request);
}

/** Starts the previewed batch with the files that may go. */
export async function confirmPlan(stores: AppStores): Promise<void> {
  const dialog = stores.ui.getState().dialog;
  if (dialog?.kind !== 'transfer' || dialog.preview.status !== 'ready') return;
  const sendable = new Set(dialog.preview.items.filter(isSendable).map((item) => item.source));
  const paths = dialog.request.source.paths.filter((path) => sendable.has(path));
  if (paths.length === 0) return;
  const answer = await stores.transfers.getState().start({ ...dialog.request, source: { ...dialog.request.source, paths } });
  if (!answer.ok) {
    stores.ui.getState().updateDialog('transfer', (d) => ({ ...d, error: answer.error.message }));
    return;
  }
  stores.ui.getState().closeDialog();
  const left = dialog.request.source.paths.length - paths.length;
  stores.ui.getState().notify(`Queued ${plural(paths.length, 'item')}${left > 0 ? `; ${plural(left, 'item')} left out` : ''}`);
}

/** F5 / F6: the selection (else the focused row) to the other pane's folder. */
export async function copyToOtherPane(stores: AppStores, side: Side, move: boolean): Promise<void> {
  const paths = await stores.panes.getState().targetPaths(side);
  const from = stores.panes.getState()[side];
  const to = stores.panes.getState()[otherSide(side)];
  if (paths.length === 0) return;
  await planTransfer(stores, { source: { connection: from.connection, paths: [...paths] }, target: { connection: to.connection, path: to.path }, move, conflict: 'ask' });
}

/** Shift+F5 / Shift+F6: asks where the selection (else the focused row) goes, offering the other pane's folder. */
export async function askCopyTo(stores: AppStores, side: Side, move: boolean): Promise<void> {
  const paths = await stores.panes.getState().targetPaths(side);
  if (paths.length > 0) stores.ui.getState().openDialog({ kind: 'copyTo', side, move, paths });
}

/** The folder typed in the Shift+F5 dialog: the copy is planned and previewed like any other. */
export async function copyToTyped(stores: AppStores, target: { readonly connection: string; readonly typed: string }): Promise<void> {
  const dialog = stores.ui.getState().dialog;
  if (dialog?.kind !== 'copyTo') return;
  const from = stores.panes.getState()[dialog.side];
  const path = typedPath(target.typed);
  // Checked first, so that a mistyped folder is said at once in the dialog that can fix it.
  const answer = await stores.host.invoke('files.list', { connection: target.connection, path, offset: 0, limit: 1, sort: { by: 'name', direction: 'asc' } });
  if (!answer.ok) {
    stores.ui.getState().updateDialog('copyTo', (d) => ({ ...d, error: answer.error.message }));
    return;
  }
  await planTransfer(stores, { source: { connection: from.connection, paths: [...dialog.paths] }, target: { connection: target.connection, path }, move: dialog.move, conflict: 'ask' });
}

/** How many records the search box shows at once; "Show more" adds as many again. */
export const RECORD_SEARCH_PAGE = 20;

/**
 * The record search box: the records of `object` whose name or number holds `text`, a page from
 * `offset` on, with whether more follow; or why none could be read.
 */
export async function searchRecords(
  stores: AppStores,
  connection: string,
  object: string,
  text: string,
  offset = 0,
): Promise<{ readonly records: ReadonlyArray<FoundRecord>; readonly more: boolean } | { readonly error: string }> {
  const answer = await stores.host.invoke('records.search', { connection, object, text, limit: RECORD_SEARCH_PAGE, offset });
  return answer.ok ? { records: answer.value.records, more: answer.value.more } : { error: answer.error.message };
}

/** A record's name where a path names it by its id alone; undefined where it cannot be found. */
export async function recordNameOf(stores: AppStores, connection: string, object: string, id: string): Promise<string | undefined> {
  if (!RECORD_ID.test(id)) return undefined;
  const answer = await stores.host.invoke('records.names', { connection, object, ids: [id] });
  return answer.ok ? answer.value.names[id] : undefined;
}

/** Rows dragged from a pane onto a folder (of either pane). */
export async function dropPaths(stores: AppStores, source: { readonly connection: string; readonly paths: ReadonlyArray<string> }, target: Location, move: boolean): Promise<void> {
  if (source.paths.length === 0) return;
  // Onto its own folder, or onto itself: nothing would move.
  if (source.connection === target.connection && source.paths.every((p) => p === target.path || parentOf(p) === target.path)) return;
  await planTransfer(stores, { source: { connection: source.connection, paths: [...source.paths] }, target, move, conflict: 'ask' });
}

/** Files dropped from the desktop: copied from this computer where the host can name them, else uploaded. */
export async function dropDesktopFiles(stores: AppStores, files: ReadonlyArray<File>, target: Location): Promise<void> {
  if (files.length === 0) return;
  const paths = files.map((file) => stores.host.localPathOf(file));
  if (paths.every((p): p is string => p !== undefined)) {
    await planTransfer(stores, { source: { connection: THIS_COMPUTER, paths }, target, move: false, conflict: 'ask' });
    return;
  }
  const failures: string[] = [];
  for (const file of files) {
    const answer = await stores.host.upload(file, target);
    if (!answer.ok) failures.push(`${file.name}: ${answer.error.message}`);
  }
  const sent = files.length - failures.length;
  stores.ui.getState().notify(failures.length === 0 ? `Uploaded ${plural(sent, 'file')}` : `Uploaded ${plural(sent, 'file')}; ${failures.join('; ')}`, failures.length === 0 ? 'info' : 'error');
  refreshShowing(stores, target);
}

function refreshShowing(stores: AppStores, where: Location): void {
  const state = stores.panes.getState();
  for (const side of ['left', 'right'] as const) if (state[side].connection === where.connection && state[side].path === where.path) state.refresh(side);
}

export async function createFolder(stores: AppStores, side: Side, name: string): Promise<void> {
  const pane = stores.panes.getState()[side];
  const answer = await stores.host.invoke('files.mkdir', { connection: pane.connection, path: joinPath(pane.path, name) });
  if (!answer.ok) {
    stores.ui.getState().updateDialog('newFolder', (d) => ({ ...d, error: answer.error.message }));
    return;
  }
  stores.ui.getState().closeDialog();
  refreshShowing(stores, pane);
}

export async function renameEntry(stores: AppStores, side: Side, from: string, name: string): Promise<void> {
  const pane = stores.panes.getState()[side];
  const answer = await stores.host.invoke('files.rename', { connection: pane.connection, from, to: joinPath(pane.path, name) });
  if (!answer.ok) {
    stores.ui.getState().updateDialog('rename', (d) => ({ ...d, error: answer.error.message }));
    return;
  }
  stores.ui.getState().closeDialog();
  refreshShowing(stores, pane);
}

export async function deletePaths(stores: AppStores, side: Side, paths: ReadonlyArray<string>): Promise<void> {
  const pane = stores.panes.getState()[side];
  const answer = await stores.host.invoke('files.delete', { connection: pane.connection, paths: [...paths] });
  if (!answer.ok) {
    stores.ui.getState().updateDialog('delete', (d) => ({ ...d, error: answer.error.message }));
    return;
  }
  stores.ui.getState().closeDialog();
  stores.panes.getState().clearSelection(side);
  const { deleted, failed } = answer.value;
  stores.ui.getState().notify(
    failed.length === 0 ? `Deleted ${plural(deleted.length, 'item')}` : `Deleted ${plural(deleted.length, 'item')}; not deleted: ${failed.map((f) => `${nameOf(f.path)} (${f.message})`).join(', ')}`,
    failed.length === 0 ? 'info' : 'error',
  );
  refreshShowing(stores, pane);
}

/** F8 / Delete: asks first, naming what goes. */
export async function askDelete(stores: AppStores, side: Side): Promise<void> {
  const paths = await stores.panes.getState().targetPaths(side);
  if (paths.length > 0) stores.ui.getState().openDialog({ kind: 'delete', side, paths });
}
