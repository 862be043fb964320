// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { AppFrame } from '../../renderer/features/AppFrame.js';
import { StoresProvider } from '../../renderer/features/StoresContext.js';
import type { MemoryHost } from '../../renderer/host/memoryHost.js';
import { createAppStores, type AppStores } from '../../renderer/stores/appStores.js';
import { bindHostEvents } from '../../renderer/stores/bindHostEvents.js';
import { progressVisible, type Clock } from '../../renderer/stores/transfers.js';
import type { TransferRequestInput, TransferSnapshot } from '../../src/shared/contract/models.js';
import { giveElementsASize, partnerHost } from './renderApp.js';

afterEach(cleanup);

/** A clock the test moves by hand: `now` is what it says, and what is due runs when the test says so. */
function handClock(): Clock & { set(now: number): void } {
  let now = 0;
  const due: Array<{ at: number; run: () => void }> = [];
  return {
    now: () => now,
    after(ms, run) {
      due.push({ at: now + ms, run });
    },
    set(to) {
      now = to;
      for (const job of due.filter((d) => d.at <= now)) {
        due.splice(due.indexOf(job), 1);
        job.run();
      }
    },
  };
}

const REQUEST: TransferRequestInput = {
  source: { connection: 'partner', paths: ['outbox/INV-1-Globex.pdf', 'outbox/INV-2-Acme.pdf', 'outbox/INV-3-Initech.pdf'] },
  target: { connection: '@computer', path: 'home/ops/inbox' },
  move: false,
  conflict: 'changed',
};
const LABEL = '3 files from partner to @computer:home/ops/inbox';

function invoices(): MemoryHost {
  const host = partnerHost();
  host.addFile('partner', 'outbox/INV-1-Globex.pdf', 4000);
  host.addFile('partner', 'outbox/INV-2-Acme.pdf', 6000);
  host.addFile('partner', 'outbox/INV-3-Initech.pdf', 2000);
  host.addFolder('@computer', 'home/ops/inbox');
  return host;
}

/** A window on `host`; a second call on the same host is a second window. */
async function openWindow(host: MemoryHost, clock: Clock = handClock()): Promise<AppStores> {
  giveElementsASize();
  const stores = createAppStores(host, { left: 'partner', right: '@computer' }, clock);
  bindHostEvents(stores);
  await stores.connections.getState().load();
  render(
    <StoresProvider stores={stores}>
      <AppFrame />
    </StoresProvider>,
  );
  return stores;
}

async function started(stores: AppStores): Promise<string> {
  const answer = await act(() => stores.transfers.getState().start(REQUEST));
  return answer.ok ? answer.value.id : '';
}

function dock(): HTMLElement {
  return screen.getByRole('region', { name: 'Transfers' });
}

/** Each file row as its name and its state in words. */
function rows(list: HTMLElement): string[][] {
  return within(list).getAllByRole('listitem').map((row) => [row.children[0]?.textContent ?? '', row.children[1]?.textContent ?? '']);
}

