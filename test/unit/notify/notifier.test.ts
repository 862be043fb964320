import { describe, expect, it, vi } from 'vitest';
import type { NotificationRule } from '../../../src/notify/config.js';
import type { Notification } from '../../../src/notify/Notification.js';
import { Notifier, type NotifierDeps } from '../../../src/notify/Notifier.js';
import { quarantined } from './fixtures.js';

const SECRET = 'shared-secret-5e1b0c';

function okFetch(): { fetch: typeof fetch; urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    fetch: async (url) => {
      urls.push(url instanceof Request ? url.url : url.toString());
      return new Response(null, { status: 204 });
    },
  };
}

function notifier(overrides: Partial<NotifierDeps> = {}): Notifier {
  return new Notifier({ smtpServers: () => undefined, secret: async () => SECRET, ...overrides });
}

const failure: Notification = { ...quarantined, event: 'failure', subject: 'Run failed', facts: { reason: 'disk full' } };

describe('Notifier', () => {
  it('uses only the rules that listen to the event', async () => {
    const desktop = vi.fn();
    const { fetch, urls } = okFetch();
    const rules: NotificationRule[] = [
      { on: ['failure'], webhook: { url: 'https://a.example.com/failures' } },
      { on: ['quarantine', 'sla'], webhook: { url: 'https://a.example.com/quarantine' } },
      { on: ['success'], desktop: true },
    ];
    const n = notifier({ fetch, desktop });

    expect(await n.notify(rules, quarantined)).toEqual([{ channel: 'webhook', recipient: 'https://a.example.com/quarantine', status: 'sent' }]);
    expect(urls).toEqual(['https://a.example.com/quarantine']);
    expect(desktop).not.toHaveBeenCalled();

    expect(await n.notify(rules, { ...quarantined, event: 'returned' })).toEqual([]);
    expect(urls).toHaveLength(1);
  });

  it('tells each recipient once, even when several rules name it', async () => {
    const desktop = vi.fn();
    const { fetch, urls } = okFetch();
    const rules: NotificationRule[] = [
      { on: ['failure'], email: { to: ['ops@example.com'], server: 'missing' }, webhook: { url: 'https://a.example.com/h' }, desktop: true },
      { on: ['failure', 'sla'], email: { to: ['OPS@example.com', 'lead@example.com'], server: 'missing' }, webhook: { url: 'https://a.example.com/h' }, desktop: true },
    ];
    const outcomes = await notifier({ fetch, desktop }).notify(rules, failure);
    expect(outcomes.map((o) => `${o.channel}:${o.recipient}`)).toEqual([
      'email:ops@example.com',
      'email:lead@example.com',
      'webhook:https://a.example.com/h',
      'desktop:desktop',
    ]);
    expect(urls).toHaveLength(1);
    expect(desktop).toHaveBeenCalledTimes(1);
    expect(desktop).toHaveBeenCalledWith(failure);
  });

  it('shows a desktop notification through the platform port', async () => {
    const desktop = vi.fn(async () => undefined);
    expect(await notifier({ desktop }).notify([{ on: ['failure'], desktop: true }], failure)).toEqual([
      { channel: 'desktop', recipient: 'desktop', status: 'sent' },
    ]);
  });

  it('reports a headless run as a failed desktop delivery', async () => {
    expect(await notifier().notify([{ on: ['failure'], desktop: true }], failure)).toEqual([
      { channel: 'desktop', recipient: 'desktop', status: 'failed', error: 'no desktop session (headless run)' },
    ]);
  });

  it('times out a desktop port that never returns', async () => {
    const outcomes = await notifier({ desktop: () => new Promise<void>(() => undefined), timeoutMs: 100 }).notify(
      [{ on: ['failure'], desktop: true }],
      failure,
    );
    expect(outcomes).toEqual([{ channel: 'desktop', recipient: 'desktop', status: 'failed', error: 'timed out after 100 ms' }]);
  });

  it('never throws, even when every channel fails', async () => {
    const n = new Notifier({
      smtpServers: () => {
        throw new Error('settings unreadable');
      },
      secret: async () => {
        throw new Error('keychain locked');
      },
      desktop: () => {
        throw new Error('notification centre gone');
      },
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
      timeoutMs: 2000,
    });
    const rules: NotificationRule[] = [
      {
        on: ['failure'],
        email: { to: ['ops@example.com'] },
        webhook: { url: 'https://a.example.com/h', secretHeader: { name: 'Authorization', secret: 'token' } },
        desktop: true,
      },
      { on: ['failure'], webhook: { url: 'https://b.example.com/h' } },
    ];
    const outcomes = await n.notify(rules, failure);
    expect(outcomes).toEqual([
      { channel: 'email', recipient: 'ops@example.com', status: 'failed', error: expect.stringContaining('settings unreadable') as unknown },
      { channel: 'webhook', recipient: 'https://a.example.com/h', status: 'failed', error: expect.stringContaining('keychain locked') as unknown },
      { channel: 'webhook', recipient: 'https://b.example.com/h', status: 'failed', error: 'fetch failed' },
      { channel: 'desktop', recipient: 'desktop', status: 'failed', error: 'notification centre gone' },
    ]);
  });

  it('never throws on rules that bypassed the schema', async () => {
    const broken = [{ on: 'failure' }, null] as unknown as NotificationRule[];
    await expect(notifier().notify(broken, failure)).resolves.toEqual([]);
  });

  it('keeps the secret out of every outcome', async () => {
    const n = notifier({
      smtpServers: () => ({ host: '127.0.0.1', port: 1, from: 'f@example.com', user: 'ferry', passwordSecret: 'pw' }),
      fetch: async (_url, init) => new Response(`rejected ${JSON.stringify(init?.headers)}`, { status: 403 }),
      timeoutMs: 2000,
    });
    const outcomes = await n.notify(
      [{ on: ['failure'], email: { to: ['ops@example.com'] }, webhook: { url: 'https://a.example.com/h', secretHeader: { name: 'X-Key', secret: 'k' } } }],
      failure,
    );
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'failed']);
    expect(outcomes[1]?.error).toContain('[redacted]');
    expect(JSON.stringify(outcomes)).not.toContain(SECRET);
  });
});

describe('Notifier timeouts', () => {
  const pending = <T>(): Promise<T> => new Promise<T>(() => undefined);

  it('stops waiting for a secret store that never answers', async () => {
    // The store never settles: only the 150 ms deadline can end these deliveries, and its message says so.
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    const outcomes = await new Notifier({
      smtpServers: () => ({ host: '127.0.0.1', port: 1, from: 'f@example.com', user: 'ferry', passwordSecret: 'pw' }),
      secret: pending,
      fetch,
      timeoutMs: 150,
    }).notify(
      [{ on: ['failure'], email: { to: ['ops@example.com'] }, webhook: { url: 'https://a.example.com/h', secretHeader: { name: 'X-Key', secret: 'k' } } }],
      failure,
    );
    expect(outcomes).toEqual([
      { channel: 'email', recipient: 'ops@example.com', status: 'failed', error: 'timed out after 150 ms (SMTP server "default")' },
      { channel: 'webhook', recipient: 'https://a.example.com/h', status: 'failed', error: 'timed out after 150 ms reading the secret "k"' },
    ]);
    expect(fetch).not.toHaveBeenCalled();
  });
});
