import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CONNECTIONS } from '../../src/demo/demoConnections.js';
import { secretKey } from '../../src/security/secretKeys.js';
import type { EventMessage } from '../../src/shared/contract/events.js';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';
import { openHost, type OpenHost } from './openHost.js';

/** Browser sign-in from the site manager, against the sandbox's OAuth (PKCE, loopback callback). */
describe('signing in to Salesforce from the site manager', () => {
  let org: TestOrg;
  let host: OpenHost;

  beforeAll(async () => {
    org = await startTestOrg({ seed: 'demo', sdrive: true });
  });
  afterAll(async () => {
    await org.close();
  });
  beforeEach(async () => {
    host = await openHost('ferry-sf-signin-');
  });
  afterEach(() => host.close());

  const statusOf = (name: string): EventMessage | undefined => host.seen.filter((m) => m.event === 'connection.status' && m.payload.name === name).at(-1);

  it('hands the web window the PKCE sign-in page, then saves the org once the browser signed in', async () => {
    const started = await host.call('connections.salesforce.signIn', { name: 'org', login: 'custom', loginUrl: org.sandbox.url, sdrive: false });
    expect(started.opened).toBe(false);
    const page = new URL(started.url);
    expect(page.origin).toBe(org.sandbox.url);
    expect(page.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(page.searchParams.get('client_id')).toBe('FerryDesktop');
    // The browser: the sandbox signs its user in and sends the code to Ferry's loopback callback.
    const browser = await fetch(started.url, { redirect: 'follow' });
    expect(await browser.text()).toMatch(/Ferry is signed in to Salesforce/);

    await expect.poll(() => statusOf('org')).toEqual({ event: 'connection.status', payload: { name: 'org', state: 'connected' } });
    expect(await host.call('connections.list', {})).toEqual({ connections: [{ name: 'org', kind: 'salesforce', location: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/) as unknown, sdrive: false }] });
    expect(await host.workspace.secrets.get(secretKey('org', 'refreshToken'))).toMatch(/.+/);
    expect(await readFile(join(host.home, 'connections.json'), 'utf8')).not.toMatch(/refresh_token|refreshToken"\s*:/);
    const listed = await host.call('files.list', { connection: 'org', path: '', offset: 0, limit: 50, sort: { by: 'name', direction: 'asc' } });
    expect(listed.entries.map((e) => e.name)).toContain('Account');
  });

  it('signs in to the local sandbox the demo runs, keeping files in S-Drive when asked', async () => {
    await host.workspace.saveConnection(
      { name: DEMO_CONNECTIONS.salesforce, kind: 'salesforce', loginUrl: org.sandbox.url, clientId: org.sandbox.jwt.clientId, auth: 'jwt', username: 'demo', jwtKeyFile: org.sandbox.jwt.keyFile, apiVersion: '64.0', root: '', mode: 'files' },
      {},
    );
    const started = await host.call('connections.salesforce.signIn', { name: 'sandbox-sdrive', login: 'localSandbox', sdrive: true });
    expect(new URL(started.url).origin).toBe(org.sandbox.url);
    await fetch(started.url, { redirect: 'follow' });
    await expect.poll(() => statusOf('sandbox-sdrive')).toMatchObject({ payload: { state: 'connected' } });
    expect((await host.call('connections.list', {})).connections.find((c) => c.name === 'sandbox-sdrive')).toMatchObject({ kind: 'salesforce', sdrive: true });
  });

  it('says the local sandbox is not running when the demo has not started it', async () => {
    const answer = await host.core.invoke('connections.salesforce.signIn', { name: 'org', login: 'localSandbox', sdrive: false });
    expect(answer).toMatchObject({ ok: false, error: { kind: 'config', message: expect.stringMatching(/^The local sandbox is not running/) as unknown } });
  });

  it('reports a sign-in Salesforce refused as failed, in plain words, and saves nothing', async () => {
    const started = await host.call('connections.salesforce.signIn', { name: 'org', login: 'custom', loginUrl: org.sandbox.url, sdrive: false });
    const callback = new URL(new URL(started.url).searchParams.get('redirect_uri') ?? '');
    const state = new URL(started.url).searchParams.get('state') ?? '';
    await fetch(`${callback.origin}${callback.pathname}?error=access_denied&error_description=end-user+denied+authorization&state=${state}`);
    await expect.poll(() => statusOf('org')).toMatchObject({ payload: { state: 'failed', problem: { cause: 'credentials', detail: expect.stringMatching(/denied/) as unknown } } });
    expect(await host.call('connections.list', {})).toEqual({ connections: [] });
  });

  it('refuses a sign-in address that is not https', async () => {
    const answer = await host.core.invoke('connections.salesforce.signIn', { name: 'org', login: 'custom', loginUrl: 'http://login.example.com', sdrive: false });
    expect(answer).toMatchObject({ ok: false, error: { kind: 'config', message: 'Salesforce sign-in must use https: http://login.example.com' } });
  });
});
