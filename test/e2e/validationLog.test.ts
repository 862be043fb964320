import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeScratch } from '../conformance/scratch.js';
import { addSftpConnection, seedServerFolder } from '../examples/support.js';
import { inboundOrdersJob } from '../jobs/inboundOrdersJob.js';
import { checkAccessibility } from './axe.js';
import { eventually, screenshot, SIZES, windowWorld, type WindowWorld } from './window.js';

const sftp = inject('servers').sftp;

/** Files a real job run validated, explained and dealt with in the window, and a partner's resubmission. */
describe('the window: validation log', () => {
  let world: WindowWorld;
  let work: string;
  let scratch: Awaited<ReturnType<typeof makeScratch>>;

  const run = async (): Promise<void> => {
    const ran = await world.ferry(['run', 'inbound']);
    expect(ran.code, ran.err).toBe(0);
  };

  beforeAll(async () => {
    world = await windowWorld('validation');
    work = await mkdtemp(join(tmpdir(), 'ferry-e2e-validation-work-'));
    scratch = await makeScratch(sftp.home, 'e2e-validation');
    await seedServerFolder(scratch.path, {
      'outbox/ORD-ACME-60.csv': 'order,sku,qty\n60,ABC-123,0\n',
      'outbox/ORD-ACME-61.csv': 'order,sku,qty\n61,abc,1\n',
      'outbox/ORD-ACME-62.csv': 'order,sku,qty\n62,xyz,2\n',
      'outbox/ord_acme_63.csv': 'order,sku,qty\n63,ABC-123,3\n',
      'outbox/ORD-BETA-64.csv': 'order,sku,qty\n64,ABC-123,4\n',
      'rejected/README.txt': 'Files Ferry sent back, each with a note.\n',
    });
    await addSftpConnection(world, 'partner-sftp', sftp, scratch.path);
    await mkdir(world.workspace.paths.jobs, { recursive: true });
    // The orders come from the partner's real SFTP server, and a returned file goes back to its `rejected` folder.
    await writeFile(join(world.workspace.paths.jobs, 'inbound.yaml'), inboundOrdersJob(work, 'partner-sftp:/rejected/', 'partner-sftp:/outbox'));
    await run();
    const journal = (await world.workspace.history()).journal();
    expect(journal.quarantined().map((q) => q.file).sort()).toEqual(['ORD-ACME-60.csv', 'ORD-ACME-61.csv', 'ORD-ACME-62.csv', 'ord_acme_63.csv']);
  });
  afterAll(async () => {
    await world?.close();
    await scratch?.remove();
    await rm(work, { recursive: true, force: true });
  });

  const grid = (page: Page) => page.getByRole('grid', { name: 'Validated files' });
  const details = (page: Page) => page.getByRole('complementary', { name: 'Validated file' });
  const row = (page: Page, name: RegExp) => grid(page).getByRole('row', { name });
  const openLog = async (page: Page, rows: number): Promise<void> => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Validation log' }).click();
    await eventually(() => grid(page).getByRole('row', { name: /^(ORD|ord)/ }).count()).toBe(rows);
  };
  const lastAction = async (page: Page): Promise<string> => (await page.getByRole('status', { name: 'Last action' }).textContent()) ?? '';

  it('lists passed and refused files, explains one down to line and column, and returns it to the partner with a note on its server', async () => {
    const page = await world.open();
    await openLog(page, 5);
    expect(await row(page, /^ORD-BETA-64\.csv/).textContent()).toMatch(/inboundBETA.*Passed/);
    await row(page, /^ord_acme_63\.csv/).dblclick();
    await eventually(async () => (await details(page).textContent()) ?? '').toMatch(/name: .*ord_acme_63\.csv/);

    await row(page, /^ORD-ACME-60\.csv/).dblclick();
    await eventually(async () => (await details(page).textContent()) ?? '').toMatch(/Line 2, column 3 — csv:/);
    expect(await details(page).getByLabel('First lines of ORD-ACME-60.csv').textContent()).toBe('1  order,sku,qty\n2  60,ABC-123,0\n');
    await details(page).getByLabel('Note to the partner').fill('The quantity must be at least 1.');
    await details(page).getByRole('button', { name: 'Return to partner' }).click();
    await eventually(() => lastAction(page)).toMatch(/ORD-ACME-60\.csv: returned/);
    expect(await readFile(join(scratch.path, 'rejected', 'ORD-ACME-60.csv'), 'utf8')).toBe('order,sku,qty\n60,ABC-123,0\n');
    const note = await readFile(join(scratch.path, 'rejected', 'ORD-ACME-60.csv.rejected.txt'), 'utf8');
    expect(note).toMatch(/csv: .*line 2, column 3/);
    expect(note).toMatch(/The quantity must be at least 1\./);
    await eventually(async () => (await row(page, /^ORD-ACME-60\.csv/).textContent()) ?? '').toMatch(/Returned/);
    expect(world.pageErrors).toEqual([]);
  });

  it('releases a selection at once', async () => {
    const page = await world.open();
    await openLog(page, 5);
    for (const name of ['ORD-ACME-61.csv', 'ORD-ACME-62.csv']) await row(page, new RegExp(`^${name.replace('.', '\\.')}`)).getByRole('checkbox', { name: `Select ${name}` }).check();
    await page.getByRole('group', { name: 'Act on 2 selected' }).getByRole('button', { name: 'Release' }).click();
    await eventually(() => lastAction(page)).toMatch(/ORD-ACME-61\.csv: released.*ORD-ACME-62\.csv: released/);
    expect(await readFile(join(work, 'erp', 'ACME', 'ACME-61.csv'), 'utf8')).toBe('order,sku,qty\n61,abc,1\n');
    expect(await readFile(join(work, 'erp', 'ACME', 'ACME-62.csv'), 'utf8')).toBe('order,sku,qty\n62,xyz,2\n');
    await page.getByRole('form', { name: 'Filter the validation log' }).getByLabel('Outcome').selectOption('released');
    await page.getByRole('form', { name: 'Filter the validation log' }).getByRole('button', { name: 'Show files' }).click();
    await eventually(() => grid(page).getByRole('row', { name: /^ORD/ }).allTextContents()).toEqual([expect.stringMatching(/^ORD-ACME-6[12]\.csv.*Released/), expect.stringMatching(/^ORD-ACME-6[12]\.csv.*Released/)]);
    expect(world.pageErrors).toEqual([]);
  });

  it('links the corrected file the partner sends again to the one returned, both ways', async () => {
    await seedServerFolder(scratch.path, { 'outbox/ORD-ACME-60.csv': 'order,sku,qty\n60,ABC-123,10\n' });
    await run();
    const page = await world.open();
    await openLog(page, 6);
    await row(page, /^ORD-ACME-60\.csv.*Returned/).dblclick();
    const resubmitted = details(page).getByRole('link', { name: 'ORD-ACME-60.csv' });
    await eventually(async () => (await resubmitted.locator('..').textContent()) ?? '').toBe('Resubmitted as ORD-ACME-60.csv');
    await resubmitted.press('Enter');
    await eventually(async () => (await details(page).textContent()) ?? '').toMatch(/Passed\. Read from partner-sftp:\/outbox\/ORD-ACME-60\.csv/);
    expect(await details(page).getByRole('link', { name: 'ORD-ACME-60.csv' }).locator('..').textContent()).toBe('Resubmission of ORD-ACME-60.csv');
    expect(await readFile(join(work, 'erp', 'ACME', 'ACME-60.csv'), 'utf8')).toBe('order,sku,qty\n60,ABC-123,10\n');
    expect(world.pageErrors).toEqual([]);
  });

  it.each((['light', 'dark'] as const).flatMap((colorScheme) => SIZES.map((size) => ({ colorScheme, size }))))('looks right and passes axe ($colorScheme, $size.width×$size.height)', async ({ colorScheme, size }) => {
    const page = await world.open({ colorScheme, size });
    await openLog(page, 6);
    const tag = `${colorScheme}-${size.width}x${size.height}`;
    await screenshot(page, `validation-log-${tag}`);
    expect(await checkAccessibility(page), tag).toEqual([]);
    await row(page, /^ORD-ACME-60\.csv.*Returned/).dblclick();
    await eventually(() => details(page).getByRole('link', { name: 'ORD-ACME-60.csv' }).count()).toBe(1);
    await screenshot(page, `validation-log-entry-${tag}`);
    expect(await checkAccessibility(page), tag).toEqual([]);
    await page.context().close();
    expect(world.pageErrors).toEqual([]);
  });
});
