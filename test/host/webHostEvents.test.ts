import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { EventMessage } from '../../src/shared/contract/events.js';
import type { FakeCore} from './webHostFakes.js';
import { type Started, openSignedIn, type SignedInWorld } from './webHostFakes.js';

const CHANGED: EventMessage = { event: 'files.changed', payload: { connection: 'partner', path: 'outbox' } };

/** Opens the event socket as a page of the window would, with any header replaced by `headers`. */
function connect(started: Started, headers: Readonly<Record<string, string>> = {}): WebSocket {
  return new WebSocket(`ws://127.0.0.1:${started.port}/api/events`, {
    headers: { Cookie: started.cookie, Origin: `http://127.0.0.1:${started.port}`, ...headers },
  });
}

function opened(socket: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
}

/** The status of the HTTP answer that refused the upgrade. */
function refusedWith(socket: WebSocket): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    socket.once('open', () => reject(new Error('the upgrade was accepted')));
    socket.once('error', () => undefined);
  });
}

function closed(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

describe('ferry serve: the event socket', () => {
  let world: SignedInWorld;
  let core: FakeCore;
  let started: Started;

  beforeEach(async () => {
    world = await openSignedIn();
    ({ core, started } = world);
  });
  afterEach(() => world.close());

  it("sends each of the core's events as JSON, in order, and unsubscribes when the page closes it", async () => {
    const socket = connect(started);
    const messages: unknown[] = [];
    socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8'))));
    await opened(socket);
    expect(core.listeners).toBe(1);
    const second: EventMessage = { event: 'files.changed', payload: { connection: '@computer', path: 'home/ops' } };
    core.emit(CHANGED);
    core.emit(second);
    await vi.waitFor(() => expect(messages).toEqual([CHANGED, second]));
    socket.close();
    await closed(socket);
    await vi.waitFor(() => expect(core.listeners).toBe(0));
  });

  it('refuses the upgrade without the session cookie', async () => {
    expect(await refusedWith(connect(started, { Cookie: 'ferry-session=forged' }))).toBe(401);
    expect(core.listeners).toBe(0);
  });

  it('refuses the upgrade from another origin', async () => {
    expect(await refusedWith(connect(started, { Origin: 'http://evil.example' }))).toBe(403);
    expect(core.listeners).toBe(0);
  });

  it('refuses the upgrade under another Host name', async () => {
    expect(await refusedWith(connect(started, { Host: `evil.example:${started.port}` }))).toBe(421);
    expect(core.listeners).toBe(0);
  });

  it('refuses an upgrade anywhere but /api/events', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${started.port}/api/app.info`, { headers: { Cookie: started.cookie } });
    expect(await refusedWith(socket)).toBe(404);
    expect(core.listeners).toBe(0);
  });

  it('closes open sockets with "going away" when the host stops', async () => {
    const socket = connect(started);
    await opened(socket);
    const code = closed(socket);
    await started.host.close();
    expect(await code).toBe(1001);
    expect(core.listeners).toBe(0);
  });
});
