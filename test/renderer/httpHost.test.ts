import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpHost } from '../../renderer/host/httpHost.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

const BASE = new URL('http://127.0.0.1:4567/');

function answering(body: unknown): ReturnType<typeof vi.fn> {
  const fetch = vi.fn(async () => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } }));
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

describe('the browser host', () => {
  it('posts a command as JSON with the X-Ferry header and reads the answer against the contract', async () => {
    const fetch = answering({ ok: true, value: { version: '1.2.3', host: 'web', dataFolder: '/data' } });
    const answer = await httpHost(BASE).invoke('app.info', {});
    expect(answer).toEqual({ ok: true, value: { version: '1.2.3', host: 'web', dataFolder: '/data' } });
    const [url, init] = fetch.mock.calls[0] as [URL, RequestInit];
    expect(String(url)).toBe('http://127.0.0.1:4567/api/app.info');
    expect(init).toMatchObject({ method: 'POST', body: '{}', headers: { 'X-Ferry': '1', 'Content-Type': 'application/json' } });
  });

  it('turns an answer outside the contract into an error value, never a throw', async () => {
    answering({ ok: true, value: { version: 3 } });
    const answer = await httpHost(BASE).invoke('app.info', {});
    expect(answer.ok).toBe(false);
    expect(answer.ok ? '' : answer.error.kind).toBe('internal');
  });

  it('says the host is gone when nothing answers', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('fetch failed'))));
    const answer = await httpHost(BASE).invoke('connections.list', {});
    expect(answer.ok ? undefined : answer.error).toMatchObject({ kind: 'network', retryable: true });
  });

  it('uploads a dropped file as the raw body, naming the folder and the file in the query', async () => {
    const fetch = answering({ ok: true, value: { path: 'inbox/a b.csv' } });
    const file = new File(['x,y\n'], 'a b.csv');
    const answer = await httpHost(BASE).upload(file, { connection: 'partner', path: 'inbox' });
    expect(answer).toEqual({ ok: true, value: { path: 'inbox/a b.csv' } });
    const [url, init] = fetch.mock.calls[0] as [URL, RequestInit];
    expect(url.pathname).toBe('/api/upload');
    expect(Object.fromEntries(url.searchParams)).toEqual({ connection: 'partner', path: 'inbox', name: 'a b.csv' });
    expect(init.body).toBe(file);
    expect(init.headers).toMatchObject({ 'X-Ferry': '1', 'Content-Type': 'application/octet-stream' });
  });

  it('listens on /api/events and comes back after the socket closes, waiting longer each time', () => {
    vi.useFakeTimers();
    const sockets: FakeSocket[] = [];
    class FakeSocket extends EventTarget {
      constructor(readonly url: URL) {
        super();
        sockets.push(this);
      }
      close(): void {
        this.dispatchEvent(new Event('close'));
      }
    }
    vi.stubGlobal('WebSocket', FakeSocket);
    const seen: string[] = [];
    const host = httpHost(BASE);
    let reconnects = 0;
    host.onReconnect(() => reconnects++);
    const stop = host.subscribe('files.changed', (p) => seen.push(p.path));
    expect(String(sockets[0]?.url)).toBe('ws://127.0.0.1:4567/api/events');

    const message = (socket: FakeSocket | undefined, data: unknown): void => {
      socket?.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(data) }));
    };
    sockets[0]?.dispatchEvent(new Event('open'));
    expect(reconnects).toBe(0);
    message(sockets[0], { event: 'files.changed', payload: { connection: 'partner', path: 'inbox' } });
    message(sockets[0], { event: 'files.changed', payload: { connection: 'partner' } });
    expect(seen).toEqual(['inbox']);

    sockets[0]?.dispatchEvent(new Event('close'));
    vi.advanceTimersByTime(499);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    sockets[1]?.dispatchEvent(new Event('close'));
    vi.advanceTimersByTime(999);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    sockets[2]?.dispatchEvent(new Event('open'));
    expect(reconnects).toBe(1);
    message(sockets[2], { event: 'files.changed', payload: { connection: 'partner', path: 'outbox' } });
    expect(seen).toEqual(['inbox', 'outbox']);

    stop();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(3);
    vi.useRealTimers();
  });
});
