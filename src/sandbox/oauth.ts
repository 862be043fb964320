import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Principal, SandboxContext, SandboxUser } from './context.js';
import { readForm } from './http/body.js';
import { oauthError, sendEmpty, sendJson, SfHttpError } from './http/respond.js';
import type { RouteRequest, Router } from './http/router.js';
import { normalizeId, randomToken, sameId } from './ids.js';
import { identityDocument, identityUrl } from './oauth/identity.js';
import { JWT_BEARER_GRANT, verifyJwtBearer } from './oauth/jwtBearer.js';
import { safeEqual, sha256Hex, TokenStore } from './oauth/TokenStore.js';

export interface OAuthClient {
  readonly clientId: string;
  /** When set, every token request must present it. */
  readonly secret?: string;
  /** 'loopback' allows http://localhost|127.0.0.1:<any port>/<any path> */
  readonly redirectUris: 'loopback' | ReadonlyArray<string>;
  /** Verifies JWT bearer assertions; a client without one cannot use that flow. */
  readonly jwtPublicKeyPem?: string;
}

/** What the sandbox's connected apps are configured with: granted when a request names no scope. */
const APP_SCOPES = 'api refresh_token';
const CODE_LIFETIME_MS = 15 * 60 * 1000;
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

interface PendingCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly userId: string;
  readonly scope: string;
  readonly challenge: string | undefined;
  readonly expiresAt: number;
}

interface TokenResponse {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly signature: string;
  readonly scope: string;
  readonly instance_url: string;
  readonly id: string;
  readonly token_type: 'Bearer';
  readonly issued_at: string;
}

function invalidSession(): SfHttpError {
  return new SfHttpError(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }], {
    'WWW-Authenticate': 'Token',
  });
}

/** Salesforce takes `Bearer` and its older `OAuth` scheme alike. */
function tokenOf(authorization: string | undefined): string | undefined {
  const m = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m?.[1];
}

function grantedScope(requested: string | null): string {
  const scopes = [...new Set((requested ?? '').split(/\s+/).filter((s) => s !== ''))];
  return scopes.length === 0 ? APP_SCOPES : scopes.join(' ');
}

/** `full` does not imply a refresh token in Salesforce: only these two scopes ask for one. */
function wantsRefreshToken(scope: string): boolean {
  return scope.split(' ').some((s) => s === 'refresh_token' || s === 'offline_access');
}

function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'utf8').digest('base64url');
}

function isLoopback(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1') && url.hash === '';
}

