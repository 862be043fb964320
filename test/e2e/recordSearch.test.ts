import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgConnection } from '../examples/support.js';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';
import { checkAccessibility } from './axe.js';
import { eventually, screenshot, SIZES, windowWorld, type WindowWorld } from './window.js';

/** The record search box over the demo org, where one account-number prefix matches more Accounts than a page holds. */
describe('the window: searching records past the first page', () => {
  let world: WindowWorld;
  let org: TestOrg;

  beforeAll(async () => {
    world = await windowWorld('record-search');
    org = await startTestOrg({ seed: 'demo' });
    await addOrgConnection(world, 'org', org);
  });
  afterAll(async () => {
    await world?.close();
    await org?.close();
  });

  const pane = (page: Page) => page.getByRole('region', { name: /^Left pane/ });
  const found = (page: Page) => pane(page).getByRole('listbox', { name: 'Account records found' }).getByRole('option');

  async function searchAccounts(page: Page): Promise<void> {
    await pane(page).getByRole('combobox', { name: 'Connection' }).selectOption('org');
    await pane(page).getByRole('row', { name: /^Account/ }).first().dblclick();
    await pane(page).getByRole('combobox', { name: 'Search Account records' }).fill('ACC-100');
    await eventually(() => found(page).count()).toBe(21);
  }

  it('shows twenty records and Show more, which the keyboard reaches and opens the next page with', async () => {
    const page = await world.open();
    await searchAccounts(page);
    expect(await found(page).last().textContent()).toBe('Show more Account records');
    const search = pane(page).getByRole('combobox', { name: 'Search Account records' });
    for (let i = 0; i < 20; i++) await search.press('ArrowDown');
    await eventually(() => found(page).last().getAttribute('aria-selected')).toBe('true');
    await search.press('Enter');
    await eventually(async () => (await found(page).count()) > 21).toBe(true);
    const active = await search.getAttribute('aria-activedescendant');
    expect(await page.locator(`[id="${active ?? ''}"]`).getAttribute('aria-selected')).toBe('true');
    expect(world.pageErrors).toEqual([]);
  });

  it('looks right in both themes and sizes, with no serious accessibility violation', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const size of SIZES) {
        const page = await world.open({ colorScheme, size });
        await searchAccounts(page);
        await pane(page).getByRole('combobox', { name: 'Search Account records' }).press('ArrowUp');
        await screenshot(page, `record-search-more-${colorScheme}-${size.width}x${size.height}`);
        expect(await checkAccessibility(page)).toEqual([]);
      }
    }
  });
});
