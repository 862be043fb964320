import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeScratch } from '../conformance/scratch.js';
import { addOrgConnection, addSftpConnection, seedServerFolder } from '../examples/support.js';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';
import { checkAccessibility } from './axe.js';
import { eventually, screenshot, SIZES, windowWorld, type WindowWorld } from './window.js';

const sftp = inject('servers').sftp;
const INVOICE = 'INV-ACC-10001-2026-11-02.pdf';

/** After a drag onto an Account, a coordinator finds the run, its file and its checks in the history, and exports them. */
describe('the window: history', () => {
  let world: WindowWorld;
  let org: TestOrg;
  let scratch: Awaited<ReturnType<typeof makeScratch>>;

  beforeAll(async () => {
    world = await windowWorld('history');
    org = await startTestOrg({ seed: 'demo' });
    scratch = await makeScratch(sftp.home, 'e2e-history');
    await seedServerFolder(scratch.path, { [INVOICE]: 'invoice for Northwind' });
    await addSftpConnection(world, 'partner-sftp', sftp, scratch.path);
    await addOrgConnection(world, 'org', org);
  });
  afterAll(async () => {
    await world?.close();
    await org?.close();
    await scratch?.remove();
  });

  const pane = (page: Page, side: 'Left' | 'Right') => page.getByRole('region', { name: new RegExp(`^${side} pane`) });
  const startsWith = (text: string): RegExp => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
  const openHistory = async (page: Page): Promise<void> => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
    await eventually(() => page.getByRole('grid', { name: 'Runs' }).getByRole('row', { name: /^copy/ }).count()).toBeGreaterThan(0);
  };

  it('shows the run of a drag onto an Account, its file with the MD5 Salesforce confirmed, a search for it, and its CSV', async () => {
    const page = await world.open();
    await pane(page, 'Left').getByRole('combobox', { name: 'Connection' }).selectOption('partner-sftp');
    await pane(page, 'Right').getByRole('combobox', { name: 'Connection' }).selectOption('org');
    await pane(page, 'Right').getByRole('row', { name: /^Account/ }).dblclick();
    await eventually(() => pane(page, 'Right').getByRole('row', { name: /^Northwind Traders/ }).count()).toBe(1);
    await pane(page, 'Left').getByRole('row', { name: startsWith(INVOICE) }).dragTo(pane(page, 'Right').getByRole('row', { name: /^Northwind Traders/ }));
    await page.getByRole('dialog').getByRole('button', { name: 'Start transfer' }).click();
    await eventually(async () => (await page.getByRole('region', { name: 'Transfers' }).textContent()) ?? '').toMatch(/Done/);

    await openHistory(page);
    const runs = page.getByRole('grid', { name: 'Runs' });
    expect(await runs.getByRole('row', { name: /^copy/ }).first().textContent()).toMatch(/Succeeded/);
    await runs.getByRole('row', { name: /^copy/ }).first().dblclick();
    const files = page.getByRole('grid', { name: /^Files of run #\d+/ });
    const fileRow = files.getByRole('row', { name: startsWith(INVOICE) });
    await eventually(() => fileRow.count()).toBe(1);
    expect(await fileRow.textContent()).toMatch(/Copied/);
    expect(await fileRow.textContent()).toMatch(/Account\/Northwind Traders[^/]*\/INV-ACC-10001-2026-11-02\.pdf/);
    const md5 = [...org.sandbox.context.store.all('ContentVersion')].map((v) => String(v['Checksum']))[0];
    expect(md5).toMatch(/^[0-9a-f]{32}$/);
    await fileRow.click();
    expect(await page.getByRole('complementary', { name: 'Details' }).textContent()).toContain(`MD5 ${md5 ?? ''}`);

    const search = page.getByRole('search', { name: 'Find a file in every run' });
    await search.getByLabel('File name').fill('ACC-10001');
    await search.getByLabel('File name').press('Enter');
    const hits = page.getByRole('grid', { name: 'Files named like “ACC-10001”' });
    await eventually(() => hits.getByRole('row', { name: startsWith(INVOICE) }).count()).toBe(1);
    await screenshot(page, 'history-search-light-1280x800');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('ferry-search-ACC-10001.csv');
    const csv = (await readFile(await download.path(), 'utf8')).split('\r\n');
    expect(csv[0]).toBe('run_id,job,run_started_at,source_path,target_path,stage,status,bytes,error_kind,reason,verified_by,checksum,duration_ms,updated_at');
    expect(csv.slice(1)).toEqual([expect.stringMatching(new RegExp(`^\\d+,copy,[^,]+,${INVOICE.replaceAll('.', '\\.')},Account/Northwind Traders[^,]*/${INVOICE.replaceAll('.', '\\.')},done,copied,21,,new file,size,md5:${md5 ?? ""},\\d+,`)), '']);
    await page.getByRole('status').filter({ hasText: 'ferry-search-ACC-10001.csv: 1 row exported.' }).waitFor();

    await hits.getByRole('row', { name: startsWith(INVOICE) }).click();
    await page.keyboard.press('Enter');
    const trail = page.getByRole('grid', { name: `The way of ${INVOICE}` });
    await eventually(() => trail.getByRole('row', { name: startsWith(INVOICE) }).count()).toBe(1);
    expect(world.pageErrors).toEqual([]);
  });

  it.each((['light', 'dark'] as const).flatMap((colorScheme) => SIZES.map((size) => ({ colorScheme, size }))))('looks right and passes axe ($colorScheme, $size.width×$size.height)', async ({ colorScheme, size }) => {
    const page = await world.open({ colorScheme, size });
    await openHistory(page);
    const tag = `${colorScheme}-${size.width}x${size.height}`;
    await page.getByRole('grid', { name: 'Runs' }).getByRole('row', { name: /^copy/ }).first().click();
    await screenshot(page, `history-runs-${tag}`);
    expect(await checkAccessibility(page), `runs (${tag})`).toEqual([]);
    await page.keyboard.press('Enter');
    await eventually(() => page.getByRole('grid', { name: /^Files of run/ }).getByRole('row', { name: startsWith(INVOICE) }).count()).toBe(1);
    await page.getByRole('grid', { name: /^Files of run/ }).getByRole('row', { name: startsWith(INVOICE) }).click();
    await screenshot(page, `history-files-${tag}`);
    expect(await checkAccessibility(page), `files (${tag})`).toEqual([]);
    await page.keyboard.press('Enter');
    await eventually(() => page.getByRole('grid', { name: `The way of ${INVOICE}` }).getByRole('row', { name: startsWith(INVOICE) }).count()).toBe(1);
    await screenshot(page, `history-trail-${tag}`);
    expect(await checkAccessibility(page), `trail (${tag})`).toEqual([]);
    await page.context().close();
    expect(world.pageErrors).toEqual([]);
  });
});
