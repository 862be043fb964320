import { Connection, type TokenResponse } from '@jsforce/jsforce-node';
import { TransferError } from '../errors.js';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { ApiBudget } from './ApiBudget.js';
import { buildJwtAssertion } from './jwtAssertion.js';
import { errorEntryOf, mapSalesforceError } from './mapSalesforceError.js';
import { sendRaw } from './rawHttp.js';

/** How Ferry signs in: a refresh token from the browser login, or a JWT signed with a certificate's key. */
export type SalesforceAuth =
  | { readonly kind: 'oauth'; readonly clientId: string; readonly loginUrl: string; readonly refreshToken: string }
  | { readonly kind: 'jwt'; readonly clientId: string; readonly loginUrl: string; readonly username: string; readonly privateKeyPem: string };

export interface SessionOptions {
  readonly auth: SalesforceAuth;
  /** Set explicitly: jsforce's default (50.0) is years old. */
  readonly apiVersion: string;
  /** Known from an earlier login; fetched on first use when absent. */
  readonly instanceUrl?: string;
  readonly accessToken?: string;
  readonly budget?: ApiBudget;
  /** Called with every new access token, so that the caller can keep it for the next run. */
  readonly onTokens?: (accessToken: string, instanceUrl: string) => void;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One signed-in org: jsforce for the JSON resources, plain fetch for streamed bodies. Refreshes an
 * expired session once and replays the call; reads `Sforce-Limit-Info` after every call and pauses
 * before the daily allocation runs out (see ApiBudget).
 */
export class SalesforceSession {
  readonly apiVersion: string;
  readonly budget: ApiBudget;
  readonly #auth: SalesforceAuth;
  readonly #conn: Connection;
  readonly #onTokens: SessionOptions['onTokens'];
  #refreshing: Promise<void> | undefined;

