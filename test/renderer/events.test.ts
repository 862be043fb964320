// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryHost } from '../../renderer/host/memoryHost.js';
import { createAppStores } from '../../renderer/stores/appStores.js';
import { bindHostEvents } from '../../renderer/stores/bindHostEvents.js';
import type { TransferSnapshot } from '../../src/shared/contract/models.js';

afterEach(() => {
  vi.restoreAllMocks();
});

function snapshot(id: string, bytesDone: number, state: TransferSnapshot['state'] = 'running'): TransferSnapshot {
  const source = { connection: 'partner', paths: ['a.csv'] };
  const target = { connection: '@computer', path: 'in' };
  return { id, label: id, move: false, source, target, state, filesTotal: 1, filesDone: 0, filesSkipped: 0, filesFailed: 0, filesCancelled: 0, bytesTotal: 100, bytesDone, rateBps: 10, etaSeconds: 5, startedAt: 0, current: [] };
}

/** Frames run only when the test says, so "once per frame" is checked without any clock. */
function frames(): { run(): void } {
  const queued: FrameRequestCallback[] = [];
  vi.spyOn(window, 'requestAnimationFrame').mockImplementation((callback) => queued.push(callback));
  return {
    run() {
      for (const callback of queued.splice(0)) callback(0);
    },
  };
}

describe('events from the host', () => {
  it('apply progress once per animation frame, the latest snapshot of each batch', () => {
    const frame = frames();
    const host = memoryHost();
    const stores = createAppStores(host);
    bindHostEvents(stores);
    let renders = 0;
    stores.transfers.subscribe(() => renders++);

    for (const bytes of [10, 20, 30]) host.emit('transfer.progress', snapshot('a', bytes));
    host.emit('transfer.progress', snapshot('b', 70));
    expect(stores.transfers.getState().batches.size).toBe(0);

    frame.run();
    expect(renders).toBe(1);
    expect(stores.transfers.getState().batches.get('a')?.bytesDone).toBe(30);
    expect(stores.transfers.getState().batches.get('b')?.bytesDone).toBe(70);
  });

  it('apply a state change at once, and drop older progress it supersedes', () => {
    const frame = frames();
    const host = memoryHost();
    const stores = createAppStores(host);
    bindHostEvents(stores);

    host.emit('transfer.progress', snapshot('a', 90));
    host.emit('transfer.state', { id: 'a', state: 'done', snapshot: snapshot('a', 100, 'done') });
    expect(stores.transfers.getState().batches.get('a')?.state).toBe('done');
    frame.run();
    expect(stores.transfers.getState().batches.get('a')).toMatchObject({ state: 'done', bytesDone: 100 });
  });

  it('keep batches in the order they first came, whatever changes later', () => {
    frames();
    const host = memoryHost();
    const stores = createAppStores(host);
    bindHostEvents(stores);
    for (const id of ['a', 'b', 'c']) host.emit('transfer.state', { id, state: 'running', snapshot: snapshot(id, 0) });
    host.emit('transfer.state', { id: 'a', state: 'failed', snapshot: snapshot('a', 0, 'failed') });
    host.emit('transfer.state', { id: 'b', state: 'done', snapshot: snapshot('b', 100, 'done') });
    expect([...stores.transfers.getState().batches.keys()]).toEqual(['a', 'b', 'c']);
  });

  it('read the queue and both panes again when events flow after a break', async () => {
    const host = memoryHost([{ name: 'partner', kind: 'sftp', location: 'sftp://p/', sdrive: false }]);
    host.addFolder('partner', 'inbox');
    const stores = createAppStores(host, { left: 'partner' });
    stores.panes.getState().open('left', 'inbox');
    await vi.waitFor(() => expect(stores.panes.getState().left.total).toBe(0));

    // While no events reached the window a transfer was queued and a file arrived.
    await host.invoke('transfers.start', { source: { connection: 'partner', paths: ['inbox'] }, target: { connection: '@computer', path: '' }, move: false, conflict: 'changed' });
    host.addFile('partner', 'inbox/late.csv', 5);
    bindHostEvents(stores);
    expect(stores.transfers.getState().batches.size).toBe(0);
    host.reconnect();
    await vi.waitFor(() => expect(stores.transfers.getState().batches.size).toBe(1));
    await vi.waitFor(() => expect(stores.panes.getState().left.total).toBe(1));
  });

  it('refresh a pane showing a folder that changed, and no other', async () => {
    const host = memoryHost([{ name: 'partner', kind: 'sftp', location: 'sftp://p/', sdrive: false }]);
    host.addFolder('partner', 'inbox');
    host.addFolder('partner', 'outbox');
    const stores = createAppStores(host, { left: 'partner', right: 'partner' });
    bindHostEvents(stores);
    stores.panes.getState().open('left', 'inbox');
    stores.panes.getState().open('right', 'outbox');
    await vi.waitFor(() => expect(stores.panes.getState().left.total).toBe(0));

    host.addFile('partner', 'inbox/new.csv', 5);
    const before = host.calls.length;
    host.emit('files.changed', { connection: 'partner', path: 'inbox' });
    await vi.waitFor(() => expect(stores.panes.getState().left.total).toBe(1));
    const asked = host.calls.slice(before).map((c) => (c.input as { path: string }).path);
    expect(asked).toEqual(['inbox']);
  });
});
