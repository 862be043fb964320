// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryHost, type MemoryHost } from '../../renderer/host/memoryHost.js';
import { PANE_MEMORY_KEY, type PaneStorage } from '../../renderer/stores/paneMemory.js';
import { THIS_COMPUTER } from '../../src/shared/contract/models.js';
import { files, renderApp } from './renderApp.js';

afterEach(cleanup);

/** The renderer's localStorage as one Ferry install sees it across restarts; counts what is written. */
class Storage implements PaneStorage {
  readonly items = new Map<string, string>();
  writes = 0;
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.writes++;
    this.items.set(key, value);
  }
}

/** Storage the browser refuses: disabled outright, or full on every write. */
class RefusingStorage implements PaneStorage {
  getItem(): string | null {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  }
  setItem(): void {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  }
}

const DEFAULTS = { left: 'partner', right: 'org' } as const;
const invoice = (i: number): string => `invoice-${String(i).padStart(3, '0')}.pdf`;

/** The workspace as Ferry finds it at each start: a partner's outbox, an org, and this computer's folders. */
function workspace(options: { readonly oldServer?: boolean; readonly archive?: boolean } = {}): MemoryHost {
  const host = memoryHost([
    { name: 'partner', kind: 'sftp', location: 'sftp://ops@files.partner.example/', sdrive: false },
    { name: 'org', kind: 'salesforce', location: 'https://acme.my.salesforce.com', sdrive: false },
    ...(options.oldServer === true ? [{ name: 'old-ftp', kind: 'ftp' as const, location: 'ftp://ops@old.partner.example/', sdrive: false }] : []),
  ]);
  host.addEntries('partner', 'outbox/2026', files(12, invoice, 'outbox/2026'));
  host.addFolder('org', 'Account');
  host.addFolder(THIS_COMPUTER, 'home/ops');
  if (options.archive !== false) host.addEntries(THIS_COMPUTER, 'home/ops/archive', files(3, (i) => `report-${i}.csv`, 'home/ops/archive'));
  if (options.oldServer === true) host.addFolder('old-ftp', 'in');
  return host;
}

function pane(side: 'Left' | 'Right'): HTMLElement {
  return screen.getByRole('region', { name: new RegExp(`^${side} pane`) });
}

function shownNames(side: 'Left' | 'Right'): string[] {
  return within(within(pane(side)).getByRole('grid'))
    .queryAllByRole('row')
    .map((row) => within(row).queryAllByRole('gridcell')[0]?.textContent ?? '')
    .filter((name) => name !== '');
}

function notice(): string {
  return screen.getAllByRole('status').map((s) => s.textContent ?? '').join(' ');
}