function redirectAllowed(client: OAuthClient, uri: string): boolean {
  return client.redirectUris === 'loopback' ? isLoopback(uri) : client.redirectUris.includes(uri);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What the browser shows when Salesforce cannot trust the redirect URI enough to report an error to it. */
function sendErrorPage(res: ServerResponse, error: string, description: string): void {
  const html =
    '<!DOCTYPE html><html><head><title>Error</title></head><body>' +
    `<h1>OAuth Error</h1><p>error=${escapeHtml(error)}</p><p>error_description=${escapeHtml(description)}</p></body></html>`;
  res.writeHead(400, { 'Content-Type': 'text/html;charset=UTF-8', 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain;charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function redirect(res: ServerResponse, target: string, params: Readonly<Record<string, string | null>>): void {
  const url = new URL(target);
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  sendEmpty(res, 302, { Location: url.toString() });
}

/**
 * The sandbox's login host: authorization code (with PKCE), refresh token, JWT bearer and the
 * blocked-by-default password flow, revocation and the identity service, answering as Salesforce does.
 */
export class OAuthService {
  readonly #ctx: SandboxContext;
  readonly #clients: ReadonlyMap<string, OAuthClient>;
  readonly #tokens: TokenStore;
  /** Keyed by SHA-256, as the tokens are: a dump of the map holds no usable code. */
  readonly #codes = new Map<string, PendingCode>();
  /** For users without a stored User record to date their identity document. */
  readonly #startedAt = new Date();

  constructor(ctx: SandboxContext, clients: ReadonlyArray<OAuthClient>) {
    this.#ctx = ctx;
    this.#clients = new Map(clients.map((c) => [c.clientId, c]));
    this.#tokens = new TokenStore(ctx.store, ctx.settings, ctx.orgId);
  }

  register(router: Router): void {
    router.add('GET', '/services/oauth2/authorize', async (req, res) => this.#authorize(req, res));
    router.add('POST', '/services/oauth2/token', async (req, res) => this.#token(req, res));
    router.add('POST', '/services/oauth2/revoke', async (req, res) => this.#revoke(req, res));
    // Salesforce also revokes on a plain GET with the token in the query.
    router.add('GET', '/services/oauth2/revoke', async (req, res) => this.#revoke(req, res));
    router.add('GET', '/id/:orgId/:userId', async (req, res) => this.#identity(req, res));
  }

  /** Validates `Bearer <token>`; throws the real 401 INVALID_SESSION_ID otherwise. */
  authenticate(authorization: string | undefined): Principal {
    const token = tokenOf(authorization);
    const access = token === undefined ? undefined : this.#tokens.findAccess(token);
    if (access === undefined) throw invalidSession();
    return { userId: access.userId };
  }

  /** Ends every live access token, as a session timeout would; refresh tokens stay valid. */
  expireAccessTokens(): void {
    this.#tokens.expireAllAccess();
  }

  issueAccessToken(username: string): string {
    const user = this.#userByName(username);
    if (user === undefined) throw new Error(`The sandbox has no user ${username}`);
    return this.#tokens.issueAccess(user.id, undefined).token;
  }

  /** The default user can log in even when a context leaves it out of `users`. */
  #users(): ReadonlyArray<SandboxUser> {
    const { users, defaultUser } = this.#ctx;
    return users.some((u) => u.id === defaultUser.id) ? users : [defaultUser, ...users];
  }

  /** Salesforce usernames are case-insensitive. */
  #userByName(username: string): SandboxUser | undefined {
    const wanted = username.toLowerCase();
    return this.#users().find((u) => u.username.toLowerCase() === wanted);
  }

  #userById(userId: string): SandboxUser | undefined {
    return this.#users().find((u) => sameId(u.id, userId));
  }

  async #authorize(req: RouteRequest, res: ServerResponse): Promise<void> {
    const q = req.url.searchParams;
    const client = this.#clients.get(q.get('client_id') ?? '');
    if (client === undefined) {
      sendErrorPage(res, 'invalid_client_id', 'client identifier invalid');
      return;
    }
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!redirectAllowed(client, redirectUri)) {
      sendErrorPage(res, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
      return;
    }
    const state = q.get('state');
    if (q.get('response_type') !== 'code') {
      redirect(res, redirectUri, { error: 'unsupported_response_type', error_description: 'response type not supported', state });
      return;
    }
    const method = q.get('code_challenge_method');
    if (method !== null && method !== 'S256') {
      redirect(res, redirectUri, { error: 'invalid_request', error_description: 'unsupported code_challenge_method', state });
      return;
    }
    const hint = q.get('login_hint') ?? '';
    const user = hint === '' ? this.#ctx.defaultUser : this.#userByName(hint);
    if (user === undefined) {
      redirect(res, redirectUri, { error: 'access_denied', error_description: 'end-user denied authorization', state });
      return;
    }
    const now = Date.now();
    for (const [key, pending] of this.#codes) if (pending.expiresAt <= now) this.#codes.delete(key);
    const code = randomToken(32);
    const challenge = q.get('code_challenge') ?? '';
    this.#codes.set(sha256Hex(code), {
      clientId: client.clientId,
      redirectUri,
      userId: user.id,
      scope: grantedScope(q.get('scope')),
      challenge: challenge === '' ? undefined : challenge,
      expiresAt: now + CODE_LIFETIME_MS,
    });
    redirect(res, redirectUri, { code, state });
  }

  async #token(req: RouteRequest, res: ServerResponse): Promise<void> {
    const form = await readForm(req.raw);
    const grant = form.get('grant_type');
    let body: TokenResponse;
    switch (grant) {
      case 'authorization_code':
        body = this.#authorizationCodeGrant(form);
        break;
      case 'refresh_token':
        body = this.#refreshTokenGrant(form);
        break;
      case JWT_BEARER_GRANT:
        body = this.#jwtBearerGrant(form);
        break;
      case 'password':
        body = this.#passwordGrant(form);
        break;
      default:
        throw oauthError(400, 'unsupported_grant_type', 'grant type not supported');
    }
    sendJson(res, 200, body, NO_STORE);
  }

  /** The client named by `client_id`, with its secret checked when it has one. */
  #client(form: URLSearchParams): OAuthClient {
    const client = this.#clients.get(form.get('client_id') ?? '');
    if (client === undefined) throw oauthError(400, 'invalid_client_id', 'client identifier invalid');
    if (client.secret !== undefined) {
      const given = form.get('client_secret');
      if (given === null || !safeEqual(given, client.secret)) throw oauthError(400, 'invalid_client', 'invalid client credentials');
    }
    return client;
  }

  #authorizationCodeGrant(form: URLSearchParams): TokenResponse {
    const client = this.#client(form);
    const key = sha256Hex(form.get('code') ?? '');
    const pending = this.#codes.get(key);
    // A code is spent by its first redemption, successful or not.
    this.#codes.delete(key);
    const badCode = (): SfHttpError => oauthError(400, 'invalid_grant', 'invalid authorization code');
    if (pending === undefined || pending.expiresAt <= Date.now() || pending.clientId !== client.clientId) throw badCode();
    if (form.get('redirect_uri') !== pending.redirectUri) {
      throw oauthError(400, 'invalid_grant', 'redirect_uri must match configuration');
    }
    if (pending.challenge !== undefined) {
      const verifier = form.get('code_verifier') ?? '';
      if (verifier === '') throw oauthError(400, 'invalid_grant', 'invalid code verifier');
      if (!safeEqual(pkceChallenge(verifier), pending.challenge)) throw oauthError(400, 'invalid_request', 'invalid code verifier');
    }
    const user = this.#userById(pending.userId);
    if (user === undefined) throw badCode();
    const refresh = wantsRefreshToken(pending.scope) ? this.#tokens.issueRefresh(client.clientId, user.id, pending.scope) : undefined;
    return this.#respond(user, pending.scope, refresh?.hash, refresh?.token);
  }

  /** jsforce sends its `code_verifier` here too; it is simply ignored. */
  #refreshTokenGrant(form: URLSearchParams): TokenResponse {
    const client = this.#client(form);
    const record = this.#tokens.findRefresh(form.get('refresh_token') ?? '');
    const user = record === undefined || record.clientId !== client.clientId ? undefined : this.#userById(record.userId);
    if (record === undefined || user === undefined) throw oauthError(400, 'invalid_grant', 'expired access/refresh token');
    return this.#respond(user, record.scope, record.hash, undefined);
  }

  #jwtBearerGrant(form: URLSearchParams): TokenResponse {
    const { user } = verifyJwtBearer(form.get('assertion') ?? '', {
      clients: this.#clients,
      findUser: (username) => this.#userByName(username),
      audience: this.#ctx.baseUrl(),
      now: Date.now(),
    });
    return this.#respond(user, APP_SCOPES, undefined, undefined);
  }

  /**
   * Blocked unless the org allows it, as in orgs created since Summer '23. When allowed, the sandbox's
   * rule is that any non-empty password logs a known user in: it keeps no passwords.
   */
  #passwordGrant(form: URLSearchParams): TokenResponse {
    const failure = (): SfHttpError => oauthError(400, 'invalid_grant', 'authentication failure');
    if (!this.#ctx.settings.passwordFlowEnabled) throw failure();
    this.#client(form);
    const user = this.#userByName(form.get('username') ?? '');
    if (user === undefined || (form.get('password') ?? '') === '') throw failure();
    return this.#respond(user, APP_SCOPES, undefined, undefined);
  }

  #respond(user: SandboxUser, scope: string, refreshHash: string | undefined, refreshToken: string | undefined): TokenResponse {
    const base = this.#ctx.baseUrl();
    const access = this.#tokens.issueAccess(user.id, refreshHash);
    const id = identityUrl(base, this.#ctx.orgId, user.id);
    const issuedAt = String(access.issuedAt);
    return {
      access_token: access.token,
      ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
      signature: this.#tokens.sign(id, issuedAt),
      scope,
      instance_url: base,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    };
  }

  /** Salesforce answers revocation errors form-encoded, not in JSON. */
  async #revoke(req: RouteRequest, res: ServerResponse): Promise<void> {
    const fromBody = req.method === 'POST' ? (await readForm(req.raw)).get('token') : null;
    const token = fromBody ?? req.url.searchParams.get('token') ?? '';
    if (token !== '' && this.#tokens.revoke(token)) {
      sendEmpty(res, 200);
      return;
    }
    const body = new URLSearchParams({ error: 'invalid_token', error_description: 'invalid token' }).toString();
    res.writeHead(400, { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  /** The identity service answers failures with bare codes in plain text, not the REST error shape. */
  async #identity(req: RouteRequest, res: ServerResponse): Promise<void> {
    const token = tokenOf(req.raw.headers.authorization) ?? req.url.searchParams.get('oauth_token') ?? '';
    if (token === '' || this.#tokens.findAccess(token) === undefined) {
      sendText(res, 403, 'Bad_OAuth_Token');
      return;
    }
    const orgId = normalizeId(req.params['orgId'] ?? '');
    const userId = normalizeId(req.params['userId'] ?? '');
    if (orgId === undefined || userId === undefined) {
      sendText(res, 404, 'Bad_Id');
      return;
    }
    if (!sameId(orgId, this.#ctx.orgId)) {
      sendText(res, 403, 'Wrong_Org');
      return;
    }
    const user = this.#userById(userId);
    if (user === undefined) {
      sendText(res, 404, 'Bad_Id');
      return;
    }
    const stored = this.#ctx.store.get(user.id)?.['LastModifiedDate'];
    const lastModified = typeof stored === 'string' ? stored : this.#startedAt.toISOString().replace('Z', '+0000');
    sendJson(res, 200, identityDocument({ base: this.#ctx.baseUrl(), orgId: this.#ctx.orgId, user, lastModified }));
  }
}
