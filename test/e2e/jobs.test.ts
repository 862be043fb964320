import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_DUPLICATE_ACCOUNT_NUMBER } from '../../src/sandbox/seed/demo.js';
import { makeScratch } from '../conformance/scratch.js';
import { addOrgConnection, addSftpConnection, seedServerFolder } from '../examples/support.js';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';
import { invoicesToAccountsJob } from '../jobs/invoicesToAccountsJob.js';
import { checkAccessibility } from './axe.js';
import { eventually, screenshot, SIZES, windowWorld, type WindowWorld } from './window.js';

const sftp = inject('servers').sftp;
const EXACT = 'INV-ACC-10001_2026-0042.pdf';
const AMBIGUOUS = `INV-${DEMO_DUPLICATE_ACCOUNT_NUMBER}_2026-0043.pdf`;

/** The partner's invoices on its SFTP server, attached to their Accounts by name every hour. */
const INVOICES_JOB = invoicesToAccountsJob(
  'invoices',
  "'partner-sftp:'",
  `description: The partner's invoices onto their Accounts.
schedule:
  every: 1h
`,
);

/** A coordinator previews a job from the Jobs screen, runs it, and finds its run in History. */
describe('the window: jobs', () => {
  let world: WindowWorld;
  let org: TestOrg;
  let scratch: Awaited<ReturnType<typeof makeScratch>>;

  beforeAll(async () => {
    world = await windowWorld('jobs');
    org = await startTestOrg({ seed: 'demo' });
    scratch = await makeScratch(sftp.home, 'e2e-jobs');
    await seedServerFolder(scratch.path, { [EXACT]: '%PDF-1.4 invoice for Northwind\n', [AMBIGUOUS]: '%PDF-1.4 invoice for two Accounts\n' });
    await addSftpConnection(world, 'partner-sftp', sftp, scratch.path);
    await addOrgConnection(world, 'org', org);
    await mkdir(join(world.home, 'jobs'), { recursive: true });
    await writeFile(join(world.home, 'jobs', 'invoices.yaml'), INVOICES_JOB);
    await writeFile(join(world.home, 'jobs', 'broken.yaml'), 'version: 1\nname: broken\nroutes: []\n');
  });
  afterAll(async () => {
    await world?.close();
    await org?.close();
    await scratch?.remove();
  });

  const openJobs = async (page: Page) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
    const grid = page.getByRole('grid', { name: 'Jobs' });
    await eventually(() => grid.getByRole('row', { name: /^invoices/ }).count()).toBe(1);
    return grid;
  };
  const dryRun = async (page: Page) => {
    const grid = await openJobs(page);
    await grid.getByRole('row', { name: /^invoices/ }).click();
    await page.keyboard.press('Shift+F5');
    const dialog = page.getByRole('dialog', { name: 'Dry run of invoices' });
    const plan = dialog.getByRole('table', { name: 'Dry run of invoices, file by file' });
    await eventually(() => plan.getByRole('row').count()).toBe(3);
    return { dialog, plan };
  };

  it.each((['light', 'dark'] as const).flatMap((colorScheme) => SIZES.map((size) => ({ colorScheme, size }))))('looks right and passes axe ($colorScheme, $size.width×$size.height)', async ({ colorScheme, size }) => {
    const page = await world.open({ colorScheme, size });
    const tag = `${colorScheme}-${size.width}x${size.height}`;
    const grid = await openJobs(page);
    await grid.getByRole('row', { name: /^invoices/ }).click();
    await screenshot(page, `jobs-${tag}`);
    expect(await checkAccessibility(page), `jobs (${tag})`).toEqual([]);
    const { dialog } = await dryRun(page);
    await screenshot(page, `jobs-dry-run-${tag}`);
    expect(await checkAccessibility(page), `dry run (${tag})`).toEqual([]);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.context().close();
    expect(world.pageErrors).toEqual([]);
  });

  it('dry-runs the job, runs it from the window, and shows its run in History', async () => {
    const page = await world.open();
    const grid = await openJobs(page);
    expect(await grid.getByRole('row', { name: /^broken/ }).textContent()).toMatch(/Does not load: .*broken\.yaml/);
    const { dialog, plan } = await dryRun(page);
    const exact = plan.getByRole('row', { name: new RegExp(`^${EXACT}`) });
    expect(await exact.textContent()).toMatch(/ValidWould be delivered|No rules applyWould be delivered/);
    expect(await exact.textContent()).toMatch(/org:Account\/\w+\/INV-ACC-10001_2026-0042\.pdfExactNew file/);
    expect(await plan.getByRole('row', { name: new RegExp(`^${AMBIGUOUS}`) }).textContent()).toMatch(/Would fail2 Account records have .*Ambiguous: .+ \(\w+\), .+ \(\w+\)/);
    expect([...org.sandbox.context.store.all('ContentVersion')]).toHaveLength(0);

    await dialog.getByRole('button', { name: 'Run now' }).click();
    await page.getByText(/^invoices is running \(run \d+\)\.$/).waitFor();
    const row = grid.getByRole('row', { name: /^invoices/ });
    await eventually(async () => (await row.textContent()) ?? '').toMatch(/Partly done/);
    expect([...org.sandbox.context.store.all('ContentVersion')].map((v) => String(v['Title']))).toEqual([expect.stringMatching(/^INV-ACC-10001_2026-0042/)]);

    await row.click();
    await page.getByRole('toolbar', { name: 'Job actions' }).getByRole('button', { name: 'Last run in History' }).click();
    const files = page.getByRole('grid', { name: /^Files of run #\d+/ });
    await eventually(() => files.getByRole('row', { name: new RegExp(`^${EXACT}`) }).count()).toBe(1);
    expect(await files.getByRole('row', { name: new RegExp(`^${EXACT}`) }).textContent()).toMatch(/Copied/);
    expect(world.pageErrors).toEqual([]);
  });
});
