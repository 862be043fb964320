import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAccessibility } from './axe.js';
import { eventually, screenshot, SIZES, windowWorld, type WindowWorld } from './window.js';

/** The field's messages: the elements its aria-describedby names. */
async function describedBy(field: Locator): Promise<string> {
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter((id) => id !== '');
  const page = field.page();
  const texts = await Promise.all(ids.map(async (id) => (await page.locator(`[id="${id}"]`).textContent()) ?? ''));
  return texts.join(' ');
}

/** The job editor against `ferry serve`: a new job from an example flow, mended at its fields, saved into the jobs folder, then tried and run. */
describe('the window: the job editor', () => {
  let world: WindowWorld;

  beforeAll(async () => {
    world = await windowWorld('job-editor');
  });
  afterAll(async () => {
    await world?.close();
  });

  async function startFromTemplate(page: Page, template: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
    await page.getByRole('button', { name: 'New job' }).click();
    await page.getByRole('list', { name: 'Example flows' }).getByRole('button', { name: new RegExp(`^${template}`) }).click();
    await page.getByRole('form', { name: 'Job settings' }).waitFor();
  }

  it('starts a job from an example flow, shows its problems at their fields as the user types, and saves the file with its comments', async () => {
    const page = await world.open();
    await startFromTemplate(page, 'archive-retention');
    const form = page.getByRole('form', { name: 'Job settings' });
    const yaml = page.getByRole('textbox', { name: 'Job file (YAML)' });
    await eventually(() => yaml.inputValue()).toContain('name: archive-retention');

    // The archive connection the example uses does not exist here: the route's destination says so.
    await form.getByRole('tab', { name: /^Routes/ }).click();
    const to = form.getByRole('group', { name: 'Route 1: archive' }).getByRole('textbox', { name: 'To', exact: true });
    await eventually(() => to.getAttribute('aria-invalid')).toBe('true');
    expect(await describedBy(to)).toContain('there is no connection named "archive"');

    // A name with a space is refused at its field while it is typed, and accepted once mended.
    await form.getByRole('tab', { name: /^General/ }).click();
    const name = form.getByRole('textbox', { name: 'Name', exact: true });
    await name.fill('month end archive');
    await eventually(() => name.getAttribute('aria-invalid')).toBe('true');
    expect(await describedBy(name)).toContain('letters, digits');
    expect(await page.getByRole('list', { name: 'Problems' }).textContent()).toContain('name:');
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const size of SIZES) {
        await page.emulateMedia({ colorScheme });
        await page.setViewportSize(size);
        await screenshot(page, `job-editor-${colorScheme}-${size.width}x${size.height}`);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize(SIZES[0]);
    expect(await checkAccessibility(page)).toEqual([]);

    await name.fill('month-end-archive');
    await eventually(() => name.getAttribute('aria-invalid')).toBeNull();
    await form.getByRole('tab', { name: /^Routes/ }).click();
    await to.fill('./archive/{capture.period}/');
    await eventually(() => to.getAttribute('aria-invalid')).toBeNull();
    await eventually(() => page.getByText('No problems: ferry run would take this job.').count()).toBe(1);

    await yaml.click();
    await page.keyboard.press('Control+s');
    const file = join(world.workspace.paths.jobs, 'month-end-archive.yaml');
    await eventually(() => page.getByText(`Saved in ${file}.`).count()).toBe(1);
    const saved = await readFile(file, 'utf8');
    expect(saved).toBe(await yaml.inputValue());
    expect(saved).toContain('name: month-end-archive\n');
    expect(saved).toContain("    to: ./archive/{capture.period}/\n    # Never overwrite an archived file.");
    expect(saved).toContain('  # Exports are written in one go, but zip packages can be large: wait until they stop growing.\n  stableFor: 30s');
    await screenshot(page, 'job-editor-saved');
    expect(await checkAccessibility(page)).toEqual([]);
    expect(world.pageErrors).toEqual([]);
    // A hang guard for a loaded machine, not a speed requirement: the editor checks as the user types, many times over.
  }, 900_000);

  it('dry-runs the job it saved from the Jobs screen, runs it, and shows the archived file in History', async () => {
    // An export the job's rules accept, written long enough ago that its arrival rule (stable for 30 s) is met.
    const exports = join(world.workspace.paths.jobs, 'exports');
    await mkdir(exports, { recursive: true });
    const exported = join(exports, 'erp_2026-03_ledger.csv');
    await writeFile(exported, 'account;amount\n4000;12.50\n');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(exported, anHourAgo, anHourAgo);

    const page = await world.open();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
    const grid = page.getByRole('grid', { name: 'Jobs' });
    const row = grid.getByRole('row', { name: /^month-end-archive/ });
    await eventually(() => row.count()).toBe(1);
    await row.click();
    await page.keyboard.press('Shift+F5');
    const dialog = page.getByRole('dialog', { name: 'Dry run of month-end-archive' });
    const plan = dialog.getByRole('table', { name: 'Dry run of month-end-archive, file by file' });
    // The export and its JSON manifest, each a row of the plan.
    const planned = plan.getByRole('row', { name: /^erp_2026-03_ledger\.csv/ });
    await eventually(() => planned.count()).toBe(2);
    expect(await planned.nth(0).textContent()).toMatch(/ValidWould be delivered.*archive\/2026-03\/erp_2026-03_ledger\.csv/);
    expect(await planned.nth(1).textContent()).toMatch(/Would be delivered.*archive\/2026-03\/erp_2026-03_ledger\.json/);

    await dialog.getByRole('button', { name: 'Run now' }).click();
    const archived = join(world.workspace.paths.jobs, 'archive', '2026-03', 'erp_2026-03_ledger.csv');
    await eventually(async () => (await row.textContent()) ?? '').toMatch(/Succeeded/);
    expect(await readFile(archived, 'utf8')).toBe('account;amount\n4000;12.50\n');
    expect(JSON.parse(await readFile(archived.replace(/\.csv$/, '.json'), 'utf8'))).toMatchObject({ file: 'erp_2026-03_ledger.csv', period: '2026-03', dataset: 'ledger' });

    await row.click();
    await page.getByRole('toolbar', { name: 'Job actions' }).getByRole('button', { name: 'Last run in History' }).click();
    const files = page.getByRole('grid', { name: /^Files of run #\d+/ });
    await eventually(() => files.getByRole('row', { name: /^erp_2026-03_ledger\.csv/ }).count()).toBe(1);
    expect(world.pageErrors).toEqual([]);
  }, 600_000);
});
