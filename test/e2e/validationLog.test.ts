import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAccessibility } from './axe.js';
import { eventually, screenshot, SIZES, windowWorld, type WindowWorld } from './window.js';
import { inboundOrdersJob } from '../jobs/inboundOrdersJob.js';

/** Files a real job run refused, explained and dealt with in the window. */
describe('the window: validation log', () => {
  let world: WindowWorld;
  let work: string;

  beforeAll(async () => {
    world = await windowWorld('validation');
    work = await mkdtemp(join(tmpdir(), 'ferry-e2e-validation-work-'));
    await mkdir(join(work, 'drop'), { recursive: true });
    await writeFile(join(work, 'drop', 'ORD-ACME-60.csv'), 'order,sku,qty\n60,ABC-123,0\n');
    await writeFile(join(work, 'drop', 'ORD-ACME-61.csv'), 'order,sku,qty\n61,abc,1\n');
    await mkdir(world.workspace.paths.jobs, { recursive: true });
    await writeFile(join(world.workspace.paths.jobs, 'inbound.yaml'), inboundOrdersJob(work, 'partner'));
    const ran = await world.ferry(['run', 'inbound']);
    expect((await world.workspace.history()).journal().quarantined().map((q) => q.file).sort(), ran.err).toEqual(['ORD-ACME-60.csv', 'ORD-ACME-61.csv']);
  });
  afterAll(async () => {
    await world?.close();
    await rm(work, { recursive: true, force: true });
  });

  const openLog = async (page: Page): Promise<void> => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Validation log' }).click();
    await eventually(() => page.getByRole('grid', { name: 'Refused files' }).getByRole('row', { name: /^ORD-ACME-/ }).count()).toBe(2);
  };

  it('explains a refused file down to line and column and returns it to the partner with a note', async () => {
    const page = await world.open();
    await openLog(page);
    const grid = page.getByRole('grid', { name: 'Refused files' });
    await grid.getByRole('row', { name: /^ORD-ACME-60\.csv/ }).dblclick();
    const details = page.getByRole('complementary', { name: 'Refused file' });
    await eventually(async () => (await details.textContent()) ?? '').toMatch(/Line 2, column 3 — csv:/);
    expect(await details.getByLabel('First lines of ORD-ACME-60.csv').textContent()).toBe('1  order,sku,qty\n2  60,ABC-123,0\n');
    await details.getByLabel('Note to the partner').fill('The quantity must be at least 1.');
    await details.getByRole('button', { name: 'Return to partner' }).click();
    await eventually(async () => (await page.getByRole('status', { name: 'Last action' }).textContent()) ?? '').toMatch(/ORD-ACME-60\.csv: returned/);
    expect(await readFile(join(work, 'partner', 'ORD-ACME-60.csv'), 'utf8')).toBe('order,sku,qty\n60,ABC-123,0\n');
    expect(await readFile(join(work, 'partner', 'ORD-ACME-60.csv.rejected.txt'), 'utf8')).toMatch(/The quantity must be at least 1\./);
    expect(await grid.getByRole('row', { name: /^ORD-ACME-60\.csv/ }).textContent()).toMatch(/Returned/);
    expect(world.pageErrors).toEqual([]);
  });

  it.each((['light', 'dark'] as const).flatMap((colorScheme) => SIZES.map((size) => ({ colorScheme, size }))))('looks right and passes axe ($colorScheme, $size.width×$size.height)', async ({ colorScheme, size }) => {
    const page = await world.open({ colorScheme, size });
    await openLog(page);
    await page.getByRole('grid', { name: 'Refused files' }).getByRole('row', { name: /^ORD-ACME-61\.csv/ }).dblclick();
    await eventually(async () => (await page.getByRole('complementary', { name: 'Refused file' }).textContent()) ?? '').toMatch(/First lines/);
    const tag = `${colorScheme}-${size.width}x${size.height}`;
    await screenshot(page, `validation-log-${tag}`);
    expect(await checkAccessibility(page), tag).toEqual([]);
    await page.context().close();
    expect(world.pageErrors).toEqual([]);
  });
});
