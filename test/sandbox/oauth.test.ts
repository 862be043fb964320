import { createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection, OAuth2 } from '@jsforce/jsforce-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type SandboxContext, type SandboxUser } from '../../src/sandbox/context.js';
import { apiError, sendError, sendJson, SfHttpError } from '../../src/sandbox/http/respond.js';
import { Router } from '../../src/sandbox/http/router.js';
import { toId18 } from '../../src/sandbox/ids.js';
import { type OAuthClient, OAuthService } from '../../src/sandbox/oauth.js';
import { OrgStore } from '../../src/sandbox/OrgStore.js';
import { buildSchema } from '../../src/sandbox/schema.js';
import { ValidationRules } from '../../src/sandbox/validationRules.js';

// jsforce reads the proxy variables when it loads; vi.hoisted runs before the imports above.
vi.hoisted(() => {
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete process.env[name];
});

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ORG_ID = toId18('00D5g000004SbXy');
const OPS: SandboxUser = { id: toId18('0055g00000AbCdE'), username: 'ops@ferry.example', displayName: 'Olivia Ops', email: 'ops@ferry.example' };
const INTEGRATION: SandboxUser = {
  id: toId18('0055g00000FgHiJ'),
  username: 'integration@ferry.example',
  displayName: 'Integration User',
  email: 'integration@ferry.example',
};
const REDIRECT = 'http://localhost:53682/callback';
const WEB_REDIRECT = 'https://app.ferry.example/oauth/callback';

const jwtKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const strangerKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });

const CLIENTS: ReadonlyArray<OAuthClient> = [
  { clientId: 'FerryDesktop', redirectUris: 'loopback' },
  { clientId: 'FerryWeb', secret: 'web-s3cret', redirectUris: [WEB_REDIRECT] },
  { clientId: 'FerryHeadless', redirectUris: [], jwtPublicKeyPem: jwtKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
];

interface TestSandbox {
  readonly base: string;
  readonly ctx: SandboxContext;
  readonly service: OAuthService;
  close(): Promise<void>;
}

/** A real HTTP server with only the OAuth routes and one authenticated REST-like route. */
async function startTestSandbox(store: OrgStore): Promise<TestSandbox> {
  let base = '';
  const ctx: SandboxContext = {
    store,
    settings: { ...DEFAULT_SETTINGS },
    orgId: ORG_ID,
    defaultUser: OPS,
    users: [OPS, INTEGRATION],
    baseUrl: () => base,
    latestVersion: '64.0',
    apiVersions: ['64.0'],
    // `oauth` is created right below; requests reach this only once the server listens.
    authenticate: (authorization) => oauth.authenticate(authorization),
    countApiCall: () => undefined,
    limitInfo: () => 'api-usage=0/15000',
    validationRules: new ValidationRules(),
  };
  const oauth = new OAuthService(ctx, CLIENTS);
  const router = new Router();
  oauth.register(router);
  router.add('GET', '/services/data/v64.0/whoami', async (req, res) => {
    sendJson(res, 200, ctx.authenticate(req.raw.headers.authorization));
  });

  const dispatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', base);
    try {
      const match = router.match(method, url.pathname);
      if (match === undefined || match === 'method') throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
      await match.handler({ method, url, params: match.params, raw: req, principal: undefined }, res);
    } catch (e) {
      sendError(res, e instanceof SfHttpError ? e : apiError(500, 'UNKNOWN_EXCEPTION', String(e)));
    }
  };
  const server = createServer((req, res) => {
    void dispatch(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    ctx,
    service: oauth,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Follows the authorize step by hand, as a browser would, and returns the redirect's parameters. */
async function authorize(url: string): Promise<URLSearchParams> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = res.headers.get('location');
  if (location === null) throw new Error('no Location header');
  return new URL(location).searchParams;
}

async function codeFor(oauth2: OAuth2, params: Record<string, string> = {}): Promise<string> {
  const back = await authorize(oauth2.getAuthorizationUrl({ scope: 'api refresh_token', state: 'st4te', ...params }));
  expect(back.get('state')).toBe('st4te');
  const code = back.get('code');
  if (code === null) throw new Error(`no code: ${back.toString()}`);
  return code;
}

/** The error jsforce throws for an OAuth failure: `name` is `error`, `message` is `error_description`. */
async function oauthFailure(promise: Promise<unknown>): Promise<{ readonly name: string; readonly message: string }> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof Error) return { name: e.name, message: e.message };
    throw e;
  }
  throw new Error('expected the OAuth call to fail');
}

