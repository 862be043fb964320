import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DUPLICATE_ACCOUNT_NUMBER } from '../../src/sandbox/seed/demo.js';
import { readJobSwitches } from '../../src/workspace/jobSwitches.js';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';
import { invoicesToAccountsJob } from '../jobs/invoicesToAccountsJob.js';
import { openHost, type OpenHost } from './openHost.js';

const HOUR = 3_600_000;
const EXACT = 'INV-ACC-10001_0042.pdf';
const AMBIGUOUS = `INV-${DEMO_DUPLICATE_ACCOUNT_NUMBER}_0043.pdf`;
const UNKNOWN = 'INV-ACC-99999_0044.pdf';

/** Invoices from a local outbox attached to their Accounts in the sandbox by their names, every hour. */
function invoicesJob(work: string): string {
  return invoicesToAccountsJob(
    'invoices',
    `${work}/outbox`,
    `description: Partner invoices onto their Accounts.
schedule:
  every: 1h
`,
  );
}

/** Order files from a drop folder to the ERP's inbox, weekday mornings; `stableFor` keeps a run waiting when asked. */
function ordersJob(work: string, stableFor = '0s'): string {
  return `version: 1
name: orders
source:
  location: ${work}/drop
arrival:
  stableFor: ${stableFor}
routes:
  - name: erp
    to: ${work}/erp/
schedule:
  cron: '0 6 * * 1-5'
  timezone: UTC
`;
}

