import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { DEMO_DUPLICATE_ACCOUNT_NUMBER } from '../../src/sandbox/seed/demo.js';
import { runFerry, type FerryRun } from '../helpers/runFerry.js';
import '../helpers/salesforce.js';

/** What the README's Salesforce section tells a new user to do, with `ferry sandbox` as the org. */
describe('a new user with the README: the Salesforce sandbox, a connection, invoices attached by account number', () => {
  let home: string;
  let work: string;
  let sandbox: ChildProcess;
  let printed = '';

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-sf-home-'));
    work = await mkdtemp(join(tmpdir(), 'ferry-sf-work-'));
    sandbox = spawn(process.execPath, ['bin/ferry.js', 'sandbox', '--port', '0', '--sdrive'], { env: { ...process.env, FERRY_HOME: home }, stdio: ['ignore', 'pipe', 'inherit'] });
    sandbox.stdout?.on('data', (c: Buffer) => (printed += c.toString()));
    await waitFor(() => printed.includes('Press Ctrl-C to stop.'));
    const invoices = join(work, 'invoices');
    await mkdir(invoices);
    await writeFile(join(invoices, 'INV-ACC-10001-2026-11-02.pdf'), 'invoice for Northwind');
    await writeFile(join(invoices, 'INV-ACC-10003-2026-11-02.pdf'), 'invoice for Fabrikam');
    await writeFile(join(invoices, `INV-${DEMO_DUPLICATE_ACCOUNT_NUMBER}-2026-11-03.pdf`), 'whose invoice?');
  });
  afterAll(async () => {
    if (sandbox !== undefined && sandbox.exitCode === null) {
      const exited = new Promise((resolve) => sandbox.once('exit', resolve));
      sandbox.kill('SIGTERM');
      await exited;
    }
    expect(printed).toMatch(/Sandbox stopped/);
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  const ferry = (args: ReadonlyArray<string>): Promise<FerryRun> => runFerry(home, args);

  it('connects with the command the sandbox prints, attaches each invoice to its Account and brings them back', async () => {
    const line = printed.split('\n').find((l) => l.trim().startsWith('ferry connection salesforce'));
    expect(line).toBeDefined();
    const connect = await ferry(line?.trim().split(/\s+/).slice(1) ?? []);
    expect(connect.code, connect.err).toBe(0);
    expect(connect.out).toMatch(/Saved connection "sandbox"/);
    expect(connect.out).toMatch(/daily API calls: \d+ of 15,000 used/);

    const objects = await ferry(['ls', 'sandbox:']);
    expect(objects.out).toMatch(/Account\//);
    const search = await ferry(['ls', 'sandbox:Account/', '--search', 'Contoso']);
    expect(search.out.trim().split('\n').map((l) => l.trim().replace(/^.*\s{2}/, ''))).toEqual(['Contoso Manufacturing/', 'Contoso Manufacturing de México/']);

    // The rule the sandbox suggests: account numbers like ACC-10001 hold its '-', so the split decides.
    const rule = /--attach-by '([^']+)'/.exec(printed)?.[1];
    expect(rule).toBe('INV-{AccountNumber}-{*}');
    const copy = await ferry(['copy', `${join(work, 'invoices')}/`, 'sandbox:Account/', '--recursive', '--attach-by', rule ?? '']);
    expect(copy.code).toBe(1);
    expect(copy.out).toMatch(/Copied 2 files/);
    expect(copy.err).toMatch(new RegExp(`FAILED .*/INV-${DEMO_DUPLICATE_ACCOUNT_NUMBER}-2026-11-03.pdf: 2 Account records have AccountNumber = '${DEMO_DUPLICATE_ACCOUNT_NUMBER}'`));

    const northwind = await ferry(['ls', 'sandbox:Account/Northwind Traders/', '--json']);
    expect(entriesOf(northwind.out)).toEqual([expect.objectContaining({ name: 'INV-ACC-10001-2026-11-02.pdf', size: 21 })]);

    const back = join(work, 'back');
    const down = await ferry(['copy', 'sandbox:Account/Fabrikam Logistics/', `${back}/`, '--recursive']);
    expect(down.code, down.err).toBe(0);
    expect(await readFile(join(back, 'INV-ACC-10003-2026-11-02.pdf'), 'utf8')).toBe('invoice for Fabrikam');

    const again = await ferry(['copy', `${join(work, 'invoices')}/INV-ACC-10001-2026-11-02.pdf`, 'sandbox:Account/Northwind Traders/', '--conflict', 'overwrite', '--json']);
    expect(again.code, again.err).toBe(0);
    const versions = await ferry(['ls', 'sandbox:Account/Northwind Traders/', '--json']);
    expect(entriesOf(versions.out)).toHaveLength(1);
    const shown = await ferry(['ls', 'sandbox:Account/Northwind Traders/']);
    expect(shown.out).toMatch(/INV-ACC-10001-2026-11-02\.pdf {2}\(version 2, md5 [0-9a-f]{32}\)/);
  });

  it('leaves an unchanged file alone on every later run: no new version, the MD5 says why', async () => {
    const folder = join(work, 'by-name');
    await mkdir(folder);
    const file = join(folder, 'Contoso Manufacturing.pdf');
    await writeFile(file, 'a contract for Contoso');
    const longAgo = new Date(Date.UTC(2025, 0, 1));
    await utimes(file, longAgo, longAgo);
    const copy = (): Promise<FerryRun> => ferry(['copy', `${folder}/`, 'sandbox:Account/', '--recursive', '--attach-by', '{Name}.pdf', '--json']);
    const first = await copy();
    expect(first.code, first.err).toBe(0);
    for (let run = 2; run <= 3; run++) {
      const later = await copy();
      expect(later.code, later.err).toBe(0);
      const summary = JSON.parse(later.out) as { items: Array<{ status: string; reason?: string }> };
      expect(summary.items).toEqual([expect.objectContaining({ status: 'skipped', reason: `unchanged: same MD5 (${createHash('md5').update('a contract for Contoso').digest('hex')})` })]);
    }
    const shown = await ferry(['ls', 'sandbox:Account/Contoso Manufacturing/']);
    expect(shown.out).toMatch(/Contoso Manufacturing\.pdf {2}\(version 1, md5 /);
  });

  it('signs in through the browser flow with PKCE when the URL is opened, and refuses a stranger\'s callback', async () => {
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed)?.[1] ?? '';
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    const done = runCli(
      ['connection', 'salesforce', 'browser', '--login', url, '--no-browser'],
      { stdout, stderr: new PassThrough(), stdin: Readable.from(['']), env: { FERRY_HOME: home } },
      new AbortController().signal,
    );
    await waitFor(() => /\/services\/oauth2\/authorize\?/.test(out));
    const authorize = /(http:\/\/\S+\/services\/oauth2\/authorize\?\S+)/.exec(out)?.[1] ?? '';
    expect(authorize).toMatch(/code_challenge=/);
    const callback = new URL(new URL(authorize).searchParams.get('redirect_uri') ?? '');
    const stranger = await fetch(`${callback.origin}${callback.pathname}?code=forged&state=wrong`);
    expect(stranger.status).toBe(400);
    const browser = await fetch(authorize, { redirect: 'follow' });
    expect(browser.status).toBe(200);
    expect(await done).toBe(0);
    expect(out).toMatch(/Saved connection "browser"/);
    const list = await ferry(['connection', 'list', '--json']);
    const saved = (JSON.parse(list.out) as Array<{ name: string }>).find((c) => c.name === 'browser');
    expect(saved).toMatchObject({ kind: 'salesforce', auth: 'oauth' });
    expect(JSON.stringify(saved)).not.toMatch(/5Aep|refresh/i);
    expect((await ferry(['ls', 'browser:Account/', '--limit', '2'])).code).toBe(0);
  });

  it('keeps files in S-Drive when the connection says so: folders, a custom file object, bytes through S3', async () => {
    const line = printed.split('\n').find((l) => l.trim().startsWith('ferry connection salesforce')) ?? '';
    const args = line.trim().split(/\s+/).slice(1);
    args[2] = 'sdrive';
    const connect = await ferry([...args, '--sdrive', '--sdrive-object', 'Order=OrderFile__c:Parent__c']);
    expect(connect.code, connect.err).toBe(0);
    const contracts = await ferry(['ls', 'sdrive:Account/Northwind Traders/', '--json']);
    expect(entriesOf(contracts.out).map((e) => e.name)).toEqual(expect.arrayContaining(['Contracts', 'Photos', 'Price list 2026.csv']));
    const up = await ferry(['copy', `${join(work, 'invoices')}/INV-ACC-10001-2026-11-02.pdf`, 'sdrive:Account/Northwind Traders/Contracts/']);
    expect(up.code, up.err).toBe(0);
    const back = join(work, 'sdrive-back');
    const down = await ferry(['copy', 'sdrive:Account/Northwind Traders/Contracts/INV-ACC-10001-2026-11-02.pdf', `${back}/`]);
    expect(down.code, down.err).toBe(0);
    expect(await readFile(join(back, 'INV-ACC-10001-2026-11-02.pdf'), 'utf8')).toBe('invoice for Northwind');
    const orders = await ferry(['ls', 'sdrive:Order/', '--json']);
    expect(entriesOf(orders.out).length).toBeGreaterThan(0);
  });
});

function entriesOf(json: string): ReadonlyArray<{ name: string; size: number }> {
  return (JSON.parse(json) as { entries: Array<{ name: string; size: number }> }).entries;
}

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
