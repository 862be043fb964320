// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { MemoryHost } from '../../renderer/host/memoryHost.js';
import { files, partnerHost, renderApp } from './renderApp.js';

afterEach(cleanup);

const name = (i: number): string => `file-${String(i).padStart(6, '0')}.csv`;

function grid(side: 'Left' | 'Right'): HTMLElement {
  return within(screen.getByRole('region', { name: new RegExp(`^${side} pane`) })).getByRole('grid');
}

function selectedNames(element: HTMLElement): string[] {
  return within(element)
    .getAllByRole('row')
    .filter((row) => row.getAttribute('aria-selected') === 'true')
    .map((row) => within(row).getAllByRole('gridcell')[0]?.textContent ?? '');
}

function lists(host: MemoryHost): Array<Record<string, unknown>> {
  return host.calls.filter((c) => c.command === 'files.list').map((c) => c.input as Record<string, unknown>);
}

async function outbox(count = 5) {
  const host = partnerHost();
  host.addEntries('partner', 'outbox', files(count, name, 'outbox'));
  host.addFolder('@computer', 'home/ops');
  const app = await renderApp(host, { left: 'partner' });
  act(() => app.stores.panes.getState().open('left', 'outbox'));
  await within(grid('Left')).findByRole('row', { name: new RegExp(name(0)) });
  return app;
}

describe('selecting rows', () => {
  it('follows the mouse: a click selects one, Ctrl adds, Shift extends from the anchor', async () => {
    await outbox();
    const user = userEvent.setup();
    const rows = grid('Left');
    await user.click(within(rows).getByRole('row', { name: new RegExp(name(1)) }));
    expect(selectedNames(rows)).toEqual([name(1)]);
    await user.keyboard('{Control>}');
    await user.click(within(rows).getByRole('row', { name: new RegExp(name(3)) }));
    await user.keyboard('{/Control}');
    expect(selectedNames(rows)).toEqual([name(1), name(3)]);
    await user.keyboard('{Shift>}');
    await user.click(within(rows).getByRole('row', { name: new RegExp(name(4)) }));
    await user.keyboard('{/Shift}');
    expect(selectedNames(rows)).toEqual([name(3), name(4)]);
  });

  it('follows the keyboard: arrows move, Shift+arrows extend, Insert toggles and moves on', async () => {
    await outbox();
    const user = userEvent.setup();
    const rows = grid('Left');
    rows.focus();
    await user.keyboard('{ArrowDown}');
    expect(selectedNames(rows)).toEqual([name(1)]);
    await user.keyboard('{Shift>}{ArrowDown}{ArrowDown}{/Shift}');
    expect(selectedNames(rows)).toEqual([name(1), name(2), name(3)]);
    expect(rows.getAttribute('aria-activedescendant')).toBe(within(rows).getByRole('row', { name: new RegExp(name(3)) }).id);
    await user.keyboard('{Insert}');
    expect(selectedNames(rows)).toEqual([name(1), name(2)]);
    expect(rows.getAttribute('aria-activedescendant')).toBe(within(rows).getByRole('row', { name: new RegExp(name(4)) }).id);
  });

  it('selects all of 100,000 entries with Ctrl+A and leaves one out with Ctrl+click', async () => {
    const { stores } = await outbox(100_000);
    const user = userEvent.setup();
    const rows = grid('Left');
    rows.focus();
    await user.keyboard('{Control>}a{/Control}');
    expect(await screen.findByText('100,000 selected')).toBeTruthy();
    await user.keyboard('{Control>}');
    await user.click(within(rows).getByRole('row', { name: new RegExp(name(2)) }));
    await user.keyboard('{/Control}');
    expect(screen.getByText('99,999 selected')).toBeTruthy();
    expect(stores.panes.getState().left.selection).toEqual([
      [0, 2],
      [3, 100_000],
    ]);
  });
});