  constructor(options: SessionOptions) {
    this.apiVersion = options.apiVersion;
    this.budget = options.budget ?? new ApiBudget();
    this.#auth = options.auth;
    this.#onTokens = options.onTokens;
    this.#conn = new Connection({
      version: options.apiVersion,
      loginUrl: options.auth.loginUrl,
      ...(options.instanceUrl === undefined ? {} : { instanceUrl: options.instanceUrl }),
      ...(options.accessToken === undefined ? {} : { accessToken: options.accessToken }),
      refreshFn: (_conn, callback) => {
        this.#requestToken().then(
          (res) => {
            callback(null, res.access_token, res);
          },
          (e: unknown) => {
            callback(e instanceof Error ? e : new Error(String(e)));
          },
        );
      },
    });
  }

  get instanceUrl(): string {
    return this.#conn.instanceUrl;
  }

  /** Signs in when no access token is known yet (a JWT connection's first call, or a fresh process). */
  async ensureSignedIn(): Promise<void> {
    if (this.#conn.accessToken !== undefined && this.#conn.accessToken !== null && this.#conn.instanceUrl !== '') return;
    await this.#refresh();
  }

  /** Asks the token endpoint for a new access token with the stored refresh token or a fresh JWT. */
  async #requestToken(): Promise<TokenResponse> {
    const form = new URLSearchParams();
    if (this.#auth.kind === 'oauth') {
      form.set('grant_type', 'refresh_token');
      form.set('refresh_token', this.#auth.refreshToken);
      form.set('client_id', this.#auth.clientId);
    } else {
      form.set('grant_type', 'urn:ietf:params:oauth:grant-type:jwt-bearer');
      form.set(
        'assertion',
        buildJwtAssertion({ clientId: this.#auth.clientId, username: this.#auth.username, audience: this.#auth.loginUrl, privateKeyPem: this.#auth.privateKeyPem }),
      );
    }
    let response: Response;
    try {
      response = await fetch(`${this.#auth.loginUrl.replace(/\/$/, '')}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: form,
      });
    } catch (e) {
      throw mapSalesforceError(e, `sign-in at ${this.#auth.loginUrl}`);
    }
    const body = (await response.json().catch(() => ({}))) as Partial<TokenResponse> & { error?: string; error_description?: string };
    if (!response.ok || typeof body.access_token !== 'string' || typeof body.instance_url !== 'string') {
      const why = body.error_description ?? body.error ?? `HTTP ${response.status}`;
      throw new TransferError('auth', `Salesforce refused the sign-in at ${this.#auth.loginUrl}: ${why}. Sign in again with "ferry connection add".`);
    }
    this.#conn._establish({ accessToken: body.access_token, instanceUrl: body.instance_url });
    this.#onTokens?.(body.access_token, body.instance_url);
    return body as TokenResponse;
  }

  /** One refresh at a time, whoever noticed the expiry first. */
  async #refresh(): Promise<void> {
    this.#refreshing ??= this.#requestToken()
      .then(() => undefined)
      .finally(() => {
        this.#refreshing = undefined;
      });
    await this.#refreshing;
  }

  #url(path: string): string {
    return path.startsWith('/services/') ? `${this.instanceUrl}${path}` : `${this.instanceUrl}/services/data/v${this.apiVersion}${path}`;
  }

  async #beforeCall(signal?: AbortSignal): Promise<void> {
    await this.ensureSignedIn();
    await this.budget.beforeCall(() => this.checkLimits(), signal);
  }

  /**
   * Runs one call, and runs it again after the daily limit paused work: a call refused with
   * REQUEST_LIMIT_EXCEEDED did nothing, so replaying it is safe even for a POST.
   */
  async #withLimitPause<T>(subject: string, call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (;;) {
      await this.#beforeCall(signal);
      try {
        return await call();
      } catch (e) {
        const entry = errorEntryOf(e);
        if (entry?.errorCode === 'REQUEST_LIMIT_EXCEEDED' && !/Concurrent/i.test(entry.message)) {
          this.budget.observeExhausted();
          continue;
        }
        if (entry?.errorCode === 'REQUEST_LIMIT_EXCEEDED') {
          throw new TransferError('rateLimited', `${subject}: too many long-running requests at once (${entry.message})`, { retryAfterMs: 5000 });
        }
        throw mapSalesforceError(e, subject);
      }
    }
  }

  #observe(): void {
    const usage = this.#conn.limitInfo.apiUsage;
    if (usage !== undefined) this.budget.observe(usage.used, usage.limit);
  }

  /** A JSON resource through jsforce, which refreshes an expired session once and replays the call. */
  async json<T>(method: HttpMethod, path: string, subject: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return this.#withLimitPause(
      subject,
      async () => {
        try {
          return await this.#conn.request<T>({
            method,
            url: this.#url(path),
            ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
          });
        } finally {
          this.#observe();
        }
      },
      signal,
    );
  }

  /** Every record of a query, following `nextRecordsUrl` page by page (one call per page). */
  async query<T>(soql: string, subject: string, signal?: AbortSignal): Promise<T[]> {
    const records: T[] = [];
    let page = await this.json<QueryPage<T>>('GET', `/query?q=${encodeURIComponent(soql)}`, subject, undefined, signal);
    records.push(...page.records);
    while (!page.done && page.nextRecordsUrl !== undefined) {
      page = await this.json<QueryPage<T>>('GET', page.nextRecordsUrl, subject, undefined, signal);
      records.push(...page.records);
    }
    return records;
  }

  /** Reads the org's usage from `/limits`; the only call made while paused. */
  async checkLimits(): Promise<void> {
    let response: IncomingMessage;
    try {
      response = await this.#send('GET', '/limits', {});
    } catch (e) {
      throw mapSalesforceError(e, 'the org limits');
    }
    this.budget.observeHeader(headerOf(response, 'sforce-limit-info'));
    const status = response.statusCode ?? 0;
    const text = await readText(response);
    if (status === 403) {
      this.budget.observeExhausted();
      return;
    }
    if (status >= 400) throw mapSalesforceError(parseError(status, text), 'the org limits');
    const daily = (JSON.parse(text) as { DailyApiRequests?: { Max: number; Remaining: number } }).DailyApiRequests;
    if (daily !== undefined) this.budget.observe(daily.Max - daily.Remaining, daily.Max);
  }

  /** One raw exchange with the org, signed with the current access token. */
  #send(method: HttpMethod, path: string, init: RawInit): Promise<IncomingMessage> {
    return sendRaw(new URL(this.#url(path)), {
      ...init,
      method,
      headers: { ...init.headers, Authorization: `Bearer ${this.#conn.accessToken ?? ''}` },
    });
  }


  /**
   * A raw call for streamed bodies (downloads and large uploads). A GET whose session expired is
   * refreshed and replayed; a streamed upload cannot be replayed from here, so after refreshing it
   * fails as retryable and the caller sends the bytes again.
   */
  async stream(method: HttpMethod, path: string, subject: string, init: RawInit = {}): Promise<IncomingMessage> {
    return this.#withLimitPause(
      subject,
      async () => {
        let response: IncomingMessage;
        try {
          response = await this.#send(method, path, init);
        } catch (e) {
          throw mapSalesforceError(e, subject);
        }
        this.budget.observeHeader(headerOf(response, 'sforce-limit-info'));
        if (response.statusCode === 401) {
          const text = await readText(response);
          if (/not valid for use with the REST API/.test(text)) throw parseError(401, text);
          await this.#refresh();
          if (init.body !== undefined) {
            throw new TransferError('network', `${subject}: the Salesforce session expired during the upload; signed in again, sending it again`);
          }
          response = await this.#send(method, path, init);
          this.budget.observeHeader(headerOf(response, 'sforce-limit-info'));
        }
        const status = response.statusCode ?? 0;
        if (status >= 400) throw parseError(status, await readText(response));
        return response;
      },
      init.signal,
    );
  }
}

export interface RawInit {
  readonly headers?: Record<string, string>;
  readonly body?: Readable;
  readonly length?: number;
  readonly signal?: AbortSignal;
}

function headerOf(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A raw response's body, read as JSON. */
export async function readJsonBody<T>(stream: Readable): Promise<T> {
  return JSON.parse(await readText(stream)) as T;
}

/** The error envelope of a failed raw response, in the shape mapSalesforceError reads. */
function parseError(status: number, text: string): unknown {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (errorEntryOf({ data: parsed }) !== undefined) return { data: parsed };
  } catch {
    // Not JSON: described by status below.
  }
  return { data: [{ errorCode: `ERROR_HTTP_${status}`, message: text.slice(0, 200) || `HTTP ${status}` }] };
}

interface QueryPage<T> {
  readonly done: boolean;
  readonly nextRecordsUrl?: string;
  readonly records: T[];
}
