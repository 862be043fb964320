import { describe, expect, it, vi } from 'vitest';
import { electronHost } from '../../renderer/host/electronHost.js';
import type { FerryBridge } from '../../src/shared/contract/bridge.js';
import { ok } from '../../src/shared/contract/wire.js';

const invoke = vi.fn(async () => ok({ connections: [] }));
const subscribe = vi.fn(() => () => undefined);

function bridge(path: string): FerryBridge<File> {
  return { invoke: invoke as FerryBridge<File>['invoke'], subscribe, pathForFile: () => path };
}

describe('the Electron host', () => {
  it('names a dropped file by its path on this computer, as a @computer path', () => {
    expect(electronHost(bridge('/home/ana/Desktop/a b.csv')).localPathOf(new File([], 'a b.csv'))).toBe('home/ana/Desktop/a b.csv');
    expect(electronHost(bridge('C:\\Users\\ana\\a.csv')).localPathOf(new File([], 'a.csv'))).toBe('C:/Users/ana/a.csv');
  });

  it('has no path for a file that is not on disk, and does not pretend to upload it', async () => {
    const host = electronHost(bridge(''));
    expect(host.localPathOf(new File([], 'x'))).toBeUndefined();
    const answer = await host.upload(new File([], 'x'), { connection: 'partner', path: '' });
    expect(answer.ok ? undefined : answer.error.kind).toBe('unsupported');
  });

  it('passes commands and subscriptions to the preload', async () => {
    const host = electronHost(bridge(''));
    expect(await host.invoke('connections.list', {})).toEqual({ ok: true, value: { connections: [] } });
    expect(invoke).toHaveBeenCalledWith('connections.list', {});
    const listener = (): void => undefined;
    host.subscribe('files.changed', listener);
    expect(subscribe).toHaveBeenCalledWith('files.changed', listener);
  });
});
