import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NotificationRule } from '../../../src/notify/config.js';
import { Notifier, type NotifierDeps } from '../../../src/notify/Notifier.js';
import { retryAfterMs } from '../../../src/notify/webhook.js';
import { quarantined, startHttp, type HttpFixture } from './fixtures.js';

const SECRET = 'tok-3f9a7c1e-very-secret';
const secrets: Record<string, string> = { 'incident-token': SECRET };

let fixtures: HttpFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.map((f) => f.close()));
  fixtures = [];
});

async function endpoint(...args: Parameters<typeof startHttp>): Promise<HttpFixture> {
  const f = await startHttp(...args);
  fixtures.push(f);
  return f;
}

function notifier(overrides: Partial<NotifierDeps> = {}): Notifier {
  return new Notifier({
    smtpServers: () => undefined,
    secret: async (name) => secrets[name],
    ...overrides,
  });
}

function rule(url: string, withSecret = false): NotificationRule {
  return {
    on: ['quarantine'],
    webhook: { url, ...(withSecret ? { secretHeader: { name: 'X-Api-Key', secret: 'incident-token' } } : {}) },
  };
}

function reply(res: ServerResponse, code: number, headers: Record<string, string> = {}, body = ''): void {
  res.writeHead(code, headers);
  res.end(body);
}

function status(code: number, headers: Record<string, string> = {}, body = ''): (res: ServerResponse) => void {
  return (res) => reply(res, code, headers, body);
}