function authFailure(fn: () => unknown): SfHttpError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SfHttpError) return e;
    throw e;
  }
  throw new Error('expected authenticate to fail');
}

function jwt(claims: Record<string, unknown>, key: KeyObject = jwtKeys.privateKey): string {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), key).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

let sandbox: TestSandbox;
let base: string;
let store: OrgStore;

beforeAll(async () => {
  store = await OrgStore.open(buildSchema({ sdrive: false }), await mkdtemp(join(tmpdir(), 'ferry-oauth-')), true);
  sandbox = await startTestSandbox(store);
  base = sandbox.base;
});

afterAll(async () => {
  await sandbox.close();
  await store.close();
});

function desktop(redirectUri = REDIRECT): OAuth2 {
  return new OAuth2({ clientId: 'FerryDesktop', redirectUri, loginUrl: base, useVerifier: true });
}

describe('authorization code flow with PKCE', () => {
  it('exchanges the code for Salesforce-shaped tokens', async () => {
    const oauth2 = desktop();
    const url = new URL(oauth2.getAuthorizationUrl({ scope: 'api refresh_token', state: 'st4te' }));
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    const res = await oauth2.requestToken(await codeFor(oauth2));

    expect(res.access_token.startsWith(`${ORG_ID.slice(0, 15)}!`)).toBe(true);
    expect(res.refresh_token).toMatch(/^5Aep/);
    expect(res).toMatchObject({ scope: 'api refresh_token', instance_url: base, id: `${base}/id/${ORG_ID}/${OPS.id}`, token_type: 'Bearer' });
    expect(res.issued_at).toMatch(/^\d{13}$/);
    expect(res).not.toHaveProperty('expires_in');
    const secret = (store.extra['oauth'] as { signingSecret: string }).signingSecret;
    expect(res.signature).toBe(createHmac('sha256', secret).update(res.id + res.issued_at).digest('base64'));
    expect(sandbox.service.authenticate(`Bearer ${res.access_token}`)).toEqual({ userId: OPS.id });
  });

  it('logs in the user named by login_hint', async () => {
    const oauth2 = desktop();
    const res = await oauth2.requestToken(await codeFor(oauth2, { login_hint: INTEGRATION.username }));
    expect(res.id).toBe(`${base}/id/${ORG_ID}/${INTEGRATION.id}`);
  });

  it('issues no refresh token unless the scope asks for one', async () => {
    const oauth2 = desktop();
    const res = await oauth2.requestToken(await codeFor(oauth2, { scope: 'api full' }));
    expect(res.refresh_token).toBeUndefined();
    expect(res.scope).toBe('api full');
  });

  it('refuses a wrong verifier with invalid_request', async () => {
    const oauth2 = desktop();
    const code = await codeFor(oauth2);
    const impostor = desktop();
    expect(await oauthFailure(impostor.requestToken(code))).toEqual({ name: 'invalid_request', message: 'invalid code verifier' });
  });

  it('refuses a missing verifier with invalid_grant', async () => {
    const oauth2 = desktop();
    const code = await codeFor(oauth2);
    const noVerifier = new OAuth2({ clientId: 'FerryDesktop', redirectUri: REDIRECT, loginUrl: base });
    expect((await oauthFailure(noVerifier.requestToken(code))).name).toBe('invalid_grant');
  });

  it('accepts a code only once', async () => {
    const oauth2 = desktop();
    const code = await codeFor(oauth2);
    await oauth2.requestToken(code);
    expect(await oauthFailure(oauth2.requestToken(code))).toEqual({ name: 'invalid_grant', message: 'invalid authorization code' });
    expect(await oauthFailure(oauth2.requestToken('made-up-code'))).toEqual({ name: 'invalid_grant', message: 'invalid authorization code' });
  });

  it('requires the token request to repeat the redirect_uri', async () => {
    const oauth2 = desktop('http://127.0.0.1:40001/callback');
    const code = await codeFor(oauth2);
    const elsewhere = desktop('http://127.0.0.1:40002/callback');
    elsewhere.codeVerifier = oauth2.codeVerifier;
    expect((await oauthFailure(elsewhere.requestToken(code))).name).toBe('invalid_grant');
  });

  it('shows an error page instead of redirecting to an unregistered URI or for an unknown client', async () => {
    const web = new OAuth2({ clientId: 'FerryWeb', redirectUri: 'https://evil.example/callback', loginUrl: base });
    for (const url of [
      web.getAuthorizationUrl({ state: 'x' }),
      desktop('https://localhost:53682/callback').getAuthorizationUrl({ state: 'x' }),
      new OAuth2({ clientId: 'Nobody', redirectUri: REDIRECT, loginUrl: base }).getAuthorizationUrl({ state: 'x' }),
    ]) {
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    }
  });

  it('redirects errors it can report to a registered URI', async () => {
    const url = new URL(desktop().getAuthorizationUrl({ state: 'st4te' }));
    url.searchParams.set('response_type', 'token');
    const back = await authorize(url.toString());
    expect(back.get('error')).toBe('unsupported_response_type');
    expect(back.get('state')).toBe('st4te');
    expect(back.get('code')).toBeNull();
  });

  it('requires the secret of a client that has one', async () => {
    const web = new OAuth2({ clientId: 'FerryWeb', clientSecret: 'web-s3cret', redirectUri: WEB_REDIRECT, loginUrl: base });
    const res = await web.requestToken(await codeFor(web));
    expect(res.access_token).toBeTruthy();
    const wrong = new OAuth2({ clientId: 'FerryWeb', clientSecret: 'guess', redirectUri: WEB_REDIRECT, loginUrl: base });
    expect(await oauthFailure(wrong.requestToken(await codeFor(wrong)))).toEqual({ name: 'invalid_client', message: 'invalid client credentials' });
  });
});