describe('the folder as the host lists it', () => {
  it('asks the host to filter as the user types, and to sort by the column pressed', async () => {
    const { host } = await outbox();
    const user = userEvent.setup();
    const pane = screen.getByRole('region', { name: /^Left pane/ });
    await user.type(within(pane).getByRole('searchbox', { name: 'Filter' }), '0003');
    await waitFor(() => expect(within(grid('Left')).getAllByRole('row')).toHaveLength(2));
    expect(lists(host).at(-1)).toMatchObject({ connection: 'partner', path: 'outbox', filter: '0003' });
    // Opening the folder read it from the server; filtering works on the host's copy of that listing.
    expect(lists(host).find((input) => input['path'] === 'outbox')).toMatchObject({ offset: 0, refresh: true });
    expect(lists(host).at(-1)).not.toHaveProperty('refresh');
    expect(within(grid('Left')).getByRole('row', { name: new RegExp(name(3)) })).toBeTruthy();

    await user.clear(within(pane).getByRole('searchbox', { name: 'Filter' }));
    await user.click(within(pane).getByRole('button', { name: /Size/ }));
    await user.click(within(pane).getByRole('button', { name: /Size/ }));
    await waitFor(() => expect(lists(host).at(-1)).toMatchObject({ sort: { by: 'size', direction: 'desc' } }));
    expect(within(pane).getByRole('columnheader', { name: /Size/ }).getAttribute('aria-sort')).toBe('descending');
    await waitFor(() => expect(within(grid('Left')).getAllByRole('row')[1]?.textContent).toContain(name(4)));
  });

  it('sorts from the keyboard as commanders do: Ctrl+F3 name, Ctrl+F4 type, Ctrl+F5 time, Ctrl+F6 size', async () => {
    const { host } = await outbox();
    const user = userEvent.setup();
    grid('Left').focus();
    await user.keyboard('{Control>}{F6}{/Control}');
    await waitFor(() => expect(lists(host).at(-1)).toMatchObject({ sort: { by: 'size', direction: 'asc' } }));
    await user.keyboard('{Control>}{F5}{/Control}');
    await waitFor(() => expect(lists(host).at(-1)).toMatchObject({ sort: { by: 'modifiedAt', direction: 'asc' } }));
    await user.keyboard('{Control>}{F5}{/Control}');
    await waitFor(() => expect(lists(host).at(-1)).toMatchObject({ sort: { by: 'modifiedAt', direction: 'desc' } }));
    expect(within(screen.getByRole('region', { name: /^Left pane/ })).getByRole('columnheader', { name: /Modified/ }).getAttribute('aria-sort')).toBe('descending');
  });

  it('opens a folder with Enter, goes up with Backspace, and follows the breadcrumb and a typed path', async () => {
    const host = partnerHost();
    host.addFile('partner', 'outbox/2026/12/INV-1.pdf', 10);
    host.addFolder('partner', 'outbox/2025');
    await renderApp(host, { left: 'partner' });
    const user = userEvent.setup();
    const pane = (): HTMLElement => screen.getByRole('region', { name: /^Left pane/ });
    await within(grid('Left')).findByRole('row', { name: /outbox/ });
    grid('Left').focus();
    await user.keyboard('{Enter}');
    await within(grid('Left')).findByRole('row', { name: /2026/ });
    expect(pane().getAttribute('aria-label')).toBe('Left pane — partner: /outbox');
    await user.keyboard('{ArrowDown}{Enter}');
    await within(grid('Left')).findByRole('row', { name: /12/ });
    await user.keyboard('{Backspace}');
    const left = await within(grid('Left')).findByRole('row', { name: /^2026/ });
    // Back up, the folder just left is the focused and selected row.
    await waitFor(() => expect(grid('Left').getAttribute('aria-activedescendant')).toBe(left.id));
    expect(left.getAttribute('aria-selected')).toBe('true');

    await user.click(within(within(pane()).getByRole('navigation', { name: 'Path' })).getByRole('button', { name: 'partner' }));
    await within(grid('Left')).findByRole('row', { name: /outbox/ });

    await user.click(within(pane()).getByRole('button', { name: 'Type a path' }));
    await user.keyboard('{Control>}a{/Control}/outbox/2026/12{Enter}');
    await within(grid('Left')).findByRole('row', { name: /INV-1\.pdf/ });
  });
});

describe('acting on files', () => {
  it('makes a folder with F7, renames with F2, and deletes with F8 only once confirmed', async () => {
    const { host } = await outbox(2);
    const user = userEvent.setup();
    grid('Left').focus();
    await user.keyboard('{F7}');
    const mkdir = await screen.findByRole('dialog', { name: /New folder in partner: \/outbox/ });
    await user.clear(within(mkdir).getByRole('textbox', { name: 'Name' }));
    await user.type(within(mkdir).getByRole('textbox', { name: 'Name' }), 'done{Enter}');
    await within(grid('Left')).findByRole('row', { name: /^done/ });
    expect(host.calls.some((c) => c.command === 'files.mkdir')).toBe(true);

    grid('Left').focus();
    await user.keyboard('{Home}{ArrowDown}{F2}');
    const rename = await screen.findByRole('dialog', { name: `Rename ${name(0)}` });
    await user.clear(within(rename).getByRole('textbox', { name: 'Name' }));
    await user.type(within(rename).getByRole('textbox', { name: 'Name' }), 'renamed.csv{Enter}');
    await within(grid('Left')).findByRole('row', { name: /renamed\.csv/ });

    grid('Left').focus();
    await user.keyboard('{F8}');
    const ask = await screen.findByRole('dialog', { name: /^Delete / });
    await user.click(within(ask).getByRole('button', { name: 'Keep' }));
    expect(host.calls.some((c) => c.command === 'files.delete')).toBe(false);

    grid('Left').focus();
    await user.keyboard('{Delete}');
    await user.click(within(await screen.findByRole('dialog', { name: /^Delete / })).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(host.calls.some((c) => c.command === 'files.delete')).toBe(true));
    await screen.findByText(/^Deleted 1 item/);
  });
});
