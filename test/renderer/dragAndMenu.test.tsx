// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
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

/** What a browser's DataTransfer carries between dragstart and drop, for happy-dom, which has none. */
function dataTransfer(files: File[] = [], dropEffect = 'none') {
  const data = new Map<string, string>();
  return {
    files,
    get types() {
      return [...data.keys()];
    },
    setData: (type: string, value: string) => void data.set(type, value),
    getData: (type: string) => data.get(type) ?? '',
    effectAllowed: 'all',
    dropEffect,
  };
}

function planned(host: MemoryHost): TransferRequestInput[] {
  return host.calls.filter((c) => c.command === 'transfers.preview').map((c) => c.input as TransferRequestInput);
}

async function twoFolders() {
  const host = partnerHost();
  host.addFile('partner', 'outbox/a.csv', 10);
  host.addFile('partner', 'outbox/b.csv', 20);
  host.addFile('@computer', 'home/ops/readme.txt', 5);
  host.addFolder('@computer', 'home/ops/inbox');
  const app = await renderApp(host, { left: 'partner' });
  act(() => {
    app.stores.panes.getState().open('left', 'outbox');
    app.stores.panes.getState().open('right', 'home/ops');
  });
  await within(grid('Left')).findByRole('row', { name: /a\.csv/ });
  await within(grid('Right')).findByRole('row', { name: /inbox/ });
  return app;
}

describe('dragging', () => {
  it('drops rows from one pane onto a folder row of the other, which plans a copy into that folder', async () => {
    const { host } = await twoFolders();
    const transfer = dataTransfer();
    fireEvent.dragStart(within(grid('Left')).getByRole('row', { name: /b\.csv/ }), { dataTransfer: transfer });
    const inbox = within(grid('Right')).getByRole('row', { name: /inbox/ });
    fireEvent.dragOver(inbox, { dataTransfer: transfer });
    fireEvent.drop(inbox, { dataTransfer: transfer });
    await screen.findByRole('dialog', { name: 'Copy 1 item to This computer: /home/ops/inbox' });
    expect(planned(host)).toEqual([{ source: { connection: 'partner', paths: ['outbox/b.csv'] }, target: { connection: '@computer', path: 'home/ops/inbox' }, move: false, conflict: 'ask' }]);
  });

  it('drops onto the pane itself into the folder it shows, and moves when the drag is a move', async () => {
    const { host } = await twoFolders();
    const transfer = dataTransfer([], 'move');
    fireEvent.dragStart(within(grid('Left')).getByRole('row', { name: /a\.csv/ }), { dataTransfer: transfer });
    fireEvent.drop(grid('Right'), { dataTransfer: transfer });
    await screen.findByRole('dialog', { name: 'Move 1 item to This computer: /home/ops' });
    expect(planned(host)[0]).toMatchObject({ move: true, target: { path: 'home/ops' } });
  });

  it('uploads files dropped from the desktop in a browser, which cannot name their path', async () => {
    await twoFolders();
    fireEvent.drop(grid('Left'), { dataTransfer: dataTransfer([new File(['hello'], 'from-desktop.txt')]) });
    expect(await within(grid('Left')).findByRole('row', { name: /from-desktop\.txt/ })).toBeTruthy();
    expect(screen.getByText('Uploaded 1 file')).toBeTruthy();
  });

  it('copies files dropped from the desktop in Electron from this computer, through the same preview', async () => {
    const { host } = await twoFolders();
    host.localPathOf = (file) => `home/ana/Desktop/${file.name}`;
    fireEvent.drop(grid('Left'), { dataTransfer: dataTransfer([new File(['x'], 'report.pdf')]) });
    await screen.findByRole('dialog', { name: 'Copy 1 item to partner: /outbox' });
    expect(planned(host)[0]).toMatchObject({ source: { connection: '@computer', paths: ['home/ana/Desktop/report.pdf'] }, target: { connection: 'partner', path: 'outbox' } });
  });
});

describe('the context menu and Tab', () => {
  it('offers the same commands as the keys, from the mouse and from Shift+F10', async () => {
    const { host } = await twoFolders();
    const user = userEvent.setup();
    await user.pointer({ keys: '[MouseRight]', target: within(grid('Left')).getByRole('row', { name: /b\.csv/ }) });
    const menu = await screen.findByRole('menu', { name: 'File actions' });
    await user.click(within(menu).getByRole('menuitem', { name: /Copy to This computer/ }));
    await screen.findByRole('dialog', { name: 'Copy 1 item to This computer: /home/ops' });
    expect(planned(host)[0]?.source.paths).toEqual(['outbox/b.csv']);
    await user.keyboard('{Escape}');

    grid('Left').focus();
    await user.keyboard('{Shift>}{F10}{/Shift}');
    const again = await screen.findByRole('menu', { name: 'File actions' });
    await user.click(within(again).getByRole('menuitem', { name: /Rename/ }));
    expect(await screen.findByRole('dialog', { name: 'Rename b.csv' })).toBeTruthy();
  });

  it('moves between the panes with Tab', async () => {
    const { stores } = await twoFolders();
    const user = userEvent.setup();
    grid('Left').focus();
    await user.keyboard('{Tab}');
    expect(document.activeElement).toBe(grid('Right'));
    expect(stores.panes.getState().active).toBe('right');
    await user.keyboard('{Tab}');
    expect(document.activeElement).toBe(grid('Left'));
  });
});