describe('webhook delivery', () => {
  it('POSTs the notification as JSON with the secret header', async () => {
    const hook = await endpoint(status(204));
    const before = Date.now();
    const outcomes = await notifier().notify([rule(`${hook.url}/hooks/ferry?code=abc123`, true)], quarantined);

    expect(outcomes).toEqual([{ channel: 'webhook', recipient: `${hook.url}/hooks/ferry`, status: 'sent' }]);
    expect(hook.requests).toHaveLength(1);
    const req = hook.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/hooks/ferry?code=abc123');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['user-agent']).toBe('Ferry');
    expect(req.headers['x-api-key']).toBe(SECRET);
    const payload = JSON.parse(req.body) as Record<string, unknown>;
    expect(Object.keys(payload).sort()).toEqual(['event', 'facts', 'job', 'runId', 'sentAt', 'subject', 'text']);
    expect(payload).toMatchObject({
      event: 'quarantine',
      job: 'orders-inbound',
      runId: 42,
      subject: quarantined.subject,
      text: quarantined.text,
      facts: quarantined.facts,
    });
    const sentAt = Date.parse(String(payload['sentAt']));
    expect(sentAt).toBeGreaterThanOrEqual(before - 1000);
    expect(sentAt).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('sends runId null when the notification has none', async () => {
    const hook = await endpoint(status(200));
    const { runId: _omitted, ...withoutRun } = quarantined;
    await notifier().notify([rule(hook.url)], withoutRun);
    expect(JSON.parse(hook.requests[0]!.body)).toMatchObject({ runId: null });
  });

  it('retries a 503 and succeeds, with the same delivery id', async () => {
    const hook = await endpoint((res, i) => reply(res, i === 0 ? 503 : 200));
    const outcomes = await notifier().notify([rule(hook.url)], quarantined);
    expect(outcomes[0]?.status).toBe('sent');
    expect(hook.requests).toHaveLength(2);
    const ids = hook.requests.map((r) => r.headers['x-ferry-delivery']);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(hook.requests[1]!.body).toBe(hook.requests[0]!.body);
  });

  it('gives up after three attempts and reports the last status', async () => {
    const hook = await endpoint(status(502, {}, 'upstream down'));
    const outcomes = await notifier().notify([rule(hook.url)], quarantined);
    expect(hook.requests).toHaveLength(3);
    expect(outcomes).toEqual([expect.objectContaining({ channel: 'webhook', status: 'failed' })]);
    expect(outcomes[0]?.error).toMatch(/HTTP 502.*upstream down/);
  });

  it('does not retry a 400 and reports what the receiver said', async () => {
    const hook = await endpoint(status(400, { 'content-type': 'text/plain' }, 'invalid_payload'));
    const outcomes = await notifier().notify([rule(hook.url)], quarantined);
    expect(hook.requests).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/^HTTP 400 Bad Request: invalid_payload/) as unknown });
  });

  it('honours Retry-After on a 429', async () => {
    const hook = await endpoint((res, i) => reply(res, i === 0 ? 429 : 200, i === 0 ? { 'retry-after': '1' } : {}));
    const outcomes = await notifier().notify([rule(hook.url)], quarantined);
    expect(outcomes[0]?.status).toBe('sent');
    expect(hook.requests).toHaveLength(2);
    expect(hook.requests[1]!.at - hook.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('does not wait for a Retry-After longer than it can afford', async () => {
    const hook = await endpoint(status(503, { 'retry-after': '120' }));
    const outcomes = await notifier().notify([rule(hook.url)], quarantined);
    expect(hook.requests).toHaveLength(1);
    // Given up on the answer itself: a pause cut short by the deadline would say "no time left to retry".
    expect(outcomes[0]?.error).toBe('HTTP 503 Service Unavailable (asked to retry after 120 s)');
  });

  it('fails with a timeout when the receiver never answers', async () => {
    const hook = await endpoint(() => undefined);
    const attempts = vi.fn(fetch);
    const outcomes = await notifier({ timeoutMs: 300, fetch: attempts }).notify([rule(hook.url)], quarantined);
    expect(outcomes).toEqual([{ channel: 'webhook', recipient: `${hook.url}/`, status: 'failed', error: 'timed out after 300 ms' }]);
    // The deadline ended the one attempt, and nothing was tried after it.
    expect(attempts).toHaveBeenCalledTimes(1);
  });

  it('retries network errors', async () => {
    let calls = 0;
    const failing: typeof fetch = async () => {
      calls++;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    };
    const outcomes = await notifier({ fetch: failing }).notify([rule('http://127.0.0.1:9/hook')], quarantined);
    expect(calls).toBe(3);
    expect(outcomes[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/fetch failed.*ECONNREFUSED/) as unknown });
  });

  it('does not follow a redirect, so the secret header stays with the configured endpoint', async () => {
    const elsewhere = await endpoint(status(200));
    const hook = await endpoint(status(307, { location: `${elsewhere.url}/steal` }));
    const outcomes = await notifier().notify([rule(hook.url, true)], quarantined);
    expect(elsewhere.requests).toHaveLength(0);
    expect(outcomes[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/^HTTP 307/) as unknown });
  });

  it('fails without a request when the secret is missing', async () => {
    const hook = await endpoint(status(200));
    const outcomes = await notifier({ secret: async () => undefined }).notify([rule(hook.url, true)], quarantined);
    expect(hook.requests).toHaveLength(0);
    expect(outcomes[0]).toMatchObject({ status: 'failed', error: 'the secret "incident-token" is not in the secret store' });
  });

  describe('never reveals the secret header value', () => {
    it('when the receiver echoes it back', async () => {
      const hook = await endpoint((res, _i, req) => reply(res, 401, {}, `bad key ${String(req.headers['x-api-key'])}`));
      const outcomes = await notifier().notify([rule(hook.url, true)], quarantined);
      expect(hook.requests[0]?.headers['x-api-key']).toBe(SECRET);
      expect(outcomes[0]?.error).toContain('HTTP 401');
      expect(JSON.stringify(outcomes)).not.toContain(SECRET);
    });

    it('when the HTTP stack quotes it in an error', async () => {
      const leaky: typeof fetch = async (url, init) => {
        const where = url instanceof Request ? url.url : url.toString();
        throw new TypeError(`Headers: ${JSON.stringify(init?.headers)} rejected`, { cause: new Error(`cannot reach ${decodeURIComponent(where)}`) });
      };
      const outcomes = await notifier({ fetch: leaky }).notify([rule('http://127.0.0.1:9/hook?code=query-key-77&tenant=acme%20corp', true)], quarantined);
      const text = JSON.stringify(outcomes);
      expect(outcomes[0]?.error).toContain('[redacted]');
      expect(text).not.toContain(SECRET);
      expect(text).toContain('127.0.0.1:9/hook');
      expect(text).not.toContain('query-key-77');
      expect(text).not.toContain('acme corp');
    });

    it('when the value cannot be sent as a header', async () => {
      const broken = `${SECRET}\r\nX-Injected: 1`;
      const hook = await endpoint(status(200));
      const outcomes = await notifier({ secret: async () => broken }).notify([rule(hook.url, true)], quarantined);
      expect(hook.requests).toHaveLength(0);
      expect(outcomes[0]?.status).toBe('failed');
      expect(JSON.stringify(outcomes)).not.toContain(SECRET);
    });
  });
});

describe('retryAfterMs', () => {
  it('reads delay-seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
    expect(retryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });
});
