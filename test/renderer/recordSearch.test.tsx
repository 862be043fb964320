// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { RECORD_SEARCH_PAGE } from '../../renderer/stores/actions.js';
import type { Entry } from '../../src/shared/contract/models.js';
import { partnerHost, renderApp } from './renderApp.js';

afterEach(cleanup);

/** More Accounts than two pages of the search hold, numbered so that one text finds them all. */
const ACCOUNTS = 2 * RECORD_SEARCH_PAGE + 5;
const nameOf = (i: number): string => `Account ${String(i).padStart(3, '0')}`;
const idOf = (i: number): string => `001${String(i).padStart(15, '0')}`;

function pane(): HTMLElement {
  return screen.getByRole('region', { name: /^Right pane/ });
}

async function orgWithManyAccounts() {
  const host = partnerHost();
  const records: Entry[] = Array.from({ length: ACCOUNTS }, (_, i) => ({
    name: nameOf(i),
    path: `Account/${nameOf(i)}`,
    kind: 'dir',
    size: -1,
    details: { id: idOf(i), number: `ACC-2${String(i).padStart(4, '0')}` },
  }));
  host.addEntries('org', 'Account', records);
  const app = await renderApp(host, { left: 'partner', right: 'org' });
  act(() => app.stores.panes.getState().open('right', 'Account'));
  await within(pane()).findByRole('combobox', { name: 'Search Account records' });
  return { host, app };
}

function options(): HTMLElement[] {
  return within(within(pane()).getByRole('listbox', { name: 'Account records found' })).queryAllByRole('option');
}

function activeOption(): string | undefined {
  const search = within(pane()).getByRole('combobox', { name: 'Search Account records' });
  const id = search.getAttribute('aria-activedescendant');
  return id === null ? undefined : (document.getElementById(id)?.textContent ?? undefined);
}

describe('the record search box, past its first page', () => {
  it('reaches every match a page at a time from the keyboard, and opens one found on a later page', async () => {
    const { host, app } = await orgWithManyAccounts();
    const user = userEvent.setup();
    await user.type(within(pane()).getByRole('combobox', { name: 'Search Account records' }), 'ACC-2');
    await waitFor(() => expect(options()).toHaveLength(RECORD_SEARCH_PAGE + 1));
    expect(options().at(-1)?.textContent).toBe('Show more Account records');
    // Down from the first record past the last one of the page lands on "Show more".
    for (let i = 0; i < RECORD_SEARCH_PAGE; i++) await user.keyboard('{ArrowDown}');
    expect(activeOption()).toBe('Show more Account records');
    expect(options().at(-1)?.getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(options()).toHaveLength(2 * RECORD_SEARCH_PAGE + 1));
    // The arrows carry on from the first record of the page just added.
    expect(activeOption()).toContain(nameOf(RECORD_SEARCH_PAGE));
    await user.keyboard('{ArrowUp}{Enter}');
    await waitFor(() => expect(app.stores.panes.getState().right.path).toBe(`Account/${nameOf(RECORD_SEARCH_PAGE - 1)}`));
    const offsets = host.calls.filter((c) => c.command === 'records.search').map((c) => (c.input as { offset?: number }).offset);
    expect(offsets).toEqual([0, RECORD_SEARCH_PAGE]);
  });

  it('adds pages by mouse too, and offers no more once the last match is shown', async () => {
    const { app } = await orgWithManyAccounts();
    const user = userEvent.setup();
    await user.type(within(pane()).getByRole('combobox', { name: 'Search Account records' }), 'ACC-2');
    await waitFor(() => expect(options()).toHaveLength(RECORD_SEARCH_PAGE + 1));
    await user.click(within(pane()).getByRole('option', { name: 'Show more Account records' }));
    await waitFor(() => expect(options()).toHaveLength(2 * RECORD_SEARCH_PAGE + 1));
    await user.click(within(pane()).getByRole('option', { name: 'Show more Account records' }));
    await waitFor(() => expect(options()).toHaveLength(ACCOUNTS));
    expect(within(pane()).queryByRole('option', { name: 'Show more Account records' })).toBeNull();
    expect(options().map((o) => o.textContent?.split('ACC-')[0])).toEqual(Array.from({ length: ACCOUNTS }, (_, i) => nameOf(i)));
    await user.click(options().at(-1) as HTMLElement);
    await waitFor(() => expect(app.stores.panes.getState().right.path).toBe(`Account/${nameOf(ACCOUNTS - 1)}`));
  });
});
