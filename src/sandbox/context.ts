import type { OrgStore } from './OrgStore.js';
import type { Router } from './http/router.js';
import type { ValidationRules } from './validationRules.js';

/** Settings a test or the `ferry sandbox` command can change while the sandbox runs. */
export interface SandboxSettings {
  /** Rolling 24-hour API allocation (Developer Edition: 15,000). */
  dailyApiLimit: number;
  /** Calls already spent, so that a test can start near the limit. */
  apiUsed: number;
  /** File storage allocation in MB (`FileStorageMB`). */
  fileStorageMb: number;
  /** Records per query page; the real default is 2,000. */
  queryPageSize: number;
  /** How long an access token lives; 0 means until revoked. */
  accessTokenTtlMs: number;
  /** Concurrent long-running requests allowed (Developer Edition: 5; production: 25). */
  longRunningLimit: number;
  /** From how long a request counts as long-running (real: 20 s). */
  longRunningAfterMs: number;
  /** Whether the blocked-by-default username-password flow is allowed. */
  passwordFlowEnabled: boolean;
}

export const DEFAULT_SETTINGS: SandboxSettings = {
  dailyApiLimit: 15_000,
  apiUsed: 0,
  fileStorageMb: 20 * 1024,
  queryPageSize: 2000,
  accessTokenTtlMs: 2 * 60 * 60 * 1000,
  longRunningLimit: 5,
  longRunningAfterMs: 20_000,
  passwordFlowEnabled: false,
};

/** The user every token of the sandbox acts as, unless a test logs in as another. */
export interface SandboxUser {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly email: string;
}

/** Who a request acts as, once its bearer token is checked. */
export interface Principal {
  readonly userId: string;
}

/** What every route module gets: the org, the settings and the services they share. */
export interface SandboxContext {
  readonly store: OrgStore;
  readonly settings: SandboxSettings;
  readonly orgId: string;
  readonly defaultUser: SandboxUser;
  readonly users: ReadonlyArray<SandboxUser>;
  /** `http://127.0.0.1:<port>`, known once the server listens. */
  baseUrl(): string;
  /** The newest advertised API version, e.g. '64.0'. */
  readonly latestVersion: string;
  readonly apiVersions: ReadonlyArray<string>;
  /**
   * Checks the bearer token (header, or the `oauth_token` parameter where Salesforce accepts it).
   * Throws the real 401 INVALID_SESSION_ID error when it is missing, unknown or expired.
   */
  authenticate(authorization: string | undefined): Principal;
  /** Counts one call against the daily allocation; throws REQUEST_LIMIT_EXCEEDED when none is left. */
  countApiCall(): void;
  /** The value of the `Sforce-Limit-Info` header after the calls counted so far. */
  limitInfo(): string;
  readonly validationRules: ValidationRules;
}

export type RouteModule = (router: Router, ctx: SandboxContext) => void;
