import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TransferError } from '../../../src/connectors/errors.js';
import { loopbackLogin, type LoopbackLoginOptions } from '../../../src/connectors/salesforce/loopbackLogin.js';

// jsforce reads proxy settings once, when it loads: they must be gone before the imports run.
vi.hoisted(() => {
  for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[name];
});

const CLIENT_ID = 'ferry-test-client';

interface Grant {
  readonly challenge: string;
  readonly redirectUri: string;
}

interface AuthServerBehaviour {
  /** Redirect back with this OAuth error instead of a code. */
  refuse?: { error: string; description: string };
  /** Answer the token request with invalid_grant. */
  rejectToken?: boolean;
  /** Hold the token answer this long. */
  tokenDelayMs?: number;
  /** Told when a token request arrives, before it is answered. */
  onTokenRequest?: () => void;
}

/** Just enough of Salesforce's authorization server: authorize redirects at once, token checks PKCE. */
class FakeAuthServer {
  readonly behaviour: AuthServerBehaviour = {};
  readonly redeemedCodes: string[] = [];
  readonly #grants = new Map<string, Grant>();
  readonly #server = createServer((req, res) => void this.#handle(req, res));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/services/oauth2/authorize') return this.#authorize(url.searchParams, res);
    if (req.method === 'POST' && url.pathname === '/services/oauth2/token') {
      let body = '';
      for await (const chunk of req as AsyncIterable<Buffer>) body += chunk.toString('utf8');
      this.behaviour.onTokenRequest?.();
      await new Promise((resolve) => setTimeout(resolve, this.behaviour.tokenDelayMs ?? 0));
      return this.#token(new URLSearchParams(body), res);
    }
    res.writeHead(404).end();
  }

  #authorize(query: URLSearchParams, res: ServerResponse): void {
    const redirectUri = query.get('redirect_uri') ?? '';
    const challenge = query.get('code_challenge') ?? '';
    expect(query.get('response_type')).toBe('code');
    expect(query.get('client_id')).toBe(CLIENT_ID);
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const back = new URL(redirectUri);
    back.searchParams.set('state', query.get('state') ?? '');
    if (this.behaviour.refuse === undefined) {
      const code = `aPrx${randomBytes(12).toString('hex')}`;
      this.#grants.set(code, { challenge, redirectUri });
      back.searchParams.set('code', code);
    } else {
      back.searchParams.set('error', this.behaviour.refuse.error);
      back.searchParams.set('error_description', this.behaviour.refuse.description);
    }
    res.writeHead(302, { Location: back.href }).end();
  }

  #token(form: URLSearchParams, res: ServerResponse): void {
    const code = form.get('code') ?? '';
    const grant = this.#grants.get(code);
    this.#grants.delete(code);
    const verifier = form.get('code_verifier') ?? '';
    const ok =
      !this.behaviour.rejectToken &&
      form.get('grant_type') === 'authorization_code' &&
      form.get('client_id') === CLIENT_ID &&
      grant !== undefined &&
      form.get('redirect_uri') === grant.redirectUri &&
      createHash('sha256').update(verifier).digest('base64url') === grant.challenge;
    const json = (status: number, body: object): void => {
      res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8' }).end(JSON.stringify(body));
    };
    if (!ok) return json(400, { error: 'invalid_grant', error_description: 'authentication failure' });
    this.redeemedCodes.push(code);
    json(200, {
      access_token: '00Dxx0000000001!AR.fake-access-token',
      refresh_token: '5Aep861fake-refresh-token',
      instance_url: 'https://acme.my.salesforce.com',
      id: 'https://login.salesforce.com/id/00Dxx0000000001AAA/005xx0000000001AAA',
      token_type: 'Bearer',
      issued_at: String(Date.now()),
      signature: 'c2lnbmF0dXJl',
      scope: 'api refresh_token',
    });
  }
}

interface Page {
  readonly status: number;
  readonly text: string;
}

