import { isValidConnectionName, type SalesforceConnectionConfig } from '../config/ConnectionStore.js';
import { TransferError } from '../connectors/errors.js';
import { loopbackLogin } from '../connectors/salesforce/loopbackLogin.js';
import { DEFAULT_API_VERSION, DEFAULT_CLIENT_ID } from '../cli/commands/salesforce.js';
import { DEMO_CONNECTIONS } from '../demo/demoConnections.js';
import type { Workspace } from './Workspace.js';

export type SalesforceLogin = 'production' | 'sandbox' | 'localSandbox' | 'custom';

export interface SignInRequest {
  readonly name: string;
  readonly login: SalesforceLogin;
  /** For `custom`: a My Domain host or URL. */
  readonly loginUrl?: string;
  readonly sdrive: boolean;
}

export interface SignInHooks {
  /** Shows the sign-in page; true when it opened it (the system browser), false when the window must. */
  readonly open: (url: string) => Promise<boolean>;
  /** The sign-in ended: saved and answering, or failed. Never called after `signal` aborted. */
  readonly done: (error: unknown) => void;
  readonly signal: AbortSignal;
}

/**
 * Starts a browser sign-in (OAuth with PKCE on a loopback callback, as `ferry connection salesforce`
 * does) and resolves with the sign-in page's address as soon as it is known; the rest runs on: the
 * tokens are redeemed, the refresh token goes to the secret store, and the org is asked once to prove
 * the connection works. A new connection that fails is not kept.
 */
export async function startSalesforceSignIn(ws: Workspace, req: SignInRequest, hooks: SignInHooks): Promise<{ url: string; opened: boolean }> {
  if (!isValidConnectionName(req.name)) {
    throw new TransferError('config', `Invalid connection name "${req.name}": use letters, digits, '.', '_' or '-'`);
  }
  const existing = await ws.connections.get(req.name);
  if (existing !== undefined && existing.kind !== 'salesforce') {
    throw new TransferError('exists', `A connection named "${req.name}" exists already and is not a Salesforce org: choose another name`);
  }
  const loginUrl = await loginUrlFor(ws, req);
  let shown!: (page: { url: string; opened: boolean }) => void;
  const page = new Promise<{ url: string; opened: boolean }>((resolve) => (shown = resolve));
  const login = loopbackLogin({
    loginUrl,
    clientId: DEFAULT_CLIENT_ID,
    signal: hooks.signal,
    openUrl: async (url) => shown({ url, opened: await hooks.open(url) }),
  });
  const finished = login.then(async (tokens) => {
    if (tokens.refreshToken === undefined) throw new TransferError('auth', 'Salesforce gave no refresh token: the app must grant the refresh_token scope');
    const config: SalesforceConnectionConfig = {
      name: req.name,
      kind: 'salesforce',
      loginUrl,
      instanceUrl: tokens.instanceUrl,
      clientId: DEFAULT_CLIENT_ID,
      auth: 'oauth',
      apiVersion: existing?.apiVersion ?? DEFAULT_API_VERSION,
      root: '',
      mode: req.sdrive ? 'sdrive' : 'files',
    };
    await ws.saveConnection(config, { refreshToken: tokens.refreshToken });
    try {
      const fs = await ws.open(req.name);
      try {
        await fs.list('');
      } finally {
        await fs.close();
      }
    } catch (e) {
      if (existing === undefined) await ws.removeConnection(req.name);
      throw e;
    }
  });
  finished.then(
    () => hooks.signal.aborted || hooks.done(undefined),
    (e: unknown) => hooks.signal.aborted || hooks.done(e),
  );
  // A login that fails before its page is known (a port taken, a bad address) fails the request itself.
  return Promise.race([page, login.then(() => page)]);
}

async function loginUrlFor(ws: Workspace, req: SignInRequest): Promise<string> {
  switch (req.login) {
    case 'production':
      return 'https://login.salesforce.com';
    case 'sandbox':
      return 'https://test.salesforce.com';
    case 'localSandbox': {
      const demo = await ws.connections.get(DEMO_CONNECTIONS.salesforce);
      if (demo?.kind !== 'salesforce') {
        throw new TransferError('config', 'The local sandbox is not running: it starts with the demo (npm start), or start "ferry sandbox" and give its address');
      }
      return demo.loginUrl;
    }
    case 'custom':
      return customLoginUrl(req.loginUrl ?? '');
  }
}

/** A My Domain host or URL; plain http only for a sandbox on this computer. */
function customLoginUrl(text: string): string {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    throw new TransferError('config', `Not a sign-in address: "${trimmed}" (e.g. acme.my.salesforce.com)`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new TransferError('config', `Salesforce sign-in must use https: ${url.origin}`);
  }
  return url.origin;
}
