// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { compareFolders, SAME_TIME_MS } from '../../renderer/stores/compare.js';
import { sameMove } from '../../renderer/stores/panes.js';
import type { Entry } from '../../src/shared/contract/models.js';
import { partnerHost, renderApp } from './renderApp.js';

afterEach(cleanup);

const T = 1_700_000_000_000;

function pane(side: 'Left' | 'Right'): HTMLElement {
  return screen.getByRole('region', { name: new RegExp(`^${side} pane`) });
}

function row(side: 'Left' | 'Right', name: string): HTMLElement {
  return within(within(pane(side)).getByRole('grid')).getByRole('row', { name: new RegExp(`^${name.replace('.', '\\.')}`) });
}

function file(name: string, size: number, modifiedAt: number): Entry {
  return { name, path: name, kind: 'file', size, modifiedAt };
}

describe('comparing two folders', () => {
  it('marks by name what is only on one side, newer on one side, or of another size, as FileZilla does', () => {
    const marks = compareFolders(
      [file('same.csv', 10, T), file('newer.csv', 10, T + SAME_TIME_MS + 1), file('sizes.csv', 10, T), file('left-only.csv', 1, T), file('minute.csv', 5, T + SAME_TIME_MS), { name: 'dir', path: 'dir', kind: 'dir', size: -1 }],
      [file('same.csv', 10, T), file('newer.csv', 10, T), file('sizes.csv', 11, T + 5 * SAME_TIME_MS), file('right-only.csv', 1, T), file('minute.csv', 5, T), { name: 'dir', path: 'dir', kind: 'file', size: 3 }],
    );
    expect(Object.fromEntries(marks.left)).toEqual({ 'newer.csv': 'newer', 'sizes.csv': 'size', 'left-only.csv': 'only', dir: 'only' });
    expect(Object.fromEntries(marks.right)).toEqual({ 'sizes.csv': 'size', 'right-only.csv': 'only', dir: 'only' });
  });

  it('colours rows of both panes with a legend and names each mark in words, from the toolbar button and from Ctrl+O', async () => {
    const host = partnerHost();
    host.addFile('partner', 'outbox/a.csv', 10, { modifiedAt: T + 10 * SAME_TIME_MS });
    host.addFile('partner', 'outbox/b.csv', 10, { modifiedAt: T });
    host.addFile('partner', 'outbox/c.csv', 12, { modifiedAt: T });
    host.addFile('@computer', 'in/a.csv', 10, { modifiedAt: T });
    host.addFile('@computer', 'in/b.csv', 10, { modifiedAt: T });
    const app = await renderApp(host, { left: 'partner', right: '@computer' });
    act(() => {
      app.stores.panes.getState().open('left', 'outbox');
      app.stores.panes.getState().open('right', 'in');
    });
    await waitFor(() => row('Right', 'b.csv'));
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Compare folders' }));
    await waitFor(() => expect(row('Left', 'c.csv').dataset['compare']).toBe('only'));
    expect(screen.getByRole('button', { name: 'Compare folders' }).getAttribute('aria-pressed')).toBe('true');
    expect(row('Left', 'a.csv').dataset['compare']).toBe('newer');
    expect(within(row('Left', 'a.csv')).getByRole('img', { name: 'Newer on this side' })).toBeTruthy();
    expect(within(row('Left', 'c.csv')).getByRole('img', { name: 'Only on this side' })).toBeTruthy();
    expect(row('Left', 'b.csv').dataset['compare']).toBeUndefined();
    expect(row('Right', 'a.csv').dataset['compare']).toBeUndefined();
    const legend = screen.getByRole('list', { name: 'Compare colours' });
    expect(within(legend).getAllByRole('img').map((img) => img.getAttribute('aria-label'))).toEqual(['Only on this side', 'Newer on this side', 'Size differs']);

    within(pane('Left')).getByRole('grid').focus();
    fireEvent.keyDown(within(pane('Left')).getByRole('grid'), { key: 'o', ctrlKey: true });
    await waitFor(() => expect(row('Left', 'c.csv').dataset['compare']).toBeUndefined());
    expect(screen.queryByRole('list', { name: 'Compare colours' })).toBeNull();
  });

  it('compares again when a pane opens another folder', async () => {
    const host = partnerHost();
    host.addFile('partner', 'one/x.csv', 1, { modifiedAt: T });
    host.addFile('partner', 'two/x.csv', 2, { modifiedAt: T });
    host.addFile('@computer', 'in/x.csv', 1, { modifiedAt: T });
    const app = await renderApp(host, { left: 'partner', right: '@computer' });
    act(() => {
      app.stores.panes.getState().open('left', 'one');
      app.stores.panes.getState().open('right', 'in');
      app.stores.panes.getState().toggleCompare();
    });
    await waitFor(() => expect(app.stores.panes.getState().left.marks?.size).toBe(0));
    act(() => app.stores.panes.getState().open('left', 'two'));
    await waitFor(() => expect(row('Left', 'x.csv').dataset['compare']).toBe('size'));
    expect(row('Right', 'x.csv').dataset['compare']).toBe('size');
  });
});

describe('synchronized browsing', () => {
  it('makes the same move in the other pane: into subfolders, and up as many levels', () => {
    expect(sameMove('', 'a', 'x')).toBe('x/a');
    expect(sameMove('a', 'a/b/c', 'x')).toBe('x/b/c');
    expect(sameMove('a/b/c', 'a', 'x/y/z')).toBe('x');
    expect(sameMove('a/b', '', 'x/y')).toBe('');
    expect(sameMove('a/b', '', 'x')).toBeUndefined();
    expect(sameMove('a/b', 'c', 'x')).toBeUndefined();
  });

  it('opens and leaves folders in both panes, and says so when the other pane has no such folder', async () => {
    const host = partnerHost();
    host.addFile('partner', 'out/2026/a.csv', 1);
    host.addFile('partner', 'out/2025/a.csv', 1);
    host.addFile('@computer', 'in/2026/a.csv', 1);
    const app = await renderApp(host, { left: 'partner', right: '@computer' });
    act(() => {
      app.stores.panes.getState().open('left', 'out');
      app.stores.panes.getState().open('right', 'in');
    });
    await waitFor(() => row('Left', '2026'));
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Synchronized browsing' }));
    await user.dblClick(row('Left', '2026'));
    await waitFor(() => expect(app.stores.panes.getState().right.path).toBe('in/2026'));
    await waitFor(() => row('Right', 'a.csv'));
    await user.click(within(pane('Left')).getByRole('button', { name: 'Up one folder' }));
    await waitFor(() => expect(app.stores.panes.getState().right.path).toBe('in'));

    await waitFor(() => row('Left', '2025'));
    await user.dblClick(row('Left', '2025'));
    expect(await screen.findByText('Synchronized browsing: the right pane has no folder /in/2025, so it stayed in /in.')).toBeTruthy();
    expect(app.stores.panes.getState().right.path).toBe('in');

    fireEvent.keyDown(within(pane('Left')).getByRole('grid'), { key: 'y', ctrlKey: true });
    expect(screen.getByRole('button', { name: 'Synchronized browsing' }).getAttribute('aria-pressed')).toBe('false');
    expect(screen.queryByText(/Synchronized browsing: the right pane/)).toBeNull();
  });
});
