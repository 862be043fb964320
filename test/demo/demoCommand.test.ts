import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ferryPaths } from '../../src/config/ferryHome.js';
import { electronBinary } from '../../src/demo/desktopShell.js';
import { FTP_PARTNER_FILES, SFTP_PARTNER_FILES } from '../../src/demo/partnerFiles.js';
import { COMMANDS, type CommandInput, type CommandName, type CommandOutput } from '../../src/shared/contract/commands.js';
import type { Wire } from '../../src/shared/contract/wire.js';
import { DEMO_DUPLICATE_ACCOUNT_NUMBER } from '../../src/sandbox/seed/demo.js';
import { secretKey } from '../../src/security/secretKeys.js';
import { Workspace } from '../../src/workspace/Workspace.js';
import { send } from '../host/webHostFakes.js';

const ADDRESS = /^Ferry is open at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]+)) \(Ctrl-C stops it\)$/m;
const NOTICE = /not installed here.*browser/;
const RULE = 'INV-{AccountNumber}-{*}';

const namesIn = (files: ReadonlyArray<{ path: string }>, folder: string): string[] =>
  files.filter((f) => f.path.startsWith(`${folder}/`)).map((f) => f.path.slice(folder.length + 1)).sort();

/**
 * `npm start` as a newcomer meets it, on a machine without Electron's download (as build machines are):
 * the built `ferry demo` in a process of its own (build first with `npm run build`).
 */
