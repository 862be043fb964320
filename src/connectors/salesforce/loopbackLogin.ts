import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuth2 } from '@jsforce/jsforce-node';
import { isTransferError, mapNodeError, TransferError } from '../errors.js';

export interface LoopbackLoginOptions {
  /** `https://login.salesforce.com`, `https://test.salesforce.com` or a My Domain URL. */
  readonly loginUrl: string;
  readonly clientId: string;
  readonly scope?: string;
  /** 0 picks a free port; the app's callback URL must allow whichever port is used. */
  readonly port?: number;
  /** Shows the user the login page: opens the system browser, or prints the URL. */
  readonly openUrl: (url: string) => Promise<void>;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface LoopbackLoginResult {
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly instanceUrl: string;
  readonly idUrl: string;
}

const LOOPBACK = '127.0.0.1';
const CALLBACK_PATH = '/callback';

/**
 * Signs in through the user's browser with the OAuth web-server flow and PKCE, receiving the
 * authorization code on a short-lived loopback server, as `sf org login web` does. The server is closed
 * whichever way the login ends. Errors are TransferErrors: 'auth' when Salesforce refuses or nobody signs
 * in in time, 'cancelled' on abort. Nothing here logs, and no message carries a code or token.
 */
export async function loopbackLogin(options: LoopbackLoginOptions): Promise<LoopbackLoginResult> {
  const { loginUrl, clientId, scope = 'api refresh_token', port = 0, openUrl, timeoutMs = 120_000, signal } = options;
  requireLoginUrl(loginUrl);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`Not a port: ${port}`);
  if (!(timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
  if (signal?.aborted === true) throw cancelled();

  const state = randomBytes(32).toString('base64url');
  const callback = callbackReceiver(state);
  const server = createServer(callback.handle);
  const stop = stopOn(timeoutMs, signal);
  try {
    const redirectUri = `http://${LOOPBACK}:${await listen(server, port)}${CALLBACK_PATH}`;
    // The PKCE verifier lives in this instance: it must both build the URL and redeem the code.
    const oauth2 = new OAuth2({ clientId, loginUrl, redirectUri, useVerifier: true });
    const opening = Promise.resolve()
      .then(() => openUrl(oauth2.getAuthorizationUrl({ scope, state })))
      .then(
        () => new Promise<never>(() => undefined),
        (e: unknown) => {
          throw isTransferError(e) ? e : new TransferError('auth', `Cannot show the login page: ${describe(e)}`, { cause: e });
        },
      );
    const code = await raced(Promise.race([callback.code, opening]), stop.promise);
    const tokens = await raced(redeem(oauth2, code), stop.promise);
    await callback.finish(200, ['Ferry is signed in to Salesforce.', 'You can close this window.']);
    return tokens;
  } catch (e) {
    const reason = isTransferError(e) ? e.message : 'Ferry could not complete the sign-in.';
    await callback.finish(400, [reason, 'You can close this window and try again.']);
    throw e;
  } finally {
    stop.dispose();
    await close(server);
  }
}

function requireLoginUrl(loginUrl: string): void {
  let url: URL;
  try {
    url = new URL(loginUrl);
  } catch {
    throw new TransferError('config', `Not a login URL: ${JSON.stringify(loginUrl)}`);
  }
  // The authorization code and verifier travel to this host: only a local emulator may have them in clear.
  const loopback = url.hostname === LOOPBACK || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new TransferError('config', `The login URL must use https: ${url.origin}`);
  }
}

interface CallbackReceiver {
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** Settles with the first callback that carries our state: its code, or Salesforce's refusal. */
  readonly code: Promise<string>;
  /** Answers the browser that delivered the code or refusal, if it is still waiting. */
  finish(status: number, paragraphs: ReadonlyArray<string>): Promise<void>;
}

/**
 * Callbacks without our state are turned away and the wait goes on: they come from stale browser tabs or
 * from pages trying to plant their own code, and neither may end the login.
 */
function callbackReceiver(state: string): CallbackReceiver {
  let accept!: (code: string) => void;
  let refuse!: (e: TransferError) => void;
  const code = new Promise<string>((resolve, reject) => {
    accept = resolve;
    refuse = reject;
  });
  code.catch(() => undefined);
  let answered = false;
  let waiting: ServerResponse | undefined;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) return void answer(res, 404, 'Not found.');
    if (answered) return void answer(res, 409, 'This sign-in is already complete. You can close this window.');
    const query = url.searchParams;
    if (query.get('state') !== state) {
      return void answer(res, 400, 'This sign-in response does not belong to the login Ferry is waiting for.');
    }
    const error = query.get('error');
    const authCode = query.get('code');
    if (error === null && (authCode === null || authCode === '')) {
      return void answer(res, 400, 'This sign-in response carries no authorization code.');
    }
    answered = true;
    waiting = res;
    if (error !== null) {
      refuse(new TransferError('auth', `Salesforce refused the login: ${query.get('error_description') ?? error}`));
    } else if (authCode !== null) {
      accept(authCode);
    }
  };

  return {
    handle,
    code,
    finish: async (status, paragraphs) => {
      const res = waiting;
      waiting = undefined;
      if (res !== undefined) await answer(res, status, ...paragraphs);
    },
  };
}

