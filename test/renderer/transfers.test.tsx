// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { MemoryHost } from '../../renderer/host/memoryHost.js';
import type { TransferRequestInput } from '../../src/shared/contract/models.js';
import { partnerHost, renderApp } from './renderApp.js';

afterEach(cleanup);

function grid(side: 'Left' | 'Right'): HTMLElement {
  return within(screen.getByRole('region', { name: new RegExp(`^${side} pane`) })).getByRole('grid');
}

function started(host: MemoryHost): TransferRequestInput[] {
  return host.calls.filter((c) => c.command === 'transfers.start').map((c) => c.input as TransferRequestInput);
}

/** partner:/outbox on the left with three invoices; the right pane shows `right` at `path`. */
async function invoices(right: string, path: string) {
  const host = partnerHost();
  for (const [file, size] of [
    ['INV-1-Globex.pdf', 4000],
    ['INV-2-Acme Industries.pdf', 6000],
    ['INV-3-Initech.pdf', 2000],
  ] as const) {
    host.addFile('partner', `outbox/${file}`, size);
  }
  host.addFolder('@computer', 'home/ops/inbox');
  for (const record of ['Globex', 'Acme', 'Acme Industries']) host.addFolder('org', `Account/${record}`);
  const app = await renderApp(host, { left: 'partner', right });
  act(() => {
    app.stores.panes.getState().open('left', 'outbox');
    app.stores.panes.getState().open('right', path);
  });
  await within(grid('Left')).findByRole('row', { name: /INV-1-Globex/ });
  return app;
}

