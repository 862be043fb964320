// @vitest-environment happy-dom
import { cleanup, createEvent, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MemoryHost } from '../../renderer/host/memoryHost.js';
import type { Entry } from '../../src/shared/contract/models.js';
import { files, partnerHost, renderApp } from './renderApp.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const name = (i: number): string => `file-${String(i).padStart(5, '0')}.csv`;
const T0 = Date.UTC(2026, 10, 2, 9);

function pane(side: 'Left' | 'Right'): HTMLElement {
  return screen.getByRole('region', { name: new RegExp(`^${side} pane`) });
}

function grid(side: 'Left' | 'Right'): HTMLElement {
  return within(pane(side)).getByRole('grid');
}

function row(side: 'Left' | 'Right', text: string): HTMLElement {
  return within(grid(side)).getByRole('row', { name: new RegExp(`^${text.replace(/[.()]/g, '\\$&')}`) });
}

function started(host: MemoryHost, command: string): unknown[] {
  return host.calls.filter((c) => c.command === command).map((c) => c.input);
}

describe('type-ahead', () => {
  it('goes to the first name starting with the typed letters, also far past the rows loaded, in the pane’s order', async () => {
    const host = partnerHost();
    host.addEntries('partner', 'outbox', [...files(3000, name, 'outbox'), { name: 'Zulu.txt', path: 'outbox/Zulu.txt', kind: 'file', size: 1 }]);
    const app = await renderApp(host, { left: 'partner' });
    act(() => app.stores.panes.getState().open('left', 'outbox'));
    await waitFor(() => row('Left', name(0)));
    const user = userEvent.setup();
    // The clock stands still while a name is typed, and moves on for the pause that ends it.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    grid('Left').focus();
    await user.keyboard('zu');
    await waitFor(() => expect(app.stores.panes.getState().left.focus).toBe(3000));
    await waitFor(() => expect(row('Left', 'Zulu.txt').getAttribute('aria-selected')).toBe('true'));
    expect(started(host, 'files.locate').at(-1)).toEqual({ connection: 'partner', path: 'outbox', sort: { by: 'name', direction: 'asc' }, prefix: 'zu' });

    // After a pause, letters start a new name: here one in the middle of the folder.
    vi.setSystemTime(T0 + 5000);
    await user.keyboard('file-02');
    await waitFor(() => expect(app.stores.panes.getState().left.focus).toBe(2000));
    await waitFor(() => expect(row('Left', name(2000)).getAttribute('aria-selected')).toBe('true'));
  });

  it('leaves the focus where it is when no name starts with the letters, and keeps Space and Ctrl+A for selecting', async () => {
    const host = partnerHost();
    host.addEntries('partner', 'outbox', files(5, name, 'outbox'));
    const app = await renderApp(host, { left: 'partner' });
    act(() => app.stores.panes.getState().open('left', 'outbox'));
    await waitFor(() => row('Left', name(0)));
    const user = userEvent.setup();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    grid('Left').focus();
    await user.keyboard('{ArrowDown}q');
    await waitFor(() => expect(started(host, 'files.locate')).toHaveLength(1));
    expect(app.stores.panes.getState().left.focus).toBe(1);
    vi.setSystemTime(T0 + 5000);
    await user.keyboard(' ');
    expect(app.stores.panes.getState().left.selection).toEqual([]);
    await user.keyboard('{Control>}a{/Control}');
    expect(app.stores.panes.getState().left.selection).toEqual([[0, 5]]);
    expect(started(host, 'files.locate')).toHaveLength(1);
  });
});

