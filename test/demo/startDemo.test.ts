import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ferryPaths } from '../../src/config/ferryHome.js';
import { demoFolders, startDemo } from '../../src/demo/startDemo.js';
import { FTP_PARTNER_FILES, SFTP_PARTNER_FILES } from '../../src/demo/partnerFiles.js';
import { DEMO_ACCOUNTS, DEMO_DUPLICATE_ACCOUNT_NUMBER } from '../../src/sandbox/seed/demo.js';
import { Workspace } from '../../src/workspace/Workspace.js';

describe('the demo partners\' invoices', () => {
  const accountsWith = (path: string): number => {
    const number = /^invoices\/INV-(ACC-[^-]+)-/.exec(path)?.[1];
    return DEMO_ACCOUNTS.filter((a) => a.accountNumber === number).length;
  };
  const invoices = [...SFTP_PARTNER_FILES, ...FTP_PARTNER_FILES].filter((f) => f.path.startsWith('invoices/'));

  it('name demo Accounts by their numbers: one misnamed, one whose number two Accounts share, the rest exactly one', () => {
    expect(invoices.map((f) => f.path).every((p) => /^invoices\/INV-ACC-[0-9A-Z]{5}-\d{4}-\d{2}-\d{2}\.csv$/.test(p))).toBe(true);
    const matches = invoices.map((f) => accountsWith(f.path));
    expect(matches.filter((n) => n === 0)).toHaveLength(1);
    expect(matches.filter((n) => n === 2)).toHaveLength(1);
    expect(matches.filter((n) => n === 1)).toHaveLength(invoices.length - 2);
    expect(invoices.find((f) => accountsWith(f.path) === 2)?.path).toContain(DEMO_DUPLICATE_ACCOUNT_NUMBER);
  });
});

describe('preparing the demo workspace', () => {
  let home: string;
  let ws: Workspace;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-demo-prep-'));
    ws = new Workspace(ferryPaths({ FERRY_HOME: home }), { FERRY_HOME: home });
  });
  afterEach(async () => {
    ws.close();
    await rm(home, { recursive: true, force: true });
  });

  const listed = async (connection: string, path: string): Promise<string[]> => {
    const fs = await ws.open(connection);
    try {
      return (await fs.list(path)).map((e) => e.name).sort();
    } finally {
      await fs.close();
    }
  };

  it('keeps what is there on a second start, puts back what went missing, and reconnects to the new ports', async () => {
    const first = await startDemo(ws);
    await first.close();
    const folders = demoFolders(home);
    const changed = join(folders.sftp, 'invoices', 'INV-ACC-10001-2026-11-02.csv');
    await writeFile(changed, 'edited by a coordinator\n');
    await unlink(join(folders.ftp, 'invoices', 'INV-ACC-10009-2026-11-06.csv'));
    const hostKey = await readFile(folders.hostKey, 'utf8');

    const second = await startDemo(ws);
    try {
      expect(await readFile(changed, 'utf8')).toBe('edited by a coordinator\n');
      expect(await listed('partner-ftp', 'invoices')).toContain('INV-ACC-10009-2026-11-06.csv');
      expect(await listed('partner-sftp', 'invoices')).toContain('INV-ACC-10001-2026-11-02.csv');
      expect(await listed('salesforce-demo', 'Account')).toContain('Northwind Traders');
      expect(await readFile(folders.hostKey, 'utf8')).toBe(hostKey);
      // The first start's port is forgotten: known_hosts names only the server as it is now.
      expect((await readFile(ws.paths.knownHosts, 'utf8')).trim().split('\n')).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('refuses a second demo in the same data folder while the first runs, and takes over a claim its ended owner left', async () => {
    const first = await startDemo(ws);
    try {
      const second = await startDemo(ws).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((second as Error).message).toMatch(new RegExp(`already running in this data folder \\(process ${process.pid}\\)`));
      expect(await listed('partner-sftp', 'invoices')).toContain('INV-ACC-10001-2026-11-02.csv');
    } finally {
      await first.close();
    }
    const ended = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => ended.once('exit', resolve));
    await writeFile(demoFolders(home).lock, `${ended.pid ?? ''}\n`);
    const third = await startDemo(ws);
    await third.close();
  });

  it('refuses to replace a connection of the same name that is not the demo\'s, before it starts anything', async () => {
    await ws.saveConnection(
      { name: 'partner-sftp', kind: 'sftp', host: 'sftp.partner.example', port: 22, user: 'ferry', root: '/outbox', hasPassword: false, hasKeyPassphrase: false, useAgent: true, hostKeyPolicy: 'strict' },
      {},
    );
    const refused = await startDemo(ws).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ kind: 'config' });
    expect((refused as Error).message).toMatch(/"partner-sftp" is not the demo's/);
    expect(await ws.connections.get('partner-sftp')).toMatchObject({ host: 'sftp.partner.example', port: 22 });
    expect(await readdir(home)).not.toContain('demo');
  });
});