describe('refresh tokens', () => {
  it('refreshes after the access token expired, without a new refresh token', async () => {
    const oauth2 = desktop();
    const first = await oauth2.requestToken(await codeFor(oauth2));
    sandbox.service.expireAccessTokens();
    expect(authFailure(() => sandbox.service.authenticate(`Bearer ${first.access_token}`)).status).toBe(401);

    const refreshed = await oauth2.refreshToken(first.refresh_token ?? '');
    expect(refreshed.refresh_token).toBeUndefined();
    expect(refreshed).toMatchObject({ id: first.id, instance_url: base, token_type: 'Bearer', scope: 'api refresh_token' });
    expect(refreshed.access_token).not.toBe(first.access_token);
    expect(sandbox.service.authenticate(`Bearer ${refreshed.access_token}`)).toEqual({ userId: OPS.id });
  });

  it('lets jsforce refresh and replay a request that met an expired session', async () => {
    const oauth2 = desktop();
    const tokens = await oauth2.requestToken(await codeFor(oauth2));
    const conn = new Connection({
      oauth2,
      instanceUrl: tokens.instance_url,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      version: '64.0',
    });
    const refreshes: string[] = [];
    conn.on('refresh', (accessToken: string) => refreshes.push(accessToken));
    sandbox.service.expireAccessTokens();
    expect(await conn.request('/services/data/v64.0/whoami')).toEqual({ userId: OPS.id });
    expect(refreshes).toEqual([conn.accessToken]);
  });

  it('keeps five per user and app: the sixth revokes the oldest', async () => {
    const oauth2 = desktop();
    const issued: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await oauth2.requestToken(await codeFor(oauth2, { login_hint: INTEGRATION.username }));
      issued.push(res.refresh_token ?? '');
    }
    expect(await oauthFailure(oauth2.refreshToken(issued[0] ?? ''))).toEqual({ name: 'invalid_grant', message: 'expired access/refresh token' });
    for (const rt of issued.slice(1)) expect((await oauth2.refreshToken(rt)).access_token).toBeTruthy();
  });

  it('refuses a refresh token of another client or an unknown one', async () => {
    const oauth2 = desktop();
    const res = await oauth2.requestToken(await codeFor(oauth2));
    const web = new OAuth2({ clientId: 'FerryWeb', clientSecret: 'web-s3cret', loginUrl: base });
    expect((await oauthFailure(web.refreshToken(res.refresh_token ?? ''))).name).toBe('invalid_grant');
    expect((await oauthFailure(oauth2.refreshToken('5Aep861unknown'))).name).toBe('invalid_grant');
  });
});

