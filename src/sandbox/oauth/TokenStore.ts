import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SandboxSettings } from '../context.js';
import type { OrgStore } from '../OrgStore.js';
import { randomToken } from '../ids.js';

/** Salesforce allows a user five live refresh tokens per connected app; a sixth revokes the oldest. */
export const MAX_REFRESH_TOKENS_PER_APP = 5;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Hashing first gives `timingSafeEqual` the equal-length buffers it needs, whatever the inputs. */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a, 'utf8').digest(), createHash('sha256').update(b, 'utf8').digest());
}

export interface RefreshRecord {
  /** SHA-256 of the token: the token itself is never stored. */
  readonly hash: string;
  readonly clientId: string;
  readonly userId: string;
  readonly scope: string;
  readonly createdAt: number;
}

interface OAuthState {
  /** Key of the HMAC `signature` in token responses. */
  readonly signingSecret: string;
  /** Oldest first: the order decides which token the per-app cap revokes. */
  refreshTokens: RefreshRecord[];
}

interface AccessRecord {
  readonly userId: string;
  readonly issuedAt: number;
  /** The refresh token this one came from: revoking that revokes this. */
  readonly refreshHash: string | undefined;
}

export interface IssuedAccess {
  readonly token: string;
  readonly issuedAt: number;
}

const EXTRA_KEY = 'oauth';

function isRefreshRecord(value: unknown): value is RefreshRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r['hash'] === 'string' &&
    typeof r['clientId'] === 'string' &&
    typeof r['userId'] === 'string' &&
    typeof r['scope'] === 'string' &&
    typeof r['createdAt'] === 'number'
  );
}

function isOAuthState(value: unknown): value is OAuthState {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  return typeof s['signingSecret'] === 'string' && Array.isArray(s['refreshTokens']) && s['refreshTokens'].every(isRefreshRecord);
}

/**
 * The sandbox's tokens. Refresh tokens and the signing secret are kept in the org's `extra` bag so a
 * restarted sandbox on the same data folder still honours them; access tokens live in memory only,
 * as a client simply refreshes after a restart.
 */
export class TokenStore {
  readonly #store: OrgStore;
  readonly #settings: SandboxSettings;
  readonly #orgId15: string;
  readonly #state: OAuthState;
  readonly #access = new Map<string, AccessRecord>();

  constructor(store: OrgStore, settings: SandboxSettings, orgId: string) {
    this.#store = store;
    this.#settings = settings;
    this.#orgId15 = orgId.slice(0, 15);
    const saved = store.extra[EXTRA_KEY];
    if (isOAuthState(saved)) {
      this.#state = saved;
    } else {
      this.#state = { signingSecret: randomBytes(32).toString('base64'), refreshTokens: [] };
      store.extra[EXTRA_KEY] = this.#state;
      store.touch();
    }
  }

  /** `base64(HMAC-SHA256(id + issued_at))`, which lets a client check the identity URL was not swapped. */
  sign(identityUrl: string, issuedAt: string): string {
    return createHmac('sha256', this.#state.signingSecret).update(identityUrl + issuedAt).digest('base64');
  }

  issueAccess(userId: string, refreshHash: string | undefined): IssuedAccess {
    this.#pruneExpired();
    const token = `${this.#orgId15}!${randomToken(48)}`;
    const issuedAt = Date.now();
    this.#access.set(sha256Hex(token), { userId, issuedAt, refreshHash });
    return { token, issuedAt };
  }

  /** The live access token's owner; the TTL is read now so that a test may change it mid-run. */
  findAccess(token: string): AccessRecord | undefined {
    const hash = sha256Hex(token);
    const record = this.#access.get(hash);
    if (record === undefined) return undefined;
    if (this.#isExpired(record, Date.now())) {
      // Forgotten at once, so that a longer TTL set later cannot bring it back.
      this.#access.delete(hash);
      return undefined;
    }
    return record;
  }

  expireAllAccess(): void {
    this.#access.clear();
  }

  /** Issues a refresh token, revoking the user's oldest for this client beyond the cap. */
  issueRefresh(clientId: string, userId: string, scope: string): { readonly token: string; readonly hash: string } {
    const held = this.#state.refreshTokens.filter((r) => r.clientId === clientId && r.userId === userId);
    for (const old of held.slice(0, Math.max(0, held.length - MAX_REFRESH_TOKENS_PER_APP + 1))) this.#dropRefresh(old.hash);
    const token = `5Aep861${randomToken(64)}`;
    const hash = sha256Hex(token);
    this.#state.refreshTokens.push({ hash, clientId, userId, scope, createdAt: Date.now() });
    this.#store.touch();
    return { token, hash };
  }

  findRefresh(token: string): RefreshRecord | undefined {
    const hash = sha256Hex(token);
    return this.#state.refreshTokens.find((r) => r.hash === hash);
  }

  /** Revokes an access or a refresh token (and, for the latter, the access tokens issued from it). */
  revoke(token: string): boolean {
    const hash = sha256Hex(token);
    if (this.#state.refreshTokens.some((r) => r.hash === hash)) {
      this.#dropRefresh(hash);
      return true;
    }
    return this.findAccess(token) !== undefined && this.#access.delete(hash);
  }

  #dropRefresh(hash: string): void {
    this.#state.refreshTokens = this.#state.refreshTokens.filter((r) => r.hash !== hash);
    for (const [key, record] of this.#access) if (record.refreshHash === hash) this.#access.delete(key);
    this.#store.touch();
  }

  #isExpired(record: AccessRecord, now: number): boolean {
    const ttl = this.#settings.accessTokenTtlMs;
    return ttl > 0 && now - record.issuedAt >= ttl;
  }

  #pruneExpired(): void {
    const now = Date.now();
    for (const [key, record] of this.#access) if (this.#isExpired(record, now)) this.#access.delete(key);
  }
}
