import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundOrdersJob } from '../jobs/inboundOrdersJob.js';
import { checkAccessibility } from './axe.js';
import { eventually, screenshot, SIZES, windowWorld, type WindowWorld } from './window.js';

const DAY = 86_400_000;

/** A job whose partner folder is gone: every run of it fails. */
function brokenJob(work: string): string {
  return `version: 1
name: outbound
source:
  location: ${work}/no-such-folder
routes:
  - name: partner
    to: ${work}/partner-out/
`;
}

/** Runs started from the command line, as the daemon would, show on Home and as notices in the open window. */
describe('the window: Home and notices', () => {
  let world: WindowWorld;
  let work: string;

  beforeAll(async () => {
    world = await windowWorld('home');
    work = await mkdtemp(join(tmpdir(), 'ferry-e2e-home-work-'));
    await mkdir(join(work, 'drop'), { recursive: true });
    await writeFile(join(work, 'drop', 'ORD-ACME-60.csv'), 'order,sku,qty\n60,ABC-123,0\n');
    await writeFile(join(work, 'drop', 'ORD-ACME-62.csv'), 'order,sku,qty\n62,ABC-123,4\n');
    await mkdir(world.workspace.paths.jobs, { recursive: true });
    await writeFile(join(world.workspace.paths.jobs, 'inbound.yaml'), inboundOrdersJob(work, `${work}/partner/`));
    await writeFile(join(world.workspace.paths.jobs, 'outbound.yaml'), brokenJob(work));
    // A few weeks of earlier runs, so that the chart has something to show.
    const history = await world.workspace.history();
    for (let day = 1; day < 30; day += 2) {
      const at = Date.now() - day * DAY;
      const run = history.startRun({ job: 'inbound', kind: 'job', source: `${work}/drop`, target: `${work}/erp`, dryRun: false, startedAt: at });
      history.finishRun(run, { status: 'succeeded', files: (day * 7) % 23, bytes: 1_000, failed: 0, skipped: 0, finishedAt: at + 2_000 });
    }
  });
  afterAll(async () => {
    await world?.close();
    await rm(work, { recursive: true, force: true });
  });

  const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
  const openHome = async (page: Page): Promise<void> => {
    await nav(page).getByRole('link', { name: 'Home' }).click();
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
  };

  it('shows a failing run and refused files as notices and on Home, and opens the run from its notice', async () => {
    const page = await world.open();
    await openHome(page);
    await page.getByRole('region', { name: 'Needs attention' }).getByText(/^Nothing needs attention/).waitFor();
    await nav(page).getByRole('link', { name: 'Browse' }).click();

    const failed = await world.ferry(['run', 'outbound']);
    expect(failed.code, failed.err).not.toBe(0);
    await world.ferry(['run', 'inbound']);

    const failure = page.getByRole('alert').filter({ hasText: 'outbound failed' });
    await failure.waitFor();
    await page.getByRole('status').filter({ hasText: 'inbound: ORD-ACME-60.csv refused' }).waitFor();
    expect(await nav(page).getByRole('link', { name: 'History' }).getAttribute('aria-describedby')).toBe('news-history');
    expect(await page.locator('#news-history').textContent()).toBe('1 new');
    expect(await page.locator('#news-validation').textContent()).toBe('1 new');
    await screenshot(page, 'home-notices-light-1280x800');

    await openHome(page);
    const attention = page.getByRole('region', { name: /^Needs attention/ });
    await eventually(() => attention.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['outbound failed', '1 file held for inbound']);
    await eventually(() => page.getByRole('table', { name: "Today's runs" }).getByRole('row').count()).toBe(3);
    const lastDay = page.getByRole('figure', { name: /^Files moved and refused/ }).getByRole('row').last();
    expect(await lastDay.textContent()).toMatch(/^\d{4}-\d{2}-\d{2}11$/);

    await failure.getByRole('button', { name: 'Open the run' }).click();
    await eventually(() => page.getByRole('grid', { name: /^Files of run #\d+/ }).count()).toBe(1);
    expect(await page.getByRole('alert').filter({ hasText: 'outbound failed' }).count()).toBe(0);
    expect(await nav(page).getByRole('link', { name: 'History' }).getAttribute('aria-describedby')).toBeNull();
    expect(world.pageErrors).toEqual([]);
  });

  it.each((['light', 'dark'] as const).flatMap((colorScheme) => SIZES.map((size) => ({ colorScheme, size }))))('looks right and passes axe ($colorScheme, $size.width×$size.height)', async ({ colorScheme, size }) => {
    const page = await world.open({ colorScheme, size });
    await openHome(page);
    await eventually(() => page.getByRole('region', { name: /^Needs attention/ }).getByRole('heading', { level: 3 }).count()).toBe(2);
    const tag = `${colorScheme}-${size.width}x${size.height}`;
    await screenshot(page, `home-${tag}`);
    expect(await checkAccessibility(page), `home (${tag})`).toEqual([]);
    await page.context().close();
    expect(world.pageErrors).toEqual([]);
  });
});