describe('revocation', () => {
  it('revokes an access token', async () => {
    const oauth2 = desktop();
    const res = await oauth2.requestToken(await codeFor(oauth2));
    await oauth2.revokeToken(res.access_token);
    expect(authFailure(() => sandbox.service.authenticate(`Bearer ${res.access_token}`)).status).toBe(401);
    expect((await oauth2.refreshToken(res.refresh_token ?? '')).access_token).toBeTruthy();
  });

  it('revokes a refresh token and the access tokens issued from it', async () => {
    const oauth2 = desktop();
    const res = await oauth2.requestToken(await codeFor(oauth2));
    const refreshed = await oauth2.refreshToken(res.refresh_token ?? '');
    await oauth2.revokeToken(res.refresh_token ?? '');
    for (const token of [res.access_token, refreshed.access_token]) {
      expect(authFailure(() => sandbox.service.authenticate(`Bearer ${token}`)).status).toBe(401);
    }
    expect((await oauthFailure(oauth2.refreshToken(res.refresh_token ?? ''))).name).toBe('invalid_grant');
  });

  it('answers an unknown token with invalid_token, form-encoded as Salesforce does', async () => {
    const failure = await oauthFailure(desktop().revokeToken('not-a-token'));
    expect(failure.name).toBe('invalid_token');
  });

  it('takes the token from the query too', async () => {
    const token = sandbox.service.issueAccessToken(OPS.username);
    const res = await fetch(`${base}/services/oauth2/revoke?token=${encodeURIComponent(token)}`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(authFailure(() => sandbox.service.authenticate(`Bearer ${token}`)).status).toBe(401);
  });
});

describe('JWT bearer flow', () => {
  const login = (assertion: string): Promise<unknown> => new OAuth2({ loginUrl: base }).requestToken({ grant_type: JWT_GRANT, assertion });
  const claims = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    iss: 'FerryHeadless',
    sub: INTEGRATION.username,
    aud: base,
    exp: Math.floor(Date.now() / 1000) + 180,
    ...overrides,
  });

  it('issues an access token but no refresh token', async () => {
    const res = await new OAuth2({ loginUrl: base }).requestToken({ grant_type: JWT_GRANT, assertion: jwt(claims()) });
    expect(res.refresh_token).toBeUndefined();
    expect(res.id).toBe(`${base}/id/${ORG_ID}/${INTEGRATION.id}`);
    expect(sandbox.service.authenticate(`Bearer ${res.access_token}`)).toEqual({ userId: INTEGRATION.id });
  });

  it('accepts the login URL with a trailing slash as audience', async () => {
    await expect(login(jwt(claims({ aud: `${base}/` })))).resolves.toHaveProperty('access_token');
  });

  it('refuses a bad signature, audience, expiry, user or issuer', async () => {
    expect(await oauthFailure(login(jwt(claims(), strangerKeys.privateKey)))).toEqual({ name: 'invalid_grant', message: 'invalid assertion' });
    expect(await oauthFailure(login(jwt(claims({ aud: 'https://login.salesforce.com' }))))).toEqual({
      name: 'invalid_grant',
      message: 'audience is invalid',
    });
    expect(await oauthFailure(login(jwt(claims({ exp: Math.floor(Date.now() / 1000) - 1 }))))).toEqual({
      name: 'invalid_grant',
      message: 'expired authorization code',
    });
    expect(await oauthFailure(login(jwt(claims({ sub: 'nobody@ferry.example' }))))).toEqual({
      name: 'invalid_grant',
      message: "user hasn't approved this consumer",
    });
    expect((await oauthFailure(login(jwt(claims({ iss: 'FerryDesktop' }))))).name).toBe('invalid_grant');
    expect((await oauthFailure(login(jwt(claims({ iss: 'Unknown' }))))).name).toBe('invalid_client_id');
    expect((await oauthFailure(login('not.a-jwt'))).name).toBe('invalid_grant');
  });
});

describe('other grants', () => {
  it('blocks the username-password flow unless the org allows it', async () => {
    const web = new OAuth2({ clientId: 'FerryWeb', clientSecret: 'web-s3cret', loginUrl: base });
    expect(await oauthFailure(web.authenticate(OPS.username, 'any password'))).toEqual({ name: 'invalid_grant', message: 'authentication failure' });
    sandbox.ctx.settings.passwordFlowEnabled = true;
    try {
      const res = await web.authenticate(OPS.username, 'any password');
      expect(res.refresh_token).toBeUndefined();
      expect(res.id).toBe(`${base}/id/${ORG_ID}/${OPS.id}`);
      expect((await oauthFailure(web.authenticate('nobody@ferry.example', 'pw'))).name).toBe('invalid_grant');
    } finally {
      sandbox.ctx.settings.passwordFlowEnabled = false;
    }
  });

  it('refuses grant types it does not support', async () => {
    const failure = await oauthFailure(new OAuth2({ clientId: 'FerryDesktop', loginUrl: base }).requestToken({ grant_type: 'client_credentials' }));
    expect(failure).toEqual({ name: 'unsupported_grant_type', message: 'grant type not supported' });
  });
});