/** Plays the browser: follows the login page's redirect back to the callback and keeps what it shows. */
class FakeBrowser {
  readonly visited: string[] = [];
  readonly pages: Page[] = [];
  /** Runs before the real login page is opened, e.g. to hit the callback with a forged request. */
  before: (callbackUrl: string) => Promise<void> = async () => undefined;

  #browsing: Promise<void> = Promise.resolve();

  readonly openUrl = async (url: string): Promise<void> => {
    this.visited.push(url);
    // The page arrives after the login has settled, so tests wait for it with shownPages().
    this.#browsing = (async () => {
      await this.before(this.callbackUrl());
      this.pages.push(await this.visit(url));
    })();
    await this.#browsing;
  };

  async shownPages(): Promise<Page[]> {
    await this.#browsing;
    return this.pages;
  }

  async visit(url: string): Promise<Page> {
    const res = await fetch(url, { redirect: 'follow' });
    return { status: res.status, text: await res.text() };
  }

  callbackUrl(): string {
    const authorize = new URL(this.visited[0] ?? 'http://invalid/');
    return authorize.searchParams.get('redirect_uri') ?? '';
  }

  callbackPort(): number {
    return Number(new URL(this.callbackUrl()).port);
  }
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function failure(login: Promise<unknown>): Promise<TransferError> {
  const e = await login.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TransferError);
  return e as TransferError;
}

let auth: FakeAuthServer;
let loginUrl: string;
let browser: FakeBrowser;

beforeEach(async () => {
  auth = new FakeAuthServer();
  loginUrl = await auth.start();
  browser = new FakeBrowser();
});

afterEach(async () => {
  await auth.stop();
});

function options(extra: Partial<LoopbackLoginOptions> = {}): LoopbackLoginOptions {
  return { loginUrl, clientId: CLIENT_ID, openUrl: browser.openUrl, ...extra };
}