describe('each pane after a restart', () => {
  it('opens where the user left it: connection, folder, sort and filter on both sides', async () => {
    const storage = new Storage();
    const first = await renderApp(workspace(), DEFAULTS, storage);
    const user = userEvent.setup();
    const panes = first.stores.panes.getState();
    panes.open('left', 'outbox/2026');
    panes.setSort('left', 'size');
    panes.setSort('left', 'size');
    await user.type(within(pane('Left')).getByRole('searchbox', { name: 'Filter' }), '00');
    panes.setConnection('right', THIS_COMPUTER);
    panes.open('right', 'home/ops/archive');
    await waitFor(() => expect(shownNames('Right')).toContain('report-2.csv'));
    cleanup();

    const host = workspace();
    const second = await renderApp(host, DEFAULTS, storage);
    expect(pane('Left').getAttribute('aria-label')).toBe('Left pane — partner: /outbox/2026');
    expect(pane('Right').getAttribute('aria-label')).toBe('Right pane — This computer: /home/ops/archive');
    expect(within(pane('Left')).getByRole<HTMLInputElement>('searchbox', { name: 'Filter' }).value).toBe('00');
    expect(within(pane('Left')).getByRole('columnheader', { name: /Size/ }).getAttribute('aria-sort')).toBe('descending');
    // invoice-000 … -009 hold "00"; the largest comes first.
    await waitFor(() => expect(shownNames('Left')).toEqual(Array.from({ length: 10 }, (_, i) => invoice(9 - i))));
    expect(shownNames('Right')).toEqual(['report-0.csv', 'report-1.csv', 'report-2.csv']);
    expect(host.calls.filter((c) => c.command === 'files.list').map((c) => c.input)).toContainEqual(
      expect.objectContaining({ connection: 'partner', path: 'outbox/2026', sort: { by: 'size', direction: 'desc' }, filter: '00' }),
    );
    expect(second.stores.ui.getState().notice).toBeNull();
  });

  it('opens on the first panes when nothing was kept', async () => {
    const app = await renderApp(workspace(), DEFAULTS, new Storage());
    expect(pane('Left').getAttribute('aria-label')).toBe('Left pane — partner: /');
    expect(pane('Right').getAttribute('aria-label')).toBe('Right pane — org: /');
    expect(app.stores.ui.getState().notice).toBeNull();
  });

  it('falls back to the default pane when its connection was removed, and says so', async () => {
    const storage = new Storage();
    const first = await renderApp(workspace({ oldServer: true }), DEFAULTS, storage);
    first.stores.panes.getState().setConnection('left', 'old-ftp');
    first.stores.panes.getState().open('left', 'in');
    await first.stores.connections.getState().remove('old-ftp');
    cleanup();

    await renderApp(workspace(), DEFAULTS, storage);
    expect(pane('Left').getAttribute('aria-label')).toBe('Left pane — partner: /');
    expect(notice()).toContain('Left pane: the connection old-ftp no longer exists, so it shows partner.');
    expect(JSON.parse(storage.items.get(PANE_MEMORY_KEY) ?? '')).toMatchObject({ left: { connection: 'partner', path: '' } });
  });

  it("falls back to the connection's top folder when the folder is gone, and says so", async () => {
    const storage = new Storage();
    const first = await renderApp(workspace(), DEFAULTS, storage);
    first.stores.panes.getState().setConnection('right', THIS_COMPUTER);
    first.stores.panes.getState().open('right', 'home/ops/archive');
    cleanup();

    await renderApp(workspace({ archive: false }), DEFAULTS, storage);
    expect(pane('Right').getAttribute('aria-label')).toBe('Right pane — This computer: /');
    await waitFor(() => expect(shownNames('Right')).toEqual(['home']));
    expect(notice()).toContain('Right pane: the folder /home/ops/archive is gone from This computer, so it shows its top folder.');
  });

  it.each([
    ['JSON cut short', '{"version":1,"left":{"connection":"par'],
    ['an older version', JSON.stringify({ version: 0, left: { connection: THIS_COMPUTER, path: 'home' }, right: { connection: THIS_COMPUTER, path: 'home' } })],
    ['a path with NUL', JSON.stringify({ version: 1, left: { connection: 'partner', path: 'out\0box', sort: { by: 'name', direction: 'asc' }, filter: '' }, right: { connection: 'org', path: '', sort: { by: 'name', direction: 'asc' }, filter: '' } })],
  ])('ignores what was kept when it is %s, and starts on the first panes', async (_, kept) => {
    const storage = new Storage();
    storage.items.set(PANE_MEMORY_KEY, kept);
    const app = await renderApp(workspace(), DEFAULTS, storage);
    expect(pane('Left').getAttribute('aria-label')).toBe('Left pane — partner: /');
    expect(pane('Right').getAttribute('aria-label')).toBe('Right pane — org: /');
    expect(app.stores.ui.getState().notice).toBeNull();
    expect(JSON.parse(storage.items.get(PANE_MEMORY_KEY) ?? '')).toMatchObject({ version: 1, left: { connection: 'partner', path: '' }, right: { connection: 'org', path: '' } });
  });

  it('writes only when a place changes, not as the focus moves or rows arrive', async () => {
    const storage = new Storage();
    const app = await renderApp(workspace(), DEFAULTS, storage);
    const panes = app.stores.panes.getState();
    panes.open('left', 'outbox/2026');
    await waitFor(() => expect(shownNames('Left')).toContain(invoice(11)));
    const written = storage.writes;
    const user = userEvent.setup();
    within(pane('Left')).getByRole('grid').focus();
    await user.keyboard('{ArrowDown}{ArrowDown}{Shift>}{ArrowDown}{/Shift}');
    expect(app.stores.panes.getState().left.focus).toBe(3);
    expect(storage.writes).toBe(written);
    panes.setSort('left', 'modifiedAt');
    expect(storage.writes).toBe(written + 1);
  });

  it('keeps working when the browser refuses storage', async () => {
    const app = await renderApp(workspace(), DEFAULTS, new RefusingStorage());
    expect(pane('Left').getAttribute('aria-label')).toBe('Left pane — partner: /');
    app.stores.panes.getState().open('left', 'outbox/2026');
    await waitFor(() => expect(shownNames('Left')).toContain(invoice(0)));
    expect(app.stores.ui.getState().notice).toBeNull();
  });
});
