import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeScratch } from '../conformance/scratch.js';
import { seedServerFolder } from '../examples/support.js';
import { openSshFingerprint } from '../helpers/servers/index.js';
import { checkAccessibility } from './axe.js';
import { eventually, screenshot, SIZES, windowWorld, type WindowWorld } from './window.js';

const sftp = inject('servers').sftp;
const ftps = inject('servers').ftp['vsftpd-explicit'];

/**
 * The questions the window puts to the person: a partner's SSH key and FTPS certificate met for the
 * first time, and a file dropped where one of that name already is. Each dialog is shown in every open
 * window, so one question is photographed in both themes at both sizes.
 */
// Four windows per question on a shared two-core machine: the bound is a hang guard, not a speed requirement.
describe('the window asking the person', { timeout: 600_000 }, () => {
  let world: WindowWorld;
  let scratch: Awaited<ReturnType<typeof makeScratch>>;
  let archive: string;

  beforeAll(async () => {
    world = await windowWorld('prompts');
    scratch = await makeScratch(sftp.home, 'e2e-prompts');
    await seedServerFolder(scratch.path, { 'outbox/orders.csv': 'order,qty\n1,2\n' });
    // Saved untested, as a colleague's settings would be: neither server is known on this machine.
    const sftpAdded = await world.ferry(['connection', 'add', 'partner-sftp', `sftp://${sftp.user}@${sftp.host}:${sftp.port}${scratch.path}`, '--password-stdin', '--no-test'], `${sftp.password}\n`);
    expect(sftpAdded.code, sftpAdded.err).toBe(0);
    const ftpsAdded = await world.ferry(['connection', 'add', 'secure-ftp', `ftpes://${ftps.user}@${ftps.host}:${ftps.port}/`, '--password-stdin', '--no-test'], `${ftps.password}\n`);
    expect(ftpsAdded.code, ftpsAdded.err).toBe(0);
    archive = join(world.home, 'archive');
    await mkdir(join(archive, 'inbox'), { recursive: true });
    await writeFile(join(archive, 'inbox', 'orders.csv'), 'an older order list\n');
    const local = await world.ferry(['connection', 'add', 'archive', `file://${archive}`]);
    expect(local.code, local.err).toBe(0);
  });
  afterAll(async () => {
    await world?.close();
    await scratch?.remove();
  });

  const pane = (page: Page, side: 'Left' | 'Right') => page.getByRole('region', { name: new RegExp(`^${side} pane`) });
  const row = (page: Page, side: 'Left' | 'Right', name: string) => pane(page, side).getByRole('row', { name: new RegExp(`^${name.replace(/[.()]/g, '\\$&')}`) });

  /** Four windows, light and dark at both sizes; the first is the one the person works in. */
  const windows = async (): Promise<Page[]> => {
    const pages: Page[] = [];
    for (const colorScheme of ['light', 'dark'] as const) for (const size of SIZES) pages.push(await world.open({ colorScheme, size }));
    return pages;
  };
  const photograph = async (pages: ReadonlyArray<Page>, dialogName: string, label: string): Promise<void> => {
    let i = 0;
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const size of SIZES) {
        const page = pages[i++];
        if (page === undefined) continue;
        await eventually(() => page.getByRole('dialog', { name: dialogName }).count()).toBe(1);
        await screenshot(page, `prompt-${label}-${colorScheme}-${size.width}x${size.height}`);
      }
    }
  };
  const closeAll = async (pages: ReadonlyArray<Page>): Promise<void> => {
    for (const page of pages) await page.close();
  };

  it('shows an unknown SSH key with its fingerprint, and connects once trusted', async () => {
    const pages = await windows();
    const [page] = pages;
    if (page === undefined) throw new Error('no window');
    // The window opens on the first partner server: meeting it is the first thing it does.
    const name = `Is this ${sftp.host}?`;
    const dialog = page.getByRole('dialog', { name });
    await eventually(() => dialog.count()).toBe(1);
    expect(await dialog.textContent()).toContain(openSshFingerprint(sftp.hostKeyLine));
    // Quickly: the server waits for the answer only for its login grace time (axe checks this dialog in hostKey.test.ts).
    await photograph(pages, name, 'host-key');
    await dialog.getByRole('button', { name: 'Trust and connect' }).press('Enter');
    await eventually(() => row(page, 'Right', 'outbox').count()).toBe(1);
    // Answered in one window, the question closes in all of them.
    for (const other of pages) await eventually(() => other.getByRole('dialog').count()).toBe(0);
    await closeAll(pages);
  });

  it('shows an FTPS certificate nothing vouches for, in words, and remembers it once trusted', async () => {
    const pages = await windows();
    const [page] = pages;
    if (page === undefined) throw new Error('no window');
    await pane(page, 'Left').getByRole('combobox', { name: 'Connection' }).selectOption('secure-ftp');
    const name = `Trust the certificate of ${ftps.host}?`;
    const dialog = page.getByRole('dialog', { name });
    await eventually(() => dialog.count()).toBe(1);
    const text = (await dialog.textContent()) ?? '';
    expect(text).toContain(ftps.certFingerprint256);
    expect(text).toContain('It is self-signed.');
    expect(text).toContain('CN=127.0.0.1');
    await photograph(pages, name, 'certificate');
    expect(await checkAccessibility(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Trust and connect' }).press('Enter');
    await eventually(() => page.getByRole('dialog').count()).toBe(0);
    await eventually(() => readFile(join(world.home, 'connections.json'), 'utf8')).toContain(`"tlsFingerprint": "${ftps.certFingerprint256 ?? ''}"`);
    await eventually(async () => (await pane(page, 'Left').textContent()) ?? '').not.toMatch(/could not|refused/i);
    expect(world.pageErrors).toEqual([]);
    await closeAll(pages);
  });

  it('a conflict prompt answers rename: the renamed copy arrives beside the original', async () => {
    const pages = await windows();
    const [page] = pages;
    if (page === undefined) throw new Error('no window');
    await pane(page, 'Left').getByRole('combobox', { name: 'Connection' }).selectOption('partner-sftp');
    await pane(page, 'Right').getByRole('combobox', { name: 'Connection' }).selectOption('archive');
    await row(page, 'Left', 'outbox').dblclick();
    await eventually(() => row(page, 'Left', 'orders.csv').count()).toBe(1);
    await eventually(() => row(page, 'Right', 'inbox').count()).toBe(1);
    await row(page, 'Left', 'orders.csv').dragTo(row(page, 'Right', 'inbox'));

    const preview = page.getByRole('dialog', { name: /^Copy 1 item to/ });
    await eventually(async () => (await preview.textContent()) ?? '').toMatch(/you will be asked/);
    await preview.getByRole('button', { name: 'Start transfer' }).click();

    const name = '“orders.csv” is already there';
    const dialog = page.getByRole('dialog', { name });
    await eventually(() => dialog.count()).toBe(1);
    const compared = (await dialog.getByRole('table').textContent()) ?? '';
    expect(compared).toContain('outbox/orders.csv');
    expect(compared).toContain('inbox/orders.csv');
    expect(compared).toContain('14 bytes');
    expect(compared).toContain('20 bytes');
    await photograph(pages, name, 'conflict');
    expect(await checkAccessibility(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Rename' }).click();

    await eventually(async () => (await readdir(join(archive, 'inbox'))).sort()).toEqual(['orders (1).csv', 'orders.csv']);
    expect(await readFile(join(archive, 'inbox', 'orders (1).csv'), 'utf8')).toBe('order,qty\n1,2\n');
    expect(await readFile(join(archive, 'inbox', 'orders.csv'), 'utf8')).toBe('an older order list\n');
    const queue = page.getByRole('region', { name: 'Transfers' });
    await eventually(async () => (await queue.textContent()) ?? '').toMatch(/Done/);
    expect(world.pageErrors).toEqual([]);
    await closeAll(pages);
  });
});