describe('copy or move to a typed folder', () => {
  it('Shift+F5 offers the other pane’s connection and folder, and previews the copy to the folder typed', async () => {
    const host = partnerHost();
    host.addFile('partner', 'outbox/a.csv', 3);
    host.addFolder('@computer', 'home/ops/inbox');
    host.addFolder('@computer', 'archive/2026');
    const app = await renderApp(host, { left: 'partner', right: '@computer' });
    act(() => {
      app.stores.panes.getState().open('left', 'outbox');
      app.stores.panes.getState().open('right', 'home/ops/inbox');
    });
    await waitFor(() => row('Left', 'a.csv'));
    const user = userEvent.setup();
    grid('Left').focus();
    await user.keyboard('{Shift>}{F5}{/Shift}');
    const dialog = await screen.findByRole('dialog', { name: 'Copy a.csv to…' });
    expect(within(dialog).getByRole<HTMLSelectElement>('combobox', { name: 'Connection' }).value).toBe('@computer');
    const folder = within(dialog).getByRole<HTMLInputElement>('textbox', { name: /Folder/ });
    expect(folder.value).toBe('/home/ops/inbox');

    await user.clear(folder);
    await user.type(folder, '/nowhere{Enter}');
    expect(await within(dialog).findByRole('alert')).toBeTruthy();
    expect(started(host, 'transfers.preview')).toEqual([]);

    await user.clear(folder);
    await user.type(folder, '/archive/2026/{Enter}');
    await screen.findByRole('dialog', { name: 'Copy 1 item to This computer: /archive/2026' });
    expect(started(host, 'transfers.preview')).toMatchObject([{ source: { connection: 'partner', paths: ['outbox/a.csv'] }, target: { connection: '@computer', path: 'archive/2026' }, move: false }]);
  });

  it('Shift+F6 moves, and the context menu offers both', async () => {
    const host = partnerHost();
    host.addFile('partner', 'outbox/a.csv', 3);
    host.addFile('partner', 'outbox/b.csv', 3);
    const app = await renderApp(host, { left: 'partner' });
    act(() => app.stores.panes.getState().open('left', 'outbox'));
    await waitFor(() => row('Left', 'a.csv'));
    const user = userEvent.setup();
    grid('Left').focus();
    await user.keyboard('{Control>}a{/Control}{Shift>}{F6}{/Shift}');
    const dialog = await screen.findByRole('dialog', { name: 'Move 2 items to…' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    fireEvent.contextMenu(row('Left', 'a.csv'));
    await user.click(await screen.findByRole('menuitem', { name: /Copy to a folder you type|Copy to…/ }));
    expect(await screen.findByRole('dialog', { name: /^Copy .* to…$/ })).toBeTruthy();
  });
});

describe('spring-loaded folders', () => {
  function dragData(): DataTransfer {
    const data = new Map<string, string>();
    return {
      types: ['application/x-ferry-pane'],
      files: [] as unknown as FileList,
      dropEffect: 'copy',
      effectAllowed: 'copyMove',
      setData: (type: string, value: string) => void data.set(type, value),
      getData: (type: string) => data.get(type) ?? '',
    } as unknown as DataTransfer;
  }

  async function twoPanes() {
    const host = partnerHost();
    host.addFile('partner', 'outbox/a.csv', 3);
    host.addFile('@computer', 'home/ops/inbox/2026/old.csv', 3);
    const app = await renderApp(host, { left: 'partner', right: '@computer' });
    act(() => {
      app.stores.panes.getState().open('left', 'outbox');
      app.stores.panes.getState().open('right', 'home/ops');
    });
    await waitFor(() => row('Left', 'a.csv'));
    await waitFor(() => row('Right', 'inbox'));
    return app;
  }

  it('opens a folder the drag rests on, then the drop lands in the folder opened', async () => {
    const app = await twoPanes();
    const transfer = dragData();
    vi.useFakeTimers({ shouldAdvanceTime: true });
    fireEvent.dragStart(row('Left', 'a.csv'), { dataTransfer: transfer });
    fireEvent.dragOver(row('Right', 'inbox'), { dataTransfer: transfer });
    await act(() => vi.advanceTimersByTimeAsync(2000));
    await waitFor(() => expect(app.stores.panes.getState().right.path).toBe('home/ops/inbox'));
    await waitFor(() => row('Right', '2026'));
    fireEvent.dragOver(row('Right', '2026'), { dataTransfer: transfer });
    await act(() => vi.advanceTimersByTimeAsync(2000));
    await waitFor(() => row('Right', 'old.csv'));
    fireEvent.drop(row('Right', 'old.csv'), { dataTransfer: transfer });
    fireEvent.dragEnd(row('Left', 'a.csv'), { dataTransfer: transfer });
    await screen.findByRole('dialog', { name: 'Copy 1 item to This computer: /home/ops/inbox/2026' });
    expect(app.stores.panes.getState().right.path).toBe('home/ops/inbox/2026');
  });

  it('a drag cancelled with Escape puts the pane back in the folder it was in', async () => {
    const app = await twoPanes();
    const transfer = dragData();
    vi.useFakeTimers({ shouldAdvanceTime: true });
    fireEvent.dragStart(row('Left', 'a.csv'), { dataTransfer: transfer });
    fireEvent.dragOver(row('Right', 'inbox'), { dataTransfer: transfer });
    await act(() => vi.advanceTimersByTimeAsync(2000));
    await waitFor(() => expect(app.stores.panes.getState().right.path).toBe('home/ops/inbox'));
    // The browser ends a drag cancelled by Escape with no drop effect.
    const end = createEvent.dragEnd(row('Left', 'a.csv'));
    Object.defineProperty(end, 'dataTransfer', { value: { ...transfer, dropEffect: 'none' } });
    fireEvent(row('Left', 'a.csv'), end);
    await waitFor(() => expect(app.stores.panes.getState().right.path).toBe('home/ops'));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('Salesforce records', () => {
  const ACME = '001000000000001AAA';
  const record = (folder: string, details: Record<string, string>): Entry => ({ name: folder, path: `Account/${folder}`, kind: 'dir', size: -1, details });

  async function org() {
    const host = partnerHost();
    host.addFile('org', `Account/${ACME}/contract.pdf`, 3);
    host.addFile('org', 'Account/Globex/quote.pdf', 3);
    host.addEntries('org', 'Account', [record(ACME, { id: ACME, name: 'Acme Corp', number: 'ACC-10001' }), record('Globex', { id: '001000000000002AAA', number: 'ACC-10002' })]);
    host.addFile('partner', `outbox/INV-${ACME}.pdf`, 3);
    const app = await renderApp(host, { left: 'partner', right: 'org' });
    act(() => {
      app.stores.panes.getState().open('left', 'outbox');
      app.stores.panes.getState().open('right', 'Account');
    });
    await waitFor(() => row('Right', 'Globex'));
    return app;
  }

  it('finds records by number in the object folder’s search box and opens the one chosen', async () => {
    const app = await org();
    const user = userEvent.setup();
    const search = within(pane('Right')).getByRole('combobox', { name: 'Search Account records' });
    await user.type(search, 'acc-10002');
    const found = await within(pane('Right')).findByRole('listbox', { name: 'Account records found' });
    const options = await within(found).findAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['GlobexACC-10002 · 001000000000002AAA']);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(app.stores.panes.getState().right.path).toBe('Account/Globex'));
    await waitFor(() => row('Right', 'quote.pdf'));
  });

  it('says when no record matches', async () => {
    await org();
    const user = userEvent.setup();
    await user.type(within(pane('Right')).getByRole('combobox', { name: 'Search Account records' }), 'Initech');
    expect(await within(pane('Right')).findByText('No Account record has “Initech” in its name or number.')).toBeTruthy();
  });

  it('names a record opened by its id in the pane header, with its id beside', async () => {
    const app = await org();
    act(() => app.stores.panes.getState().open('right', `Account/${ACME}`));
    expect(await within(pane('Right')).findByText('Acme Corp')).toBeTruthy();
    expect(within(pane('Right')).getByText(`Id ${ACME}`)).toBeTruthy();
  });

  it('shows where a file lands by its record’s name and id in the preview, where the plan names the record by id', async () => {
    const app = await org();
    await waitFor(() => row('Left', `INV-${ACME}.pdf`));
    const user = userEvent.setup();
    await user.click(row('Left', `INV-${ACME}.pdf`));
    act(() => app.stores.panes.getState().open('right', 'Account'));
    await waitFor(() => row('Right', 'Globex'));
    grid('Left').focus();
    await user.keyboard('{F5}');
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByRole('cell', { name: `Account / Acme Corp (${ACME}) / INV-${ACME}.pdf` })).toBeTruthy();
  });
});