describe('identity service', () => {
  it('describes the user to a bearer of a valid token', async () => {
    const oauth2 = desktop();
    const tokens = await oauth2.requestToken(await codeFor(oauth2));
    const conn = new Connection({ instanceUrl: base, accessToken: tokens.access_token, version: '64.0' });
    const doc = await conn.request<Record<string, unknown>>(tokens.id);
    expect(doc).toMatchObject({
      id: tokens.id,
      asserted_user: true,
      user_id: OPS.id,
      organization_id: ORG_ID,
      username: OPS.username,
      display_name: OPS.displayName,
      email: OPS.email,
      active: true,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: 0,
      is_app_installed: true,
    });
    expect(doc['urls']).toMatchObject({ rest: `${base}/services/data/v{version}/`, custom_domain: base });
  });

  it('takes the token as the oauth_token parameter', async () => {
    const token = sandbox.service.issueAccessToken(INTEGRATION.username);
    const res = await fetch(`${base}/id/${ORG_ID}/${INTEGRATION.id}?oauth_token=${encodeURIComponent(token)}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { username: string }).username).toBe(INTEGRATION.username);
  });

  it('answers a bad token with 403 Bad_OAuth_Token and another org with Wrong_Org', async () => {
    const bad = await fetch(`${base}/id/${ORG_ID}/${OPS.id}`, { headers: { Authorization: 'Bearer nope' } });
    expect(bad.status).toBe(403);
    expect(await bad.text()).toBe('Bad_OAuth_Token');
    const token = sandbox.service.issueAccessToken(OPS.username);
    const wrongOrg = await fetch(`${base}/id/${toId18('00D5g000009ZzZz')}/${OPS.id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(wrongOrg.status).toBe(403);
    expect(await wrongOrg.text()).toBe('Wrong_Org');
  });
});

describe('authenticate', () => {
  it('throws the real 401 INVALID_SESSION_ID for a missing or unknown token', () => {
    for (const header of [undefined, 'Bearer unknown', 'Basic abc']) {
      const e = authFailure(() => sandbox.service.authenticate(header));
      expect(e.status).toBe(401);
      expect(e.body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
      expect(e.headers).toEqual({ 'WWW-Authenticate': 'Token' });
    }
  });

  it('ends access tokens after expireAccessTokens()', () => {
    const token = sandbox.service.issueAccessToken(OPS.username);
    expect(sandbox.service.authenticate(`Bearer ${token}`)).toEqual({ userId: OPS.id });
    sandbox.service.expireAccessTokens();
    expect(authFailure(() => sandbox.service.authenticate(`Bearer ${token}`)).status).toBe(401);
  });

  it('reads the access token lifetime at check time', async () => {
    const token = sandbox.service.issueAccessToken(OPS.username);
    sandbox.ctx.settings.accessTokenTtlMs = 30;
    try {
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(authFailure(() => sandbox.service.authenticate(`Bearer ${token}`)).status).toBe(401);
    } finally {
      sandbox.ctx.settings.accessTokenTtlMs = DEFAULT_SETTINGS.accessTokenTtlMs;
    }
    expect(authFailure(() => sandbox.service.authenticate(`Bearer ${token}`)).status).toBe(401);
  });
});

describe('persistence', () => {
  it('honours refresh tokens after a restart and never stores them in clear', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-oauth-persist-'));
    try {
      const firstStore = await OrgStore.open(buildSchema({ sdrive: false }), dir, false);
      const first = await startTestSandbox(firstStore);
      const oauth2 = new OAuth2({ clientId: 'FerryDesktop', redirectUri: REDIRECT, loginUrl: first.base, useVerifier: true });
      const tokens = await oauth2.requestToken(await codeFor(oauth2));
      await first.close();
      await firstStore.close();
      const saved = await readFile(join(dir, 'org.json'), 'utf8');
      expect(saved).not.toContain(tokens.refresh_token ?? '');

      const secondStore = await OrgStore.open(buildSchema({ sdrive: false }), dir, false);
      const second = await startTestSandbox(secondStore);
      try {
        const refreshed = await new OAuth2({ clientId: 'FerryDesktop', loginUrl: second.base }).refreshToken(tokens.refresh_token ?? '');
        expect(second.service.authenticate(`Bearer ${refreshed.access_token}`)).toEqual({ userId: OPS.id });
        expect(authFailure(() => second.service.authenticate(`Bearer ${tokens.access_token}`)).status).toBe(401);
      } finally {
        await second.close();
        await secondStore.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
