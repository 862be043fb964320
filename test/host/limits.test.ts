import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ferryPaths } from '../../src/config/ferryHome.js';
import type { CoreHost } from '../../src/host/CoreHost.js';
import { createFerryHost } from '../../src/host/FerryHost.js';
import type { CommandInput, CommandName, CommandOutput } from '../../src/shared/contract/commands.js';
import type { EventMessage } from '../../src/shared/contract/events.js';
import type { Wire } from '../../src/shared/contract/wire.js';
import { bandwidthLimits } from '../../src/workspace/bandwidth.js';
import { Workspace } from '../../src/workspace/Workspace.js';

const MiB = 1024 * 1024;

/** The window's bandwidth limits, through the contract as a transport would call it. */
describe('limits.get and limits.set', () => {
  let home: string;
  let workspace: Workspace;
  let core: CoreHost;
  let seen: EventMessage[];

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-limits-home-'));
    await mkdir(join(home, 'partner'));
    workspace = new Workspace(ferryPaths({ FERRY_HOME: home }), { FERRY_HOME: home });
    core = createFerryHost({ workspace, host: 'web', version: '0.1.0' });
    seen = [];
    core.subscribe((m) => seen.push(m));
    await call('connections.add', { name: 'partner', url: `file://${home}/partner`, test: false });
  });
  afterEach(async () => {
    await core.close();
    workspace.close();
    await rm(home, { recursive: true, force: true });
  });

  const call = async <C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>> => {
    const answer = (await core.invoke(command, input)) as Wire<CommandOutput<C>>;
    if (!answer.ok) throw new Error(`${command} failed: ${answer.error.kind}: ${answer.error.message}`);
    return answer.value;
  };

  it('shows no limits at first, then a connection\'s saved limit, applied at once to the running process', async () => {
    expect(await call('limits.get', {})).toEqual({ global: null, connections: [{ connection: 'partner', limit: null }] });
    const set = await call('limits.set', { scope: 'connection', connection: 'partner', limit: '1M:4M' });
    expect(set.connections).toEqual([{ connection: 'partner', limit: { text: '1M:4M', up: MiB, down: 4 * MiB, until: null } }]);
    expect(await call('limits.get', {})).toEqual(set);
    expect(seen.filter((m) => m.event === 'limits.changed').map((m) => m.payload)).toEqual([set]);
    const saved = JSON.parse(await readFile(join(home, 'connections.json'), 'utf8')) as { connections: Array<{ bandwidth?: string }> };
    expect(saved.connections[0]?.bandwidth).toBe('1M:4M');
    // The buckets every transfer of this process goes through follow at once.
    expect((await bandwidthLimits(workspace)).connection('partner').bucket('down').rate()).toBe(4 * MiB);
  });

  it('keeps Ferry\'s own limit in settings.json, a timetable as written, and removes it with null', async () => {
    const set = await call('limits.set', { scope: 'global', limit: '08:00,2M  18:00,off' });
    expect(set.global?.text).toBe('08:00,2M 18:00,off');
    expect(JSON.parse(await readFile(join(home, 'settings.json'), 'utf8'))).toEqual({ bandwidth: '08:00,2M 18:00,off' });
    const removed = await call('limits.set', { scope: 'global', limit: null });
    expect(removed.global).toBeNull();
    expect(JSON.parse(await readFile(join(home, 'settings.json'), 'utf8'))).toEqual({});
  });

  it('refuses a limit it cannot read, naming the bad value, and a connection that does not exist', async () => {
    expect(await core.invoke('limits.set', { scope: 'global', limit: '2 megabytes' })).toEqual({
      ok: false,
      error: { kind: 'badRequest', message: 'limits.set: "2" is not a time and a rate: write HH:MM,RATE or Day-HH:MM,RATE, e.g. "08:00,2M" or "Mon-08:00,2M" (limit)', retryable: false },
    });
    expect(await core.invoke('limits.set', { scope: 'connection', connection: 'nowhere', limit: '1M' })).toMatchObject({
      ok: false,
      error: { kind: 'config', message: 'No connection named "nowhere" (see "ferry connection list")' },
    });
  });

  it('a connection saved again with new settings keeps its limit; "off" removes it', async () => {
    await call('limits.set', { scope: 'connection', connection: 'partner', limit: '512k' });
    await call('connections.add', { name: 'partner', url: `file://${home}/partner`, test: false });
    expect((await call('limits.get', {})).connections[0]?.limit?.text).toBe('512k');
    const off = await call('limits.set', { scope: 'connection', connection: 'partner', limit: 'off' });
    expect(off.connections).toEqual([{ connection: 'partner', limit: null }]);
  });
});