/** A rejection of `promise` after `stop` won is expected and silenced. */
function raced<T>(promise: Promise<T>, stop: Promise<never>): Promise<T> {
  promise.catch(() => undefined);
  return Promise.race([promise, stop]);
}

/** Rejects on timeout or abort until disposed. */
function stopOn(timeoutMs: number, signal: AbortSignal | undefined): { promise: Promise<never>; dispose(): void } {
  let dispose = (): void => undefined;
  const promise = new Promise<never>((_, reject) => {
    const timer = setTimeout(() => {
      reject(new TransferError('auth', `No sign-in was completed within ${formatDuration(timeoutMs)}.`));
    }, timeoutMs);
    const onAbort = (): void => reject(cancelled());
    signal?.addEventListener('abort', onAbort, { once: true });
    dispose = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
  });
  promise.catch(() => undefined);
  return { promise, dispose };
}

async function redeem(oauth2: OAuth2, code: string): Promise<LoopbackLoginResult> {
  let response: unknown;
  try {
    response = await oauth2.requestToken(code);
  } catch (e) {
    throw mapNodeError(e) ?? new TransferError('auth', `Salesforce refused the sign-in: ${describe(e)}`, { cause: e });
  }
  return readTokens(response);
}

/** jsforce passes on whatever the token endpoint answered with a 2xx status, or undefined if not JSON. */
function readTokens(response: unknown): LoopbackLoginResult {
  const body = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
  const { access_token: accessToken, refresh_token: refreshToken, instance_url: instanceUrl, id: idUrl } = body;
  if (typeof accessToken !== 'string' || typeof instanceUrl !== 'string' || typeof idUrl !== 'string') {
    throw new TransferError('protocol', 'The token response lacks access_token, instance_url or id');
  }
  return typeof refreshToken === 'string'
    ? { accessToken, refreshToken, instanceUrl, idUrl }
    : { accessToken, instanceUrl, idUrl };
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((e: unknown) => {
    const code = (e as NodeJS.ErrnoException).code ?? describe(e);
    throw new TransferError('config', `Cannot receive the sign-in on ${LOOPBACK}:${port} (${code}): choose another port`, {
      cause: e,
    });
  });
  return (server.address() as AddressInfo).port;
}

/**
 * Stops listening at once, then ends the remaining connections: every answer has been handed to the
 * system by now, and keep-alive connections would otherwise hold the server open.
 */
async function close(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

/** Resolves once the page is handed to the system, or the browser has gone. */
function answer(res: ServerResponse, status: number, ...paragraphs: ReadonlyArray<string>): Promise<void> {
  const html =
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>Ferry sign-in</title>' +
    '<body style="font-family:system-ui,sans-serif;margin:3em">' +
    paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('') +
    '</body></html>';
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    res.once('close', resolve);
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
      'Referrer-Policy': 'no-referrer',
      Connection: 'close',
    });
    res.end(html, () => resolve());
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function cancelled(): TransferError {
  return new TransferError('cancelled', 'The sign-in was cancelled.');
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const text = e.name !== 'Error' && e.name !== '' ? `${e.name}: ${e.message}` : e.message;
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
