import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bandwidthLimits } from '../../src/workspace/bandwidth.js';
import { openHost, type OpenHost } from './openHost.js';

const MiB = 1024 * 1024;

/** The window's bandwidth limits, through the contract as a transport would call it. */
describe('limits.get and limits.set', () => {
  let host: OpenHost;

  beforeEach(async () => {
    host = await openHost('ferry-limits-');
    await mkdir(join(host.home, 'partner'));
    await host.call('connections.add', { name: 'partner', url: `file://${host.home}/partner`, test: false });
  });
  afterEach(() => host.close());


  it('shows no limits at first, then a connection\'s saved limit, applied at once to the running process', async () => {
    expect(await host.call('limits.get', {})).toEqual({ global: null, connections: [{ connection: 'partner', limit: null }] });
    const set = await host.call('limits.set', { scope: 'connection', connection: 'partner', limit: '1M:4M' });
    expect(set.connections).toEqual([{ connection: 'partner', limit: { text: '1M:4M', up: MiB, down: 4 * MiB, until: null } }]);
    expect(await host.call('limits.get', {})).toEqual(set);
    expect(host.seen.filter((m) => m.event === 'limits.changed').map((m) => m.payload)).toEqual([set]);
    const saved = JSON.parse(await readFile(join(host.home, 'connections.json'), 'utf8')) as { connections: Array<{ bandwidth?: string }> };
    expect(saved.connections[0]?.bandwidth).toBe('1M:4M');
    // The buckets every transfer of this process goes through follow at once.
    expect((await bandwidthLimits(host.workspace)).connection('partner').bucket('down').rate()).toBe(4 * MiB);
  });

  it('keeps Ferry\'s own limit in settings.json, a timetable as written, and removes it with null', async () => {
    const set = await host.call('limits.set', { scope: 'global', limit: '08:00,2M  18:00,off' });
    expect(set.global?.text).toBe('08:00,2M 18:00,off');
    expect(JSON.parse(await readFile(join(host.home, 'settings.json'), 'utf8'))).toEqual({ bandwidth: '08:00,2M 18:00,off' });
    const removed = await host.call('limits.set', { scope: 'global', limit: null });
    expect(removed.global).toBeNull();
    expect(JSON.parse(await readFile(join(host.home, 'settings.json'), 'utf8'))).toEqual({});
  });

  it('refuses a limit it cannot read, naming the bad value, and a connection that does not exist', async () => {
    expect(await host.core.invoke('limits.set', { scope: 'global', limit: '2 megabytes' })).toEqual({
      ok: false,
      error: { kind: 'badRequest', message: 'limits.set: "2" is not a time and a rate: write HH:MM,RATE or Day-HH:MM,RATE, e.g. "08:00,2M" or "Mon-08:00,2M" (limit)', retryable: false },
    });
    expect(await host.core.invoke('limits.set', { scope: 'connection', connection: 'nowhere', limit: '1M' })).toMatchObject({
      ok: false,
      error: { kind: 'config', message: 'No connection named "nowhere" (see "ferry connection list")' },
    });
  });

  it('a connection saved again with new settings keeps its limit; "off" removes it', async () => {
    await host.call('limits.set', { scope: 'connection', connection: 'partner', limit: '512k' });
    await host.call('connections.add', { name: 'partner', url: `file://${host.home}/partner`, test: false });
    expect((await host.call('limits.get', {})).connections[0]?.limit?.text).toBe('512k');
    const off = await host.call('limits.set', { scope: 'connection', connection: 'partner', limit: 'off' });
    expect(off.connections).toEqual([{ connection: 'partner', limit: null }]);
  });
});
