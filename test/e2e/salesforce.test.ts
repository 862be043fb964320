import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RunId } from '../../src/history/records.js';
import { DEMO_DUPLICATE_ACCOUNT_NUMBER } from '../../src/sandbox/seed/demo.js';
import { COMMANDS } from '../../src/shared/contract/commands.js';
import { makeScratch } from '../conformance/scratch.js';
import { addOrgConnection, addSftpConnection, seedServerFolder } from '../examples/support.js';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';
import { eventually, screenshot, windowWorld, type WindowWorld } from './window.js';

const sftp = inject('servers').sftp;

/** The job Ferry exists for: invoices on a partner's SFTP server, dragged onto Accounts in Salesforce. */
describe('the window: from a partner server onto Salesforce records', () => {
  let world: WindowWorld;
  let org: TestOrg;
  let scratch: Awaited<ReturnType<typeof makeScratch>>;
  const ambiguous = `INV-${DEMO_DUPLICATE_ACCOUNT_NUMBER}-2026-11-03.pdf`;

  beforeAll(async () => {
    world = await windowWorld('salesforce');
    org = await startTestOrg({ seed: 'demo' });
    scratch = await makeScratch(sftp.home, 'e2e-salesforce');
    await seedServerFolder(scratch.path, {
      'INV-ACC-10001-2026-11-02.pdf': 'invoice for Northwind',
      'INV-ACC-10003-2026-11-02.pdf': 'invoice for Fabrikam',
      [ambiguous]: 'whose invoice?',
    });
    await addSftpConnection(world, 'partner-sftp', sftp, scratch.path);
    await addOrgConnection(world, 'org', org);
  });
  afterAll(async () => {
    await world?.close();
    await org?.close();
    await scratch?.remove();
  });

  const pane = (page: Page, side: 'Left' | 'Right') => page.getByRole('region', { name: new RegExp(`^${side} pane`) });
  const row = (page: Page, side: 'Left' | 'Right', name: string | RegExp) =>
    pane(page, side).getByRole('row', { name: typeof name === 'string' ? new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) : name });

  async function openBoth(page: Page): Promise<void> {
    await pane(page, 'Left').getByRole('combobox', { name: 'Connection' }).selectOption('partner-sftp');
    await pane(page, 'Right').getByRole('combobox', { name: 'Connection' }).selectOption('org');
    await row(page, 'Right', 'Account').dblclick();
    await eventually(() => row(page, 'Right', 'Northwind Traders').count()).toBe(1);
  }

  it('drags an invoice onto its Account: the preview says where it lands, then it is on the record and in the history', async () => {
    const page = await world.open();
    await openBoth(page);
    await row(page, 'Left', 'INV-ACC-10001-2026-11-02.pdf').dragTo(row(page, 'Right', 'Northwind Traders'));
    const dialog = page.getByRole('dialog');
    await eventually(() => dialog.getByText(/Northwind Traders|New file/).count()).toBeGreaterThan(0);
    await screenshot(page, 'preview-record-light-1280x800');
    await dialog.getByRole('button', { name: 'Start transfer' }).click();
    await eventually(async () => (await page.getByRole('region', { name: 'Transfers' }).textContent()) ?? '').toMatch(/Done/);
    await row(page, 'Right', 'Northwind Traders').dblclick();
    await eventually(() => row(page, 'Right', 'INV-ACC-10001-2026-11-02.pdf').count()).toBe(1);
    await screenshot(page, 'record-files-light-1280x800');
    const history = await world.workspace.history();
    const [run] = history.listRuns({ limit: 1 });
    expect(run).toMatchObject({ kind: 'copy', status: 'succeeded', files: 1 });
    expect(history.runItems(run?.id as RunId, { limit: 5 }).map((i) => [i.status, i.targetPath])).toEqual([['copied', expect.stringMatching(/^Account\/.+\/INV-ACC-10001-2026-11-02\.pdf$/)]]);
  });

  it('previews a drop onto the Account object by a naming rule: an ambiguous file is shown and not sent', async () => {
    const page = await world.open({ colorScheme: 'dark' });
    await pane(page, 'Left').getByRole('combobox', { name: 'Connection' }).selectOption('partner-sftp');
    await pane(page, 'Right').getByRole('combobox', { name: 'Connection' }).selectOption('org');
    await eventually(() => row(page, 'Right', 'Account').count()).toBe(1);
    await row(page, 'Left', 'INV-ACC-10003-2026-11-02.pdf').click();
    await row(page, 'Left', ambiguous).click({ modifiers: ['Control'] });
    await row(page, 'Left', ambiguous).dragTo(row(page, 'Right', 'Account'));
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox').fill('INV-{AccountNumber}-{*}');
    await dialog.getByRole('button', { name: 'Preview again' }).click();
    await eventually(async () => (await dialog.textContent()) ?? '').toMatch(/2 Account records have/);
    await screenshot(page, 'preview-ambiguous-dark-1280x800');
    await dialog.getByRole('button', { name: 'Start transfer' }).click();
    const titles = (): string[] => [...org.sandbox.context.store.all('ContentVersion')].map((r) => String(r['Title']));
    await eventually(titles).toContain('INV-ACC-10003-2026-11-02');
    const stateOfBatch = async (): Promise<string | undefined> => {
      const listed = await world.core.invoke('transfers.list', {});
      const parsed = listed.ok ? COMMANDS['transfers.list'].output.parse(listed.value) : undefined;
      return parsed?.transfers.find((t) => t.label === 'Copy INV-ACC-10003-2026-11-02.pdf from partner-sftp to org: Account' && !t.move)?.state;
    };
    await eventually(stateOfBatch).toBe('done');
    expect(titles().filter((t) => t.includes(DEMO_DUPLICATE_ACCOUNT_NUMBER))).toEqual([]);
  });
});
