import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_DUPLICATE_ACCOUNT_NUMBER } from '../../src/sandbox/seed/demoData.js';
import { makeScratch } from '../conformance/scratch.js';
import { addOrgConnection, addSftpConnection, seedServerFolder } from '../examples/support.js';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';
import { checkAccessibility } from './axe.js';
import { eventually, screenshot, SIZES, windowWorld, type WindowWorld } from './window.js';

const sftp = inject('servers').sftp;

const AMBIGUOUS = `INV-${DEMO_DUPLICATE_ACCOUNT_NUMBER}-2026-11-03.pdf`;

/** A job whose route files the partner's invoices on their Accounts, as a coordinator's would. */
const JOB = `version: 1
# The partner's invoices, each on its Account.
name: partner-invoices
source:
  location: partner-sftp:invoices
routes:
  - name: to-accounts
    to: org:Account/
    attachBy: 'INV-{AccountNumber}-{*}'   # the number is in the name
`;

/** The naming-rule editor against `ferry serve`, the sandbox org and a partner's real SFTP folder. */
describe('the window: trying a naming rule on a partner folder', () => {
  let world: WindowWorld;
  let org: TestOrg;
  let scratch: Awaited<ReturnType<typeof makeScratch>>;

  beforeAll(async () => {
    world = await windowWorld('naming');
    org = await startTestOrg({ seed: 'demo' });
    scratch = await makeScratch(sftp.home, 'e2e-naming');
    await seedServerFolder(scratch.path, {
      'invoices/INV-ACC-10001-2026-11-02.pdf': 'invoice for Northwind',
      [`invoices/${AMBIGUOUS}`]: 'whose invoice?',
      'invoices/INV-ACC-1OO05-2026-11-04.pdf': 'a letter O for a zero',
      'invoices/remittance.txt': 'not an invoice',
    });
    await addSftpConnection(world, 'partner-sftp', sftp, scratch.path);
    await addOrgConnection(world, 'org', org);
    await mkdir(world.workspace.paths.jobs, { recursive: true });
    await writeFile(join(world.workspace.paths.jobs, 'partner-invoices.yaml'), JOB);
  });
  afterAll(async () => {
    await world?.close();
    await org?.close();
    await scratch?.remove();
  });

  /** Opens the editor from the navigation and loads the job route's rule and folder. */
  async function openRoute(page: Page): Promise<void> {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Naming rules' }).click();
    const form = page.getByRole('form', { name: 'Naming rule' });
    const routes = form.getByLabel('Job route');
    await eventually(() => routes.getByRole('option').count()).toBe(2);
    await routes.selectOption('partner-invoices.yaml#to-accounts');
    await eventually(() => form.getByLabel('Rule', { exact: true }).inputValue()).toBe('INV-{AccountNumber}-{*}');
    await eventually(() => page.getByRole('grid', { name: 'Names tried' }).getByRole('row').count()).toBe(5);
  }

  const row = (page: Page, name: string) => page.getByRole('grid', { name: 'Names tried' }).getByRole('row', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) });

  it("shows what a job route's rule makes of the partner's real files: an exact match, an ambiguous one with its candidates, none, and the cost", async () => {
    const page = await world.open();
    await openRoute(page);
    await eventually(async () => (await row(page, 'INV-ACC-10001-2026-11-02.pdf').textContent()) ?? '').toMatch(/ACC-10001.*Exact.*Northwind Traders/);
    const ambiguous = row(page, AMBIGUOUS);
    expect(await ambiguous.textContent()).toMatch(/Ambiguous.*2 records fit/);
    expect((await ambiguous.getByRole('list').getByRole('listitem').allTextContents()).map((t) => t.replace(/ \w{18}$/, '')).sort()).toEqual([
      'Contoso Manufacturing',
      'Contoso Manufacturing de México',
    ]);
    expect(await row(page, 'INV-ACC-1OO05-2026-11-04.pdf').textContent()).toMatch(/No record.*No Account has/);
    expect(await row(page, 'remittance.txt').textContent()).toMatch(/Does not fit/);
    expect(await page.getByRole('status', { name: 'Result and cost' }).textContent()).toMatch(
      /^4 names: 1 exact, 1 ambiguous, 1 with no record, 1 not fitting the rule\. Resolving them took 1 SOQL query reading 3 records \(2 API calls; the org has used [\d,]+ of its [\d,]+ daily API calls\)\.$/,
    );
    expect(await checkAccessibility(page)).toEqual([]);
    expect(world.pageErrors).toEqual([]);
  });

  it('marks where a rule typed wrong goes wrong, then tries the corrected rule on names typed beside the folder', async () => {
    const page = await world.open({ colorScheme: 'dark' });
    await openRoute(page);
    const form = page.getByRole('form', { name: 'Naming rule' });
    const rule = form.getByLabel('Rule', { exact: true });
    await rule.fill('INV-{AccountNumber-{*}');
    await eventually(() => rule.getAttribute('aria-invalid')).toBe('true');
    const problem = (await rule.getAttribute('aria-describedby'))?.split(' ')[0] ?? '';
    expect(await page.locator(`[id="${problem}"] > span`).textContent()).toBe('At character 5: "{" does not open or close a placeholder.');
    await screenshot(page, 'naming-rules-invalid-dark-1280x800');
    await rule.fill('INV-{AccountNumber}-{date}.pdf');
    await form.getByLabel('Names to try', { exact: true }).fill('INV-ACC-10003-2026-11-05.pdf');
    await eventually(async () => (await row(page, 'INV-ACC-10003-2026-11-05.pdf').textContent()) ?? '').toMatch(/\(typed\).*Exact.*Fabrikam Logistics/);
    expect(await checkAccessibility(page)).toEqual([]);
  });

  it('looks right in both themes at both sizes', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const size of SIZES) {
        const page = await world.open({ colorScheme, size });
        await openRoute(page);
        await eventually(() => row(page, AMBIGUOUS).getByRole('listitem').count()).toBe(2);
        await screenshot(page, `naming-rules-${colorScheme}-${size.width}x${size.height}`);
        await page.close();
      }
    }
    expect(world.pageErrors).toEqual([]);
  });
});