describe('the queue’s controls', () => {
  it('pauses new starts from the keyboard, shows it, and a second window sees it too', async () => {
    const host = invoices();
    const first = await openWindow(host);
    await started(first);
    const user = userEvent.setup();
    within(await screen.findByRole('region', { name: 'Transfers' })).getByRole('button', { name: 'Pause new transfers' }).focus();
    await user.keyboard('{Enter}');
    expect(host.calls.filter((c) => c.command === 'transfers.pause').map((c) => c.input)).toEqual([{ paused: true }]);
    expect(within(dock()).getByRole('status').textContent).toBe('Paused: files on their way finish, no new file starts');
    cleanup();

    const second = await openWindow(host);
    await act(() => second.transfers.getState().load());
    const resume = within(dock()).getByRole('button', { name: 'Resume transfers' });
    await user.click(resume);
    await waitFor(() => expect(within(dock()).queryByRole('status')).toBeNull());
    expect(first.transfers.getState().paused).toBe(false);
  });

  it('cancels one file of a running batch by its name while the others go on', async () => {
    const host = invoices();
    const stores = await openWindow(host);
    const id = await started(stores);
    act(() => host.advance(id, 0.1));
    const user = userEvent.setup();
    await user.click(within(dock()).getByRole('button', { name: `Files of ${LABEL}` }));
    const cancel = await within(dock()).findByRole('button', { name: 'Cancel INV-2-Acme.pdf' });
    cancel.focus();
    await user.keyboard('{Enter}');
    expect(host.calls.filter((c) => c.command === 'transfers.cancelFile').map((c) => c.input)).toEqual([{ id, source: 'outbox/INV-2-Acme.pdf' }]);
    const files = within(dock()).getByRole('list', { name: `Files of ${LABEL}` });
    await waitFor(() => expect(rows(files)).toEqual([['INV-1-Globex.pdf', 'Running'], ['INV-2-Acme.pdf', 'Cancelled'], ['INV-3-Initech.pdf', 'Queued']]));
    act(() => host.complete(id));
    await waitFor(() => expect(rows(files)).toEqual([['INV-1-Globex.pdf', 'Done'], ['INV-2-Acme.pdf', 'Cancelled'], ['INV-3-Initech.pdf', 'Done']]));
    expect(within(dock()).getByText('2 of 3 files done · 1 cancelled')).toBeTruthy();
  });

  it('says why a file failed, retries it alone or all failed files of the batch, and the rows show the new outcome', async () => {
    const host = invoices();
    const stores = await openWindow(host);
    const id = await started(stores);
    act(() => {
      host.failFile(id, 0, 'the folder refused the write (permission denied)');
      host.failFile(id, 2, 'the server closed the connection');
      host.complete(id);
    });
    const user = userEvent.setup();
    await user.click(within(dock()).getByRole('button', { name: `Files of ${LABEL}` }));
    const files = await within(dock()).findByRole('list', { name: `Files of ${LABEL}` });
    await within(files).findByText('Failed: the folder refused the write (permission denied)');
    expect(within(files).getByText('Failed: the server closed the connection')).toBeTruthy();

    await user.click(within(files).getByRole('button', { name: 'Retry INV-3-Initech.pdf' }));
    expect(host.calls.filter((c) => c.command === 'transfers.retry').map((c) => c.input)).toEqual([{ id, source: 'outbox/INV-3-Initech.pdf' }]);
    await waitFor(() => expect(rows(files)[2]).toEqual(['INV-3-Initech.pdf', 'Queued']));
    act(() => host.complete(id));
    await waitFor(() => expect(rows(files)[2]).toEqual(['INV-3-Initech.pdf', 'Done']));
    expect(rows(files)[0]).toEqual(['INV-1-Globex.pdf', 'Failed: the folder refused the write (permission denied)']);

    const retryAll = within(dock()).getByRole('button', { name: `Retry failed files of ${LABEL}` });
    retryAll.focus();
    await user.keyboard('{Enter}');
    expect(host.calls.filter((c) => c.command === 'transfers.retry').at(-1)?.input).toEqual({ id });
    act(() => host.complete(id));
    await waitFor(() => expect(rows(files)).toEqual([['INV-1-Globex.pdf', 'Done'], ['INV-2-Acme.pdf', 'Done'], ['INV-3-Initech.pdf', 'Done']]));
    expect(within(dock()).queryByRole('button', { name: /^Retry/ })).toBeNull();
  });

  it('keeps every row where it was while batches finish in another order, and clears finished ones in every window', async () => {
    const host = invoices();
    const stores = await openWindow(host);
    const first = await started(stores);
    const second = await started(stores);
    const labels = (): string[] => within(dock()).getAllByRole('button', { name: /^Files of/ }).map((b) => b.getAttribute('aria-label') ?? '');
    const before = labels();
    act(() => host.complete(second));
    await within(dock()).findByText('Done');
    expect(labels()).toEqual(before);
    await act(() => stores.transfers.getState().clearFinished());
    expect(stores.transfers.getState().batches.has(second)).toBe(false);
    expect(stores.transfers.getState().batches.has(first)).toBe(true);
  });

  it('opens the folder a batch lands in, in a pane, from its row', async () => {
    const host = invoices();
    const stores = await openWindow(host);
    await started(stores);
    const user = userEvent.setup();
    await user.click(within(dock()).getByRole('button', { name: `Show where ${LABEL} lands` }));
    await waitFor(() => expect(stores.panes.getState().right.path).toBe('home/ops/inbox'));
    expect(stores.panes.getState().right.connection).toBe('@computer');
  });
});

describe('the 150 ms rule', () => {
  const running = (state: TransferSnapshot['state']): TransferSnapshot => ({
    id: 't1',
    label: LABEL,
    move: false,
    source: REQUEST.source,
    target: REQUEST.target,
    state,
    filesTotal: 3,
    filesDone: 0,
    filesSkipped: 0,
    filesFailed: 0,
    filesCancelled: 0,
    bytesTotal: 12_000,
    bytesDone: 0,
    rateBps: 0,
    etaSeconds: null,
    startedAt: 0,
    current: [],
  });

  it('shows a bar only for a batch under way that was seen running 150 ms ago or more', () => {
    expect(progressVisible(running('running'), 1000, 1149)).toBe(false);
    expect(progressVisible(running('running'), 1000, 1150)).toBe(true);
    expect(progressVisible(running('paused'), 1000, 2000)).toBe(true);
    expect(progressVisible(running('done'), 1000, 9000)).toBe(false);
    expect(progressVisible(running('queued'), undefined, 9000)).toBe(false);
  });

  it('never flashes a bar for a batch done within 150 ms, and shows one for a batch still going after', async () => {
    const host = invoices();
    const clock = handClock();
    const stores = await openWindow(host, clock);
    const quick = await started(stores);
    act(() => host.advance(quick, 0.5));
    expect(within(dock()).queryByRole('progressbar')).toBeNull();
    act(() => clock.set(100));
    act(() => host.complete(quick));
    act(() => clock.set(400));
    expect(within(dock()).queryByRole('progressbar')).toBeNull();

    const slow = await started(stores);
    act(() => host.advance(slow, 0.2));
    expect(within(dock()).queryByRole('progressbar')).toBeNull();
    act(() => clock.set(550));
    const bar = within(dock()).getByRole('progressbar', { name: `${LABEL} (2) progress` });
    expect(bar.getAttribute('aria-valuenow')).toBe('20');
  });
});
