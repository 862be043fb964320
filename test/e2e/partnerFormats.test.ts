import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeScratch } from '../conformance/scratch.js';
import { addSftpConnection, seedServerFolder } from '../examples/support.js';
import { checkAccessibility } from './axe.js';
import { eventually, screenshot, SIZES, windowWorld, type WindowWorld } from './window.js';

const sftp = inject('servers').sftp;
const EXAMPLE = join(process.cwd(), 'examples', '06-partner-onboarding');
const SAMPLE = 'BESTELLUNG_bad-sample.csv';

/** A coordinator tries Nordwind's profile on the sample file the partner put on its SFTP server, and changes a mapping. */
describe('the window: partner formats', () => {
  let world: WindowWorld;
  let scratch: Awaited<ReturnType<typeof makeScratch>>;

  beforeAll(async () => {
    world = await windowWorld('partner-formats');
    scratch = await makeScratch(sftp.home, 'e2e-partner-formats');
    await seedServerFolder(scratch.path, { [`samples/${SAMPLE}`]: await readFile(join(EXAMPLE, 'samples', SAMPLE)) });
    await addSftpConnection(world, 'partner-sftp', sftp, scratch.path);
    const profiles = join(world.home, 'jobs', 'profiles');
    await mkdir(profiles, { recursive: true });
    await copyFile(join(EXAMPLE, 'profiles', 'nordwind.yaml'), join(profiles, 'nordwind.yaml'));
  });
  afterAll(async () => {
    await world?.close();
    await scratch?.remove();
  });

  /** Opens Nordwind's profile and its sample on the partner's server, and waits for the converted rows. */
  const openSample = async (page: Page): Promise<void> => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Partner formats' }).click();
    await page.getByRole('navigation', { name: 'Partner profiles' }).getByRole('button', { name: /^Nordwind Handel GmbH/ }).click();
    await page.getByLabel('Connection', { exact: true }).selectOption('partner-sftp');
    await page.getByLabel('File', { exact: true }).fill(`samples/${SAMPLE}`);
    await eventually(() => page.getByRole('table', { name: 'Sample after conversion' }).getByRole('row').count()).toBe(6);
  };

  it('shows the partner sample converted, each bad row with its problem at its cell, and follows an edit', async () => {
    const page = await world.open();
    await openSample(page);
    const after = page.getByRole('table', { name: 'Sample after conversion' });
    const first = await after.getByRole('row').nth(1).textContent();
    expect(first).toContain('2026-03-03');
    expect(first).toContain('ABC-1001');
    expect(first).toContain('12.50');
    expect(first).toContain('DE');
    await expect.poll(() => after.getByRole('cell', { name: 'Row 2, field "order_date": "31.02.2026" is not a date in the format "dd.MM.yyyy"' }).count()).toBe(1);
    await expect.poll(() => after.getByRole('cell', { name: 'Row 4, field "country": "Frankreich" is not in the lookup table "country"' }).count()).toBe(1);
    const before = page.getByRole('table', { name: 'Sample before conversion' });
    expect(await before.getByRole('row').nth(3).textContent()).toContain('Barcode-Scanner Größe M');
    expect(await page.getByRole('status').filter({ hasText: 'rows of partner-sftp:samples/' }).textContent()).toBe(`5 rows of partner-sftp:samples/${SAMPLE}: 4 rows have problems, marked where they are.`);

    const steps = page.getByRole('form', { name: 'Mapping of Nordwind Handel GmbH' }).getByLabel('Transforms, row 4');
    await steps.fill('trim, lower');
    await eventually(async () => (await after.getByRole('row').nth(1).textContent()) ?? '').toContain('abc-1001');
    expect(world.pageErrors).toEqual([]);
  });

  it.each((['light', 'dark'] as const).flatMap((colorScheme) => SIZES.map((size) => ({ colorScheme, size }))))('looks right and passes axe ($colorScheme, $size.width×$size.height)', async ({ colorScheme, size }) => {
    const page = await world.open({ colorScheme, size });
    await openSample(page);
    const tag = `${colorScheme}-${size.width}x${size.height}`;
    await screenshot(page, `partner-formats-${tag}`);
    expect(await checkAccessibility(page), `partner formats (${tag})`).toEqual([]);
    await page.context().close();
    expect(world.pageErrors).toEqual([]);
  });
});