describe('loopbackLogin', () => {
  it('signs in with PKCE and closes the callback server', async () => {
    const result = await loopbackLogin(options());
    expect(result).toEqual({
      accessToken: '00Dxx0000000001!AR.fake-access-token',
      refreshToken: '5Aep861fake-refresh-token',
      instanceUrl: 'https://acme.my.salesforce.com',
      idUrl: 'https://login.salesforce.com/id/00Dxx0000000001AAA/005xx0000000001AAA',
    });

    const authorize = new URL(browser.visited[0] ?? '');
    expect(authorize.origin + authorize.pathname).toBe(`${loginUrl}/services/oauth2/authorize`);
    expect(authorize.searchParams.get('scope')).toBe('api refresh_token');
    expect(authorize.searchParams.get('state')?.length).toBeGreaterThanOrEqual(32);
    expect(browser.callbackUrl()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(auth.redeemedCodes).toHaveLength(1);

    const pages = await browser.shownPages();
    expect(pages).toEqual([{ status: 200, text: expect.stringContaining('You can close this window') as string }]);
    expect(pages[0]?.text).not.toContain('fake-access-token');
    expect(await isListening(browser.callbackPort())).toBe(false);
  });

  it('uses a fixed port when asked', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));

    await loopbackLogin(options({ port, scope: 'api' }));
    expect(browser.callbackUrl()).toBe(`http://127.0.0.1:${port}/callback`);
    expect(new URL(browser.visited[0] ?? '').searchParams.get('scope')).toBe('api');
    expect(await isListening(port)).toBe(false);
  });

  it('turns away callbacks without the right state and keeps waiting', async () => {
    const forged: Page[] = [];
    browser.before = async (callbackUrl) => {
      forged.push(await browser.visit(`${callbackUrl}?code=planted&state=wrong`));
      forged.push(await browser.visit(`${callbackUrl}?code=planted`));
      forged.push(await browser.visit(`${callbackUrl}?error=access_denied&error_description=forged`));
      forged.push(await browser.visit(callbackUrl.replace('/callback', '/elsewhere')));
    };
    const result = await loopbackLogin(options());
    expect(result.accessToken).toContain('fake-access-token');
    expect(forged.map((p) => p.status)).toEqual([400, 400, 400, 404]);
    expect(forged[0]?.text).toContain('does not belong to the login');
    expect(auth.redeemedCodes).not.toContain('planted');
    expect(await isListening(browser.callbackPort())).toBe(false);
  });

  it("fails with Salesforce's own words when the user denies access", async () => {
    auth.behaviour.refuse = { error: 'access_denied', description: 'end-user denied <authorization>' };
    const e = await failure(loopbackLogin(options()));
    expect(e.kind).toBe('auth');
    expect(e.message).toContain('end-user denied <authorization>');
    const [page] = await browser.shownPages();
    expect(page?.status).toBe(400);
    expect(page?.text).toContain('end-user denied &#60;authorization&#62;');
    expect(auth.redeemedCodes).toHaveLength(0);
    expect(await isListening(browser.callbackPort())).toBe(false);
  });

  it('fails when the code cannot be redeemed', async () => {
    auth.behaviour.rejectToken = true;
    const e = await failure(loopbackLogin(options()));
    expect(e.kind).toBe('auth');
    expect(e.message).toMatch(/invalid_grant: authentication failure/);
    expect(e.message).not.toMatch(/aPrx/);
    expect((await browser.shownPages())[0]?.status).toBe(400);
    expect(await isListening(browser.callbackPort())).toBe(false);
  });

  it('completes when the browser leaves while the code is being redeemed', async () => {
    auth.behaviour.tokenDelayMs = 300;
    // The browser leaves exactly while the code is being redeemed, however slow the machine is.
    const leave = new AbortController();
    auth.behaviour.onTokenRequest = () => leave.abort();
    const openUrl = async (url: string): Promise<void> => {
      browser.visited.push(url);
      await fetch(url, { signal: leave.signal }).catch(() => undefined);
    };
    const result = await loopbackLogin(options({ openUrl }));
    expect(result.refreshToken).toContain('fake-refresh-token');
    expect(await isListening(browser.callbackPort())).toBe(false);
  });

  it('gives up after the timeout', async () => {
    const e = await failure(
      loopbackLogin(options({ timeoutMs: 300, openUrl: async (url) => void browser.visited.push(url) })),
    );
    // Nobody ever signs in, so only the configured timer can end the wait: the message names it.
    expect(e.kind).toBe('auth');
    expect(e.message).toBe('No sign-in was completed within 300 ms.');
    expect(browser.visited).toHaveLength(1);
    expect(auth.redeemedCodes).toHaveLength(0);
    expect(await isListening(browser.callbackPort())).toBe(false);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const openUrl = async (url: string): Promise<void> => {
      browser.visited.push(url);
      setTimeout(() => controller.abort(), 50);
    };
    const e = await failure(loopbackLogin(options({ openUrl, signal: controller.signal })));
    expect(e.kind).toBe('cancelled');
    expect(await isListening(browser.callbackPort())).toBe(false);
  });

  it('does not start when already aborted', async () => {
    const openUrl = vi.fn(async () => undefined);
    const e = await failure(loopbackLogin(options({ openUrl, signal: AbortSignal.abort() })));
    expect(e.kind).toBe('cancelled');
    expect(openUrl).not.toHaveBeenCalled();
  });

  it('fails when the login page cannot be shown', async () => {
    const openUrl = async (url: string): Promise<void> => {
      browser.visited.push(url);
      throw new Error('no browser');
    };
    const e = await failure(loopbackLogin(options({ openUrl })));
    expect(e.kind).toBe('auth');
    expect(e.message).toContain('no browser');
    expect(await isListening(browser.callbackPort())).toBe(false);
  });

  it('refuses a port in use and a login URL in clear text', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const e = await failure(loopbackLogin(options({ port })));
      expect(e.kind).toBe('config');
      expect(e.message).toContain(String(port));
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
    expect((await failure(loopbackLogin(options({ loginUrl: 'http://login.salesforce.com' })))).kind).toBe('config');
    expect((await failure(loopbackLogin(options({ loginUrl: 'not a url' })))).kind).toBe('config');
  });
});