describe.skipIf(electronBinary() !== undefined)('ferry demo, as npm start runs it', () => {
  let home: string;
  let demo: ChildProcess;
  let out = '';
  let err = '';
  let port = 0;
  let cookie = '';
  let exitCode: Promise<number | null>;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-demo-home-'));
    demo = spawn(process.execPath, ['bin/ferry.js', 'demo'], { env: { ...process.env, FERRY_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    exitCode = new Promise((resolve) => demo.once('exit', (code) => resolve(code)));
    demo.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    const address = await new Promise<RegExpExecArray>((resolve, reject) => {
      demo.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        const match = ADDRESS.exec(out);
        if (match !== null) resolve(match);
      });
      demo.once('exit', () => reject(new Error(`ferry demo ended early:\n${out}\n${err}`)));
    });
    port = Number(address[2]);
    const signIn = await send(port, { path: `/?token=${address[3] ?? ''}` });
    cookie = signIn.headers['set-cookie']?.[0]?.split(';')[0] ?? '';
  });
  afterAll(async () => {
    if (demo?.exitCode === null) {
      demo.kill('SIGKILL');
      await exitCode;
    }
    await rm(home, { recursive: true, force: true });
  });

  /** One command through the web host, as the window's page sends it. */
  async function api<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
    const answer = await send(port, {
      method: 'POST',
      path: `/api/${command}`,
      headers: { Cookie: cookie, 'X-Ferry': '1', 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${port}` },
      body: JSON.stringify(input),
    });
    const wire = JSON.parse(answer.body) as Wire<unknown>;
    if (!wire.ok) throw new Error(`${command}: ${wire.error.message}`);
    // The schema checks the value; TypeScript cannot tie the generic schema's result to C.
    return COMMANDS[command].output.parse(wire.value) as CommandOutput<C>;
  }

  /** The names in a folder, in code-point order whatever order the window shows them in. */
  const list = async (connection: string, path: string): Promise<string[]> =>
    (await api('files.list', { connection, path, offset: 0, limit: 5000, sort: { by: 'name', direction: 'asc' } })).entries.map((e) => e.name).sort();

  it('says in one line that the window opens in the browser, then prints its address', () => {
    expect(out.split('\n').filter((line) => NOTICE.test(line))).toHaveLength(1);
    expect(out.indexOf('not installed here')).toBeLessThan(out.search(ADDRESS));
    expect(cookie).not.toBe('');
  });

  it('serves the demo workspace with the three connections made', async () => {
    expect((await api('app.info', {})).dataFolder).toBe(home);
    const connections = (await api('connections.list', {})).connections;
    expect(connections.map((c) => [c.name, c.kind]).sort()).toEqual([
      ['partner-ftp', 'ftp'],
      ['partner-sftp', 'sftp'],
      ['salesforce-demo', 'salesforce'],
    ]);
  });

  it('lists the partners\' files on SFTP and FTP, and the Accounts of the sandbox', async () => {
    expect(await list('partner-sftp', '')).toEqual(['delivery notes', 'invoices', 'orders']);
    expect(await list('partner-sftp', 'invoices')).toEqual(namesIn(SFTP_PARTNER_FILES, 'invoices'));
    expect(await list('partner-ftp', 'invoices')).toEqual(namesIn(FTP_PARTNER_FILES, 'invoices'));
    expect(await list('salesforce-demo', 'Account')).toEqual(expect.arrayContaining(['Northwind Traders', 'Wide World Importers', 'Contoso Manufacturing']));
  });

  it('keeps a random password per server in the secret store only: not in the settings, not in its output', async () => {
    const ws = new Workspace(ferryPaths({ FERRY_HOME: home }), { FERRY_HOME: home });
    const passwords = await Promise.all(['partner-sftp', 'partner-ftp'].map((name) => ws.secrets.get(secretKey(name, 'password'))));
    const settings = await readFile(join(home, 'connections.json'), 'utf8');
    for (const password of passwords) {
      expect(password?.length).toBeGreaterThanOrEqual(20);
      expect(settings).not.toContain(password);
      expect(out + err).not.toContain(password);
    }
    expect(passwords[0]).not.toBe(passwords[1]);
  });

  it('previews the misnamed and the ambiguous invoice as the naming rule finds them', async () => {
    const misnamed = SFTP_PARTNER_FILES.map((f) => f.path).find((p) => p.includes('1OO05')) ?? '';
    const ambiguous = `invoices/INV-${DEMO_DUPLICATE_ACCOUNT_NUMBER}-2026-11-04.csv`;
    const preview = await api('transfers.preview', {
      source: { connection: 'partner-sftp', paths: [misnamed, ambiguous, 'invoices/INV-ACC-10003-2026-11-03.csv'] },
      target: { connection: 'salesforce-demo', path: 'Account' },
      move: false,
      conflict: 'changed',
      attachBy: RULE,
    });
    expect(preview.items.map((i) => [i.source.split('/').pop(), i.action, i.match])).toEqual(
      expect.arrayContaining([
        ['INV-ACC-1OO05-2026-11-05.csv', 'fail', 'none'],
        [`INV-${DEMO_DUPLICATE_ACCOUNT_NUMBER}-2026-11-04.csv`, 'fail', 'ambiguous'],
        ['INV-ACC-10003-2026-11-03.csv', 'new', 'exact'],
      ]),
    );
  });

  it('attaches an invoice dragged from the partner\'s SFTP onto its Account by account number', async () => {
    const { id } = await api('transfers.start', {
      source: { connection: 'partner-sftp', paths: ['invoices/INV-ACC-10001-2026-11-02.csv'] },
      target: { connection: 'salesforce-demo', path: 'Account' },
      move: false,
      conflict: 'changed',
      attachBy: RULE,
    });
    let state = 'queued';
    while (state === 'queued' || state === 'running') {
      await sleep(100);
      state = (await api('transfers.list', {})).transfers.find((t) => t.id === id)?.state ?? 'missing';
    }
    expect(state).toBe('done');
    expect(await list('salesforce-demo', 'Account/Northwind Traders')).toContain('INV-ACC-10001-2026-11-02.csv');
  });

  it('stops everything it started on Ctrl-C', async () => {
    const settings = JSON.parse(await readFile(join(home, 'connections.json'), 'utf8')) as { connections: Array<{ name: string; port?: number; loginUrl?: string }> };
    const ports = [
      port,
      ...settings.connections.flatMap((c) => (c.port === undefined ? [] : [c.port])),
      ...settings.connections.flatMap((c) => (c.loginUrl === undefined ? [] : [Number(new URL(c.loginUrl).port)])),
    ];
    expect(ports).toHaveLength(4);
    for (const p of ports) expect(await isOpen(p)).toBe(true);
    // Bound to 127.0.0.1 itself, not to every address: another loopback address finds nothing there.
    for (const p of ports) expect(await isOpen(p, '127.0.0.2')).toBe(false);
    demo.kill('SIGINT');
    expect(await exitCode).toBe(0);
    expect(err).toMatch(/Demo stopped\./);
    for (const p of ports) expect(await isOpen(p)).toBe(false);
    // Its claim on the data folder goes too: the next npm start starts at once.
    expect(await readdir(join(home, 'demo'))).not.toContain('running.pid');
  });
});

function isOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
