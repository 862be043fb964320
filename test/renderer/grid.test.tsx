// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '@testing-library/react';
import { files, partnerHost, renderApp } from './renderApp.js';

afterEach(cleanup);

const name = (i: number): string => `file-${String(i).padStart(6, '0')}.csv`;

describe('a pane of 100,000 entries', () => {
  it('draws only the rows in view, counts them all, and End reaches the last', async () => {
    const host = partnerHost();
    host.addEntries('partner', 'inbox', files(100_000, name, 'inbox'));
    const { stores } = await renderApp(host, { left: 'partner' });
    act(() => stores.panes.getState().open('left', 'inbox'));

    const pane = screen.getByRole('region', { name: /^Left pane/ });
    const grid = within(pane).getByRole('grid');
    await waitFor(() => expect(grid.getAttribute('aria-rowcount')).toBe('100001'));
    await within(grid).findByRole('row', { name: new RegExp(name(0)) });
    expect(within(grid).getAllByRole('row').length).toBeLessThan(200);

    const user = userEvent.setup();
    grid.focus();
    await user.keyboard('{End}');

    const last = await within(grid).findByRole('row', { name: new RegExp(name(99_999)) });
    expect(last.getAttribute('aria-rowindex')).toBe('100001');
    await waitFor(() => expect(grid.getAttribute('aria-activedescendant')).toBe(last.id));
    expect(last.getAttribute('aria-selected')).toBe('true');
    expect(within(grid).getAllByRole('row').length).toBeLessThan(200);
  });
});
