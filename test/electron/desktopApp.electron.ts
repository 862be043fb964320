import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { ferryPaths } from '../../src/config/ferryHome.js';
import { DEMO_CONNECTIONS } from '../../src/demo/demoConnections.js';
import { DEMO_JOB_NAME } from '../../src/demo/demoJob.js';
import { electronBinary } from '../../src/demo/desktopShell.js';
import { startDemo, type RunningDemo } from '../../src/demo/startDemo.js';
import { ferryPackageFolder } from '../../src/host/http/ferryPackage.js';
import { Workspace } from '../../src/workspace/Workspace.js';

// Run by `npm run test:electron` only, which checks first that the binary is there.
const binary = electronBinary();
/** A demo invoice for Account ACC-10001, Northwind Traders. */
const INVOICE = 'INV-ACC-10001-2026-11-02.csv';

let home: string;
let workspace: Workspace;
let demo: RunningDemo;
let app: ElectronApplication;

beforeAll(async () => {
  if (binary === undefined) throw new Error('No Electron binary: run this through npm run test:electron');
  home = await mkdtemp(join(tmpdir(), 'ferry-electron-'));
  workspace = new Workspace(ferryPaths({ FERRY_HOME: home }), { FERRY_HOME: home });
  demo = await startDemo(workspace);
  // The demo job on a one-minute schedule, so that a run comes while the window is closed.
  const job = parseDocument(await readFile(demo.jobFile, 'utf8'));
  job.set('schedule', { every: '1m' });
  await writeFile(demo.jobFile, job.toString());
  // An unpacked app, without the release fuses that would stop Playwright from driving it.
  app = await _electron.launch({ executablePath: binary, args: [ferryPackageFolder()], env: { ...process.env, FERRY_HOME: home } });
});

afterAll(async () => {
  await demo.close();
  workspace.close();
  await rm(home, { recursive: true, force: true });
});

const pane = (page: Page, side: 'Left' | 'Right'): Locator => page.getByRole('region', { name: new RegExp(`^${side} pane`) });
const row = (page: Page, side: 'Left' | 'Right', name: string): Locator =>
  pane(page, side).getByRole('row', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) });

/** The drag: an invoice from the demo partner's SFTP pane onto its Account in the demo org. */
async function dragInvoiceOntoItsAccount(page: Page): Promise<void> {
  await pane(page, 'Left').getByRole('combobox', { name: 'Connection' }).selectOption(DEMO_CONNECTIONS.sftp);
  await row(page, 'Left', 'invoices').dblclick();
  await pane(page, 'Right').getByRole('combobox', { name: 'Connection' }).selectOption(DEMO_CONNECTIONS.salesforce);
  await row(page, 'Right', 'Account').dblclick();
  await row(page, 'Left', INVOICE).dragTo(row(page, 'Right', 'Northwind Traders'));
  await page.getByRole('dialog').getByRole('button', { name: 'Start transfer' }).click();
  await expect.poll(async () => (await page.getByRole('region', { name: 'Transfers' }).textContent()) ?? '', { timeout: 60_000 }).toMatch(/Done/);
  const history = await workspace.history();
  const copied = history.listRuns({}).filter((run) => run.kind === 'copy').flatMap((run) => history.runItems(run.id, { limit: 5 }));
  expect(copied.map((item) => [item.status, item.targetPath])).toEqual([['copied', expect.stringMatching(new RegExp(`^Account/.+/${INVOICE}$`))]]);
}

describe("Ferry's desktop app in Electron", () => {
  it('opens on the demo, keeps its schedule going with the window closed, and quits', async () => {
    const page = await app.firstWindow();
    expect(page.url()).toBe('app://ferry/index.html');
    await expect.poll(() => page.evaluate(() => document.title)).toMatch(/Ferry/);
    // The window's bridge reaches the core over IPC, answered by the desktop host.
    const info = await page.evaluate(async () => {
      const bridge = (window as unknown as { ferry: { invoke(command: string, input: unknown): Promise<unknown> } }).ferry;
      return bridge.invoke('app.info', {});
    });
    expect(info).toMatchObject({ ok: true, value: { host: 'electron' } });

    await dragInvoiceOntoItsAccount(page);

    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.isVisible()))).toEqual([false]);

    const history = await workspace.history();
    await expect.poll(() => history.listRuns({}).some((run) => run.job === DEMO_JOB_NAME), { timeout: 180_000, interval: 5_000 }).toBe(true);

    const closed = new Promise<void>((resolve) => app.process().once('exit', () => resolve()));
    await app.evaluate(({ app: electronApp }) => electronApp.quit());
    await closed;
  });
});