describe('the Jobs screen in the core', () => {
  let org: TestOrg;
  let host: OpenHost;
  let jobs: string;

  beforeAll(async () => {
    org = await startTestOrg({ seed: 'demo', port: 0 });
    host = await openHost('ferry-jobs-');
    await host.workspace.saveConnection(
      { name: 'org', kind: 'salesforce', loginUrl: org.sandbox.url, clientId: org.sandbox.jwt.clientId, auth: 'jwt', username: org.sandbox.context.defaultUser.username, jwtKeyFile: org.sandbox.jwt.keyFile, apiVersion: '64.0', root: '', mode: 'files' },
      {},
    );
    jobs = join(host.home, 'jobs');
    await mkdir(jobs, { recursive: true });
    await mkdir(join(host.work, 'outbox'), { recursive: true });
    await mkdir(join(host.work, 'drop'), { recursive: true });
    for (const name of [EXACT, AMBIGUOUS, UNKNOWN]) await writeFile(join(host.work, 'outbox', name), `%PDF-1.4 ${name}\n`);
    await writeFile(join(jobs, 'invoices.yaml'), invoicesJob(host.work));
    await writeFile(join(jobs, 'orders.yaml'), ordersJob(host.work));
    await writeFile(join(jobs, 'broken.yaml'), 'version: 1\nname: broken\nsource:\n  location: ./in\nroutes: []\nschedule:\n  every: often\n');
  });
  afterAll(async () => {
    await host?.close();
    await org?.close();
  });

  it('lists every job file, a broken one with its reason, each with its schedule in words and its next run', async () => {
    const before = Date.now();
    const { jobs: listed, paused } = await host.call('jobs.list', {});
    expect(paused).toBe(false);
    expect(listed.map((j) => j.name)).toEqual(['broken', 'invoices', 'orders']);
    const [broken, invoices, orders] = listed;
    expect(broken).toMatchObject({ file: 'broken.yaml', running: false });
    expect(broken?.error).toContain(join(jobs, 'broken.yaml'));
    expect(broken?.error).toMatch(/schedule\.every/);
    expect(invoices).toMatchObject({ file: 'invoices.yaml', description: 'Partner invoices onto their Accounts.', source: `${host.work}/outbox`, schedule: 'Every hour', enabled: true, running: false });
    expect(invoices?.lastRun).toBeUndefined();
    // An hourly grid: the next whole hour after now.
    expect(invoices?.nextRunAt).toBe((Math.floor(before / HOUR) + 1) * HOUR);
    expect(orders).toMatchObject({ schedule: 'At 06:00 Monday to Friday (UTC)', enabled: true });
    expect(new Date(orders?.nextRunAt ?? 0).getUTCHours()).toBe(6);
    expect([1, 2, 3, 4, 5]).toContain(new Date(orders?.nextRunAt ?? 0).getUTCDay());
  });

  it('dry-runs a job: each file with its record match (exact, ambiguous, none), where it would land, and nothing moves', async () => {
    const plan = await host.call('jobs.dryRun', { name: 'invoices' });
    expect(plan.job).toBe('invoices');
    const byPath = new Map(plan.files.map((f) => [f.path, f]));
    expect([...byPath.keys()].sort()).toEqual([AMBIGUOUS, EXACT, UNKNOWN].sort());
    const exact = byPath.get(EXACT)?.deliveries[0];
    expect(exact).toMatchObject({ route: 'accounts', name: EXACT, status: 'planned', match: 'exact', detail: 'new file on the record', replaces: false });
    expect(exact?.target).toMatch(/^org:Account\/\w+\/INV-ACC-10001_0042\.pdf$/);
    expect(byPath.get(AMBIGUOUS)?.deliveries[0]).toMatchObject({ status: 'failed', match: 'ambiguous' });
    const candidates = byPath.get(AMBIGUOUS)?.deliveries[0]?.candidates ?? [];
    expect(candidates).toHaveLength(2);
    expect(new Set(candidates.map((c) => c.id)).size).toBe(2);
    for (const c of candidates) expect(c.name).not.toBe('');
    expect(byPath.get(AMBIGUOUS)?.deliveries[0]?.detail).toMatch(new RegExp(`2 Account records have AccountNumber = '${DEMO_DUPLICATE_ACCOUNT_NUMBER}'`));
    expect(byPath.get(UNKNOWN)?.deliveries[0]).toMatchObject({ status: 'failed', match: 'none' });
    expect((await readdir(join(host.work, 'outbox'))).sort()).toEqual([AMBIGUOUS, EXACT, UNKNOWN].sort());
    expect((await org.admin.state()).records.ContentVersion).toBe(0);
    // A preview is in the history as one, and is not the job's last result.
    expect((await host.call('history.runs', { filter: { job: 'invoices' }, limit: 10 })).runs).toMatchObject([{ id: plan.runId, dryRun: true }]);
    expect((await host.call('jobs.list', {})).jobs.find((j) => j.name === 'invoices')?.lastRun).toBeUndefined();
  });

  it('switches a job off and pauses all schedules, as the daemon reads them, and says so to every window', async () => {
    const seen = host.seen.length;
    expect(await host.call('jobs.setEnabled', { name: 'invoices', enabled: false })).toEqual({ enabled: false });
    let listed = (await host.call('jobs.list', {})).jobs;
    expect(listed.find((j) => j.name === 'invoices')).toMatchObject({ enabled: false });
    expect(listed.find((j) => j.name === 'invoices')?.nextRunAt).toBeUndefined();
    expect(listed.find((j) => j.name === 'orders')?.nextRunAt).toBeDefined();
    expect(readJobSwitches(host.workspace.paths)).toEqual({ disabled: ['invoices'], paused: false });

    expect(await host.call('jobs.pauseSchedules', { paused: true })).toEqual({ paused: true });
    const paused = await host.call('jobs.list', {});
    expect(paused.paused).toBe(true);
    expect(paused.jobs.map((j) => j.nextRunAt)).toEqual([undefined, undefined, undefined]);
    expect(paused.jobs.find((j) => j.name === 'orders')?.enabled).toBe(true);

    await host.call('jobs.pauseSchedules', { paused: false });
    await host.call('jobs.setEnabled', { name: 'invoices', enabled: true });
    listed = (await host.call('jobs.list', {})).jobs;
    expect(listed.find((j) => j.name === 'invoices')?.nextRunAt).toBeDefined();
    expect(host.seen.slice(seen).filter((m) => m.event === 'jobs.changed').map((m) => m.payload)).toEqual([{ job: 'invoices' }, {}, {}, { job: 'invoices' }]);

    const unknown = await host.core.invoke('jobs.setEnabled', { name: 'nightly', enabled: false });
    expect(unknown).toMatchObject({ ok: false, error: { kind: 'notFound', message: `No job named "nightly" in ${jobs}` } });
    const broken = await host.core.invoke('jobs.run', { name: 'broken' });
    expect(broken).toMatchObject({ ok: false, error: { kind: 'config' } });
  });

  it('runs a job now: its files land, its run is in the history and is its last result', async () => {
    await writeFile(join(host.work, 'drop', 'ORD-1.csv'), 'order\n1\n');
    await writeFile(join(host.work, 'drop', 'ORD-2.csv'), 'order\n2\n');
    const seen = host.seen.length;
    const { runId } = await host.call('jobs.run', { name: 'orders' });
    await expect.poll(async () => (await host.call('history.runs', { filter: { job: 'orders' }, limit: 1 })).runs[0]?.status).toBe('succeeded');
    const [run] = (await host.call('history.runs', { filter: { job: 'orders' }, limit: 1 })).runs;
    expect(run).toMatchObject({ id: runId, dryRun: false, files: 2 });
    expect((await readdir(join(host.work, 'erp'))).sort()).toEqual(['ORD-1.csv', 'ORD-2.csv']);
    await expect.poll(() => host.seen.slice(seen).filter((m) => m.event === 'jobs.changed' && m.payload.job === 'orders').length).toBe(2);
    const orders = (await host.call('jobs.list', {})).jobs.find((j) => j.name === 'orders');
    expect(orders).toMatchObject({ running: false, lastRun: { id: runId, status: 'succeeded' } });
  });

  it('refuses to run a job that is running already, naming its run', async () => {
    await writeFile(join(jobs, 'orders.yaml'), ordersJob(host.work, '1h'));
    await writeFile(join(host.work, 'drop', 'ORD-3.csv'), 'order\n3\n');
    const { runId } = await host.call('jobs.run', { name: 'orders' });
    expect((await host.call('jobs.list', {})).jobs.find((j) => j.name === 'orders')).toMatchObject({ running: true });
    const again = await host.core.invoke('jobs.run', { name: 'orders' });
    expect(again).toMatchObject({ ok: false, error: { kind: 'exists', message: `The job "orders" is already running (run ${runId})` } });
    // Closing stops the waiting run at a safe point; the next start takes it up.
    await host.restart();
    const [run] = (await host.call('history.runs', { filter: { job: 'orders' }, limit: 1 })).runs;
    expect(run?.id).toBe(runId);
    expect(await readdir(join(host.work, 'drop'))).toContain('ORD-3.csv');
  });
});
