import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeScratch } from '../conformance/scratch.js';
import { addSftpConnection, seedServerFolder } from '../examples/support.js';
import { checkAccessibility } from './axe.js';
import { eventually, screenshot, SIZES, windowWorld, type WindowWorld } from './window.js';

const sftp = inject('servers').sftp;

/** A coordinator's first minutes: a partner's SFTP folder on the left, a local archive on the right. */
describe('the window: browsing and copying between a partner server and a folder', () => {
  let world: WindowWorld;
  let scratch: Awaited<ReturnType<typeof makeScratch>>;
  let archive: string;

  beforeAll(async () => {
    world = await windowWorld('browse');
    scratch = await makeScratch(sftp.home, 'e2e-browse');
    await seedServerFolder(scratch.path, { 'outbox/INV-ACC-10001-2026-11-02.pdf': 'invoice for Northwind', 'outbox/orders.csv': 'order,qty\n1,2\n' });
    await addSftpConnection(world, 'partner-sftp', sftp, scratch.path);
    archive = join(world.home, 'archive');
    await mkdir(archive);
    const local = await world.ferry(['connection', 'add', 'archive', `file://${archive}`]);
    expect(local.code, local.err).toBe(0);
  });
  afterAll(async () => {
    await world?.close();
    await scratch?.remove();
  });

  const pane = (page: Page, side: 'Left' | 'Right') => page.getByRole('region', { name: new RegExp(`^${side} pane`) });
  const show = async (page: Page, side: 'Left' | 'Right', connection: string): Promise<void> => {
    await pane(page, side).getByRole('combobox', { name: 'Connection' }).selectOption(connection);
  };

  it('copies a file from the partner server to the other pane with F5, through the preview', async () => {
    const page = await world.open();
    await show(page, 'Left', 'partner-sftp');
    await show(page, 'Right', 'archive');
    const left = pane(page, 'Left');
    await left.getByRole('row', { name: /^outbox/ }).dblclick();
    await eventually(() => left.getAttribute('aria-label')).toMatch(/partner-sftp.*outbox/);
    await left.getByRole('row', { name: /^orders\.csv/ }).click();
    await page.keyboard.press('F5');
    const dialog = page.getByRole('dialog');
    await eventually(() => dialog.getByRole('button', { name: 'Start transfer' }).isEnabled()).toBe(true);
    await screenshot(page, 'preview-copy-light-1280x800');
    await dialog.getByRole('button', { name: 'Start transfer' }).click();
    const queue = page.getByRole('region', { name: 'Transfers' });
    await eventually(async () => (await queue.textContent()) ?? '').toMatch(/Done/);
    expect(await readFile(join(archive, 'orders.csv'), 'utf8')).toBe('order,qty\n1,2\n');
    await eventually(() => pane(page, 'Right').getByRole('row', { name: /^orders\.csv/ }).count()).toBe(1);
  });

  it('asks what to do when the file is already there, and keeps both when told to', async () => {
    await writeFile(join(archive, 'orders.csv'), 'an older order list\n');
    const page = await world.open();
    await show(page, 'Left', 'partner-sftp');
    await show(page, 'Right', 'archive');
    const left = pane(page, 'Left');
    await left.getByRole('row', { name: /^outbox/ }).dblclick();
    await left.getByRole('row', { name: /^orders\.csv/ }).click();
    await page.keyboard.press('F5');
    const dialog = page.getByRole('dialog');
    await eventually(async () => (await dialog.textContent()) ?? '').toMatch(/you will be asked/);
    await dialog.getByRole('combobox', { name: /already there/ }).selectOption('rename');
    await eventually(async () => (await dialog.textContent()) ?? '').toMatch(/orders \(1\)\.csv/);
    await screenshot(page, 'preview-conflict-light-1280x800');
    await dialog.getByRole('button', { name: 'Start transfer' }).click();
    await eventually(async () => (await readdir(archive)).includes('orders (1).csv')).toBe(true);
    expect(await readFile(join(archive, 'orders.csv'), 'utf8')).toBe('an older order list\n');
    expect(await readFile(join(archive, 'orders (1).csv'), 'utf8')).toBe('order,qty\n1,2\n');
  });

  it('takes a file dropped from the desktop onto a folder row, streamed to the host', async () => {
    await mkdir(join(archive, 'inbox'));
    const page = await world.open();
    await show(page, 'Right', 'archive');
    const folder = pane(page, 'Right').getByRole('row', { name: /^inbox/ });
    await eventually(() => folder.count()).toBe(1);
    const dropped = await page.evaluateHandle(() => {
      const data = new DataTransfer();
      data.items.add(new File(['signed delivery note\n'], 'delivery-note.txt', { type: 'text/plain' }));
      return data;
    });
    for (const type of ['dragenter', 'dragover', 'drop']) await folder.dispatchEvent(type, { dataTransfer: dropped });
    await eventually(async () => (await readdir(join(archive, 'inbox'))).includes('delivery-note.txt')).toBe(true);
    expect(await readFile(join(archive, 'inbox', 'delivery-note.txt'), 'utf8')).toBe('signed delivery note\n');
  });

  it('opens a folder of 100,000 files at once, with under 200 rows in the page, and End reaches the last', async () => {
    const big = join(world.home, 'big');
    await mkdir(big);
    for (let start = 0; start < 100_000; start += 5000) {
      await Promise.all(Array.from({ length: 5000 }, (_, i) => writeFile(join(big, `file-${String(start + i).padStart(6, '0')}.txt`), '')));
    }
    expect((await readdir(big)).length).toBe(100_000);
    const added = await world.ferry(['connection', 'add', 'big', `file://${big}`]);
    expect(added.code, added.err).toBe(0);
    const page = await world.open();
    await show(page, 'Left', 'big');
    const grid = pane(page, 'Left').getByRole('grid');
    await eventually(() => grid.getAttribute('aria-rowcount')).toBe('100001');
    expect(await grid.getByRole('row').count()).toBeLessThan(200);
    await grid.getByRole('row', { name: /^file-000000\.txt/ }).click();
    await page.keyboard.press('End');
    await eventually(() => grid.getByRole('row', { name: /^file-099999\.txt/ }).count()).toBe(1);
    expect(await grid.getByRole('row').count()).toBeLessThan(200);
  });

  it('looks right and passes an accessibility audit on every screen, in both themes and both sizes', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const size of SIZES) {
        const page = await world.open({ colorScheme, size });
        await show(page, 'Left', 'partner-sftp');
        await show(page, 'Right', 'archive');
        await eventually(() => pane(page, 'Left').getByRole('row', { name: /^outbox/ }).count()).toBe(1);
        const tag = `${colorScheme}-${size.width}x${size.height}`;
        const shown = {
          Browse: () => pane(page, 'Right').getByRole('grid').count(),
          Transfers: () => page.getByRole('main').getByText('Transfers', { exact: true }).count(),
          Connections: () => page.getByRole('heading', { name: 'Connections' }).count(),
        };
        for (const screen of ['Browse', 'Transfers', 'Connections'] as const) {
          await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: screen }).click();
          await eventually(shown[screen]).toBeGreaterThan(0);
          await screenshot(page, `${screen.toLowerCase()}-${tag}`);
          expect(await checkAccessibility(page), `${screen} (${tag})`).toEqual([]);
        }
        await page.context().close();
      }
    }
    expect(world.pageErrors).toEqual([]);
  });
});
