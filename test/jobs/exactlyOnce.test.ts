import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_DUPLICATE_ACCOUNT_NUMBER } from '../../src/sandbox/seed/demo.js';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';
import { jobWorld, type JobWorld } from './harness.js';
import { invoicesToAccountsJob } from './invoicesToAccountsJob.js';

const FILES = 500;

interface VersionRow {
  readonly Title: string;
  readonly VersionNumber: string;
}

/**
 * The promise the history's run journal makes: a run killed at any point (kill -9, no chance to clean
 * up) and started again delivers every file exactly once. Salesforce makes a duplicate visible: a second
 * upload of a file becomes version 2 of its document.
 */
describe('a 500-file run to Salesforce killed at random points', () => {
  let world: JobWorld;
  let org: TestOrg;
  const accounts = DEMO_ACCOUNTS.flatMap((a) => (a.accountNumber === null || a.accountNumber === DEMO_DUPLICATE_ACCOUNT_NUMBER ? [] : [a.accountNumber])).slice(0, 5);

  beforeAll(async () => {
    world = await jobWorld('exactly-once');
    org = await startTestOrg({ seed: 'demo', port: 0 });
    const { sandbox } = org;
    const connect = await world.ferry([
      'connection', 'salesforce', 'org', '--login', sandbox.url, '--client-id', sandbox.jwt.clientId,
      '--jwt-key', sandbox.jwt.keyFile, '--username', sandbox.context.defaultUser.username,
    ]);
    expect(connect.code, connect.err).toBe(0);
    await mkdir(join(world.work, 'outbox'));
    for (let i = 0; i < FILES; i++) {
      const account = accounts[i % accounts.length] ?? '';
      await writeFile(join(world.work, 'outbox', `INV-${account}_${String(i).padStart(4, '0')}.pdf`), `%PDF-1.4 invoice ${i} for ${account}\n`);
    }
    await world.job(
      invoicesToAccountsJob(
        'invoices-to-accounts',
        './outbox',
        `after:
  source: delete
concurrency: 8
`,
      ),
    );
  });
  afterAll(async () => {
    await org?.close();
    await world?.close();
  });

  /** Starts `ferry run` in its own process; kills it with SIGKILL once `killWhen` holds, or lets it finish. */
  const runFerry = async (killWhen?: () => Promise<boolean>): Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }> => {
    const env: NodeJS.ProcessEnv = { ...process.env, FERRY_HOME: world.home };
    for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete env[name];
    const child = spawn(process.execPath, ['bin/ferry.js', 'run', join(world.work, 'job.yaml')], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    if (killWhen !== undefined) {
      let done = false;
      void exited.then(() => (done = true));
      while (!done) {
        if (await killWhen()) {
          child.kill('SIGKILL');
          break;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    return { ...(await exited), err };
  };

  const versions = async (): Promise<number> => (await org.admin.state()).records.ContentVersion;

  it('delivers every file once, however often it is killed', async () => {
    const firstKill = 1 + Math.floor(Math.random() * 200);
    const secondKill = firstKill + 1 + Math.floor(Math.random() * 250);
    const first = await runFerry(async () => (await versions()) >= firstKill);
    expect(first.signal, `first run ended before it was killed (${first.code}): ${first.err}`).toBe('SIGKILL');
    const second = await runFerry(async () => (await versions()) >= secondKill);
    expect(second.signal, `second run ended before it was killed: ${second.err}`).toBe('SIGKILL');
    const last = await runFerry();
    expect(last.code, `kills after ${firstKill} and ${secondKill} files: ${last.err}`).toBe(0);
    expect(last.err).toMatch(/resuming the interrupted run/);

    const rows = await org
      .session()
      .query<VersionRow>('SELECT Title, VersionNumber FROM ContentVersion', 'all versions');
    const titles = rows.map((r) => r.Title);
    expect(new Set(titles).size, `kills after ${firstKill} and ${secondKill} files`).toBe(FILES);
    expect(titles).toHaveLength(FILES);
    expect(rows.filter((r) => r.VersionNumber !== '1')).toEqual([]);
    expect(await readdir(join(world.work, 'outbox'))).toEqual([]);

    const history = await world.workspace.history();
    const [run, ...older] = history.listRuns({ job: 'invoices-to-accounts' });
    expect(older).toEqual([]);
    expect(run).toMatchObject({ status: 'succeeded', files: FILES, failed: 0 });
    const items = history.runItems(run?.id ?? (0 as never), { limit: FILES + 10 });
    expect(items).toHaveLength(FILES);
    expect(items.filter((i) => i.stage !== 'done')).toEqual([]);
  });
});