describe('copying to the other pane', () => {
  it('F5 plans a copy of the selection to the other pane’s folder, and Start transfer queues it', async () => {
    const { host } = await invoices('@computer', 'home/ops/inbox');
    const user = userEvent.setup();
    await user.click(within(grid('Left')).getByRole('row', { name: /INV-1-Globex/ }));
    await user.keyboard('{F5}');
    const dialog = await screen.findByRole('dialog', { name: 'Copy 1 item to This computer: /home/ops/inbox' });
    expect(await within(dialog).findByRole('cell', { name: '/home/ops/inbox/INV-1-Globex.pdf' })).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Start transfer' }));

    expect(started(host)).toEqual([{ source: { connection: 'partner', paths: ['outbox/INV-1-Globex.pdf'] }, target: { connection: '@computer', path: 'home/ops/inbox' }, move: false, conflict: 'ask' }]);
    const queue = await screen.findByRole('region', { name: 'Transfers' });
    expect(within(queue).getByText('1 file from partner to @computer:home/ops/inbox')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('F6 moves, with the conflict policy chosen in the dialog applied to the whole batch', async () => {
    const { host } = await invoices('@computer', 'home/ops/inbox');
    const user = userEvent.setup();
    grid('Left').focus();
    await user.keyboard('{Control>}a{/Control}{F6}');
    const dialog = await screen.findByRole('dialog', { name: /^Move 3 items/ });
    await user.selectOptions(within(dialog).getByRole('combobox', { name: /When a file is already there/ }), 'skip');
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Start transfer' }).hasAttribute('disabled')).toBe(false));
    await user.click(within(dialog).getByRole('button', { name: 'Start transfer' }));
    expect(started(host)[0]).toMatchObject({ move: true, conflict: 'skip' });
    expect(started(host)[0]?.source.paths).toHaveLength(3);
  });
});

describe('before anything lands on Salesforce', () => {
  it('shows each file’s record, and leaves out the file that fits two records and the one that fits none', async () => {
    const { host } = await invoices('org', 'Account');
    const user = userEvent.setup();
    grid('Left').focus();
    await user.keyboard('{Control>}a{/Control}{F5}');
    const dialog = await screen.findByRole('dialog', { name: 'Copy 3 items to org: /Account' });
    const row = (file: RegExp): HTMLElement => within(dialog).getByRole('row', { name: file });
    await within(dialog).findByRole('row', { name: /INV-2-Acme Industries/ });
    expect(within(row(/INV-2-Acme Industries/)).getByRole('cell', { name: 'More than one' })).toBeTruthy();
    expect(within(row(/INV-2-Acme Industries/)).getByRole('cell', { name: 'Not sent' })).toBeTruthy();
    expect(within(row(/INV-3-Initech/)).getByRole('cell', { name: 'None found' })).toBeTruthy();
    expect(within(row(/INV-1-Globex/)).getByRole('cell', { name: 'New file' })).toBeTruthy();
    expect(within(row(/INV-1-Globex/)).getByRole('cell', { name: '/Account/Globex/INV-1-Globex.pdf' })).toBeTruthy();
    expect(within(dialog).getByText('1 will be sent, 2 left out')).toBeTruthy();

    await user.click(within(dialog).getByRole('button', { name: 'Start transfer' }));
    expect(started(host).map((r) => r.source.paths)).toEqual([['outbox/INV-1-Globex.pdf']]);
    expect(await screen.findByText('Queued 1 item; 2 items left out')).toBeTruthy();
  });

  it('cannot start when no file has a record', async () => {
    const { host } = await invoices('org', 'Account');
    const user = userEvent.setup();
    await user.click(within(grid('Left')).getByRole('row', { name: /INV-3-Initech/ }));
    await user.keyboard('{F5}');
    const dialog = await screen.findByRole('dialog', { name: /^Copy 1 item to org/ });
    await within(dialog).findByRole('cell', { name: 'None found' });
    expect(within(dialog).getByRole('button', { name: 'Start transfer' }).hasAttribute('disabled')).toBe(true);
    await user.click(within(dialog).getByRole('button', { name: 'Start transfer' }));
    expect(started(host)).toEqual([]);
  });
});

describe('the transfer queue', () => {
  it('is hidden when empty, then shows each file’s state in words and the progress of the batch and the file', async () => {
    const { host, stores } = await invoices('@computer', 'home/ops/inbox');
    expect(screen.queryByRole('region', { name: 'Transfers' })).toBeNull();
    const answer = await act(() =>
      stores.transfers.getState().start({ source: { connection: 'partner', paths: ['outbox/INV-1-Globex.pdf', 'outbox/INV-3-Initech.pdf'] }, target: { connection: '@computer', path: 'home/ops/inbox' }, move: false, conflict: 'changed' }),
    );
    const id = answer.ok ? answer.value.id : '';
    const queue = await screen.findByRole('region', { name: 'Transfers' });
    const status = screen.getByRole('contentinfo', { name: 'Status' });
    expect(within(status).getByText('0 transfers running, 1 waiting')).toBeTruthy();
    const user = userEvent.setup();
    await user.click(within(queue).getByRole('button', { name: /^Files of/ }));
    await within(queue).findByText('INV-1-Globex.pdf');
    expect(within(queue).getAllByText('Queued').length).toBeGreaterThanOrEqual(2);
    // Neither the rate nor the time left is known before the first bytes.
    expect(within(queue).getAllByText('—')).toHaveLength(2);

    act(() => host.advance(id, 0.5));
    const batchBar = await within(queue).findByRole('progressbar', { name: /2 files from partner.* progress/ });
    await waitFor(() => expect(batchBar.getAttribute('aria-valuenow')).toBe('50'));
    const fileBar = within(queue).getByRole('progressbar', { name: 'INV-1-Globex.pdf progress' });
    expect(fileBar.getAttribute('aria-valuenow')).toBe('75');
    expect(within(queue).getByText('Running', { selector: 'span[class*=fileState]' })).toBeTruthy();
    expect(within(queue).getByText('1 s left')).toBeTruthy();
    expect(within(queue).getByText('976.6 KB/s')).toBeTruthy();
    expect(within(status).getByText('1 transfer running')).toBeTruthy();

    act(() => {
      host.failFile(id, 1, 'the folder refused the write (permission denied)');
      host.complete(id);
    });
    await within(queue).findByText('Failed: the folder refused the write (permission denied)');
    expect(within(queue).getByText('Done', { selector: 'span[class*=fileState]' })).toBeTruthy();
    expect(within(queue).queryByRole('button', { name: /^Cancel/ })).toBeNull();
    expect(screen.getByRole('button', { name: /1 transfer needs attention/ })).toBeTruthy();

    await user.click(within(queue).getByRole('button', { name: 'Clear finished' }));
    expect(screen.queryByRole('region', { name: 'Transfers' })).toBeNull();
  });

  it('cancels a batch, which stays listed as cancelled until cleared', async () => {
    const { host, stores } = await invoices('@computer', 'home/ops/inbox');
    await act(() => stores.transfers.getState().start({ source: { connection: 'partner', paths: ['outbox/INV-1-Globex.pdf'] }, target: { connection: '@computer', path: 'home/ops/inbox' }, move: false, conflict: 'changed' }));
    const queue = await screen.findByRole('region', { name: 'Transfers' });
    const user = userEvent.setup();
    await user.click(within(queue).getByRole('button', { name: /^Cancel 1 file/ }));
    await within(queue).findByText('Cancelled');
    expect(host.calls.some((c) => c.command === 'transfers.cancel')).toBe(true);
  });
});
