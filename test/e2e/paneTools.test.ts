import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgConnection } from '../examples/support.js';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';
import { checkAccessibility } from './axe.js';
import { eventually, screenshot, SIZES, windowWorld, type WindowWorld } from './window.js';

/** A statement's name as partners write them: long, but to be read whole in a pane at 1280 px. */
const LONG_NAME = 'Northwind Traders statement 2026-11-02.pdf';
const JAN = new Date('2026-01-05T10:00:00Z');
const FEB = new Date('2026-02-05T10:00:00Z');

/** The commander's tools: compare mode, synchronized browsing, type-ahead, Shift+F5, spring-loaded folders, records. */
describe('the window: the two panes’ tools', () => {
  let world: WindowWorld;
  let org: TestOrg;
  let ours: string;
  let theirs: string;

  async function file(path: string, text: string, time: Date): Promise<void> {
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, text);
    await utimes(path, time, time);
  }

  beforeAll(async () => {
    world = await windowWorld('pane-tools');
    org = await startTestOrg({ seed: 'demo', sdrive: true });
    ours = join(world.home, 'ours');
    theirs = join(world.home, 'theirs');
    await file(join(ours, 'same.csv'), 'a,b\n', JAN);
    await file(join(ours, 'changed.csv'), 'a,b,c\n', JAN);
    await file(join(ours, 'updated.csv'), 'a,b\n', FEB);
    await file(join(ours, LONG_NAME), 'statement', JAN);
    await file(join(ours, '2026', 'march', 'notes.txt'), 'notes', JAN);
    await file(join(ours, '2025', 'notes.txt'), 'notes', JAN);
    await file(join(theirs, 'same.csv'), 'a,b\n', JAN);
    await file(join(theirs, 'changed.csv'), 'a,b\n', JAN);
    await file(join(theirs, 'updated.csv'), 'a,b\n', JAN);
    await file(join(theirs, 'theirs-only.csv'), 'x', JAN);
    await file(join(theirs, '2026', 'march', 'old.txt'), 'old', JAN);
    await mkdir(join(theirs, 'archive', 'spring'), { recursive: true });
    for (let start = 0; start < 3000; start += 500) {
      await Promise.all(Array.from({ length: 500 }, (_, i) => writeFile(join(ours, '2025', `file-${String(start + i).padStart(5, '0')}.txt`), '')));
    }
    await writeFile(join(ours, '2025', 'zebra-crossing.txt'), '');
    for (const [name, folder] of [['ours', ours], ['theirs', theirs]] as const) {
      const added = await world.ferry(['connection', 'add', name, `file://${folder}`]);
      expect(added.code, added.err).toBe(0);
    }
    await addOrgConnection(world, 'org', org);
    const { sandbox } = org;
    const drive = await world.ferry([
      'connection', 'salesforce', 'drive', '--login', sandbox.url, '--client-id', sandbox.jwt.clientId, '--jwt-key', sandbox.jwt.keyFile,
      '--username', sandbox.context.defaultUser.username, '--sdrive',
    ]);
    expect(drive.code, drive.err).toBe(0);
  });
  afterAll(async () => {
    await world?.close();
    await org?.close();
  });

  const pane = (page: Page, side: 'Left' | 'Right'): Locator => page.getByRole('region', { name: new RegExp(`^${side} pane`) });
  const row = (page: Page, side: 'Left' | 'Right', name: string): Locator => pane(page, side).getByRole('row', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) });
  const show = async (page: Page, side: 'Left' | 'Right', connection: string, first: string): Promise<void> => {
    await pane(page, side).getByRole('combobox', { name: 'Connection' }).selectOption(connection);
    await eventually(() => row(page, side, first).count()).toBe(1);
  };
  const marks = async (page: Page, side: 'Left' | 'Right'): Promise<Record<string, string>> => {
    const found: Record<string, string> = {};
    for (const badge of await pane(page, side).getByRole('grid').getByRole('img').all()) {
      const name = await badge.locator('xpath=ancestor::*[@role="row"]').getByRole('gridcell').first().textContent();
      found[name ?? ''] = (await badge.getAttribute('aria-label')) ?? '';
    }
    return found;
  };

  it('compares the two folders by name in FileZilla’s colours, each mark also in words, and shows long names whole at 1280 px', async () => {
    const page = await world.open();
    await show(page, 'Left', 'ours', 'same.csv');
    await show(page, 'Right', 'theirs', 'same.csv');
    await pane(page, 'Left').getByRole('grid').focus();
    await page.keyboard.press('Control+o');
    await eventually(() => marks(page, 'Right')).toEqual({ 'changed.csv': 'Size differs', 'theirs-only.csv': 'Only on this side', archive: 'Only on this side' });
    expect(await marks(page, 'Left')).toEqual({ '2025': 'Only on this side', 'changed.csv': 'Size differs', 'updated.csv': 'Newer on this side', [LONG_NAME]: 'Only on this side' });
    expect(await page.getByRole('list', { name: 'Compare colours' }).textContent()).toBe('Only on this sideNewer on this sideSize differs');
    await page.getByRole('button', { name: 'Compare folders' }).click();
    await eventually(() => pane(page, 'Left').getByRole('grid').getByRole('img').count()).toBe(0);
  });

  it('shows a long name whole in its title, and whole in its row once a column is narrowed from the keyboard', async () => {
    const page = await world.open();
    await show(page, 'Left', 'ours', LONG_NAME);
    const nameText = row(page, 'Left', LONG_NAME).getByText(LONG_NAME, { exact: true });
    expect(await row(page, 'Left', LONG_NAME).getByTitle(LONG_NAME).count()).toBe(1);
    const edge = pane(page, 'Left').getByRole('separator', { name: 'Resize the modified column' });
    expect(await edge.getAttribute('aria-valuenow')).toBe('116');
    for (let i = 0; i < 5; i++) await edge.press('ArrowRight');
    expect(await edge.getAttribute('aria-valuenow')).toBe('40');
    await eventually(() => nameText.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  });

  it('browses both panes at once, and says so when the other pane has no such folder', async () => {
    const page = await world.open();
    await show(page, 'Left', 'ours', '2026');
    await show(page, 'Right', 'theirs', '2026');
    await page.getByRole('button', { name: 'Synchronized browsing' }).click();
    await row(page, 'Left', '2026').dblclick();
    await eventually(() => row(page, 'Right', 'march').count()).toBe(1);
    await row(page, 'Left', 'march').dblclick();
    await eventually(() => row(page, 'Right', 'old.txt').count()).toBe(1);
    await pane(page, 'Left').getByRole('grid').press('Backspace');
    await pane(page, 'Left').getByRole('grid').press('Backspace');
    await eventually(() => row(page, 'Right', 'theirs-only.csv').count()).toBe(1);
    await row(page, 'Left', '2025').dblclick();
    await eventually(() => page.getByRole('status').filter({ hasText: 'Synchronized browsing' }).textContent()).toBe('Synchronized browsing: the right pane has no folder /2025, so it stayed in /.');
    expect(await pane(page, 'Right').getAttribute('aria-label')).toBe('Right pane — theirs: /');
  });

  it('goes to a name typed in the grid, though it is thousands of rows below the rows loaded', async () => {
    const page = await world.open();
    await show(page, 'Left', 'ours', '2025');
    await row(page, 'Left', '2025').dblclick();
    const grid = pane(page, 'Left').getByRole('grid');
    await eventually(() => grid.getAttribute('aria-rowcount')).toBe('3003');
    await grid.focus();
    await page.keyboard.type('zeb');
    await eventually(() => row(page, 'Left', 'zebra-crossing.txt').getAttribute('aria-selected')).toBe('true');
    expect(await grid.getByRole('row').count()).toBeLessThan(200);
  });

  it('Shift+F5 copies to a folder typed in its dialog, the other pane’s offered first', async () => {
    const page = await world.open();
    await show(page, 'Left', 'ours', 'same.csv');
    await show(page, 'Right', 'theirs', 'archive');
    await row(page, 'Left', 'same.csv').click();
    await page.keyboard.press('Shift+F5');
    const ask = page.getByRole('dialog', { name: 'Copy same.csv to…' });
    const folder = ask.getByRole('textbox', { name: /Folder/ });
    expect(await folder.inputValue()).toBe('/');
    await folder.fill('/archive/spring');
    await folder.press('Enter');
    const preview = page.getByRole('dialog', { name: 'Copy 1 item to theirs: /archive/spring' });
    await eventually(() => preview.getByRole('button', { name: 'Start transfer' }).isEnabled()).toBe(true);
    await preview.getByRole('button', { name: 'Start transfer' }).click();
    await eventually(() => readFile(join(theirs, 'archive', 'spring', 'same.csv'), 'utf8').catch(() => '')).toBe('a,b\n');
  });

  it('opens a folder a dragged file rests on, and drops into it', async () => {
    const page = await world.open();
    await show(page, 'Left', 'ours', 'updated.csv');
    await show(page, 'Right', 'theirs', 'archive');
    await row(page, 'Left', 'updated.csv').hover();
    await page.mouse.down();
    // A drag starts once the pointer moves with the button held; a second move over the folder keeps it over it.
    await row(page, 'Left', 'updated.csv').hover({ position: { x: 60, y: 12 } });
    await eventually(async () => {
      // Each move over the folder is a dragover, as a browser sends them while a drag rests; it opens after a pause.
      await row(page, 'Right', 'archive').hover({ position: { x: 40 + (Date.now() % 20), y: 12 } }).catch(() => undefined);
      return pane(page, 'Right').getAttribute('aria-label');
    }).toBe('Right pane — theirs: /archive');
    await eventually(() => row(page, 'Right', 'spring').count()).toBe(1);
    await row(page, 'Right', 'spring').hover();
    await page.mouse.up();
    await eventually(() => page.getByRole('dialog', { name: 'Copy 1 item to theirs: /archive/spring' }).count()).toBe(1);
  });

  it('finds an Account by its number in the object folder’s search box and names the record in the header', async () => {
    const page = await world.open();
    await show(page, 'Right', 'org', 'Account');
    await row(page, 'Right', 'Account').dblclick();
    const search = pane(page, 'Right').getByRole('combobox', { name: 'Search Account records' });
    await search.fill('ACC-10003');
    const found = pane(page, 'Right').getByRole('listbox', { name: 'Account records found' });
    await eventually(() => found.getByRole('option').allTextContents()).toEqual([expect.stringMatching(/^Fabrikam LogisticsACC-10003 · 001\w{15}$/)]);
    await search.press('Enter');
    await eventually(() => pane(page, 'Right').getAttribute('aria-label')).toMatch(/^Right pane — org: \/Account\/Fabrikam Logistics \(001\w{15}\)$/);
    expect(await pane(page, 'Right').getByText('Fabrikam Logistics', { exact: true }).count()).toBe(1);
    expect(await pane(page, 'Right').getByText(/^Id 001\w{15}$/).count()).toBe(1);
  });

  it('browses S-Drive: an Account’s folders and files, and a subfolder', async () => {
    const page = await world.open();
    await show(page, 'Right', 'drive', 'Account');
    await row(page, 'Right', 'Account').dblclick();
    await eventually(() => row(page, 'Right', 'Northwind Traders').count()).toBe(1);
    await row(page, 'Right', 'Northwind Traders').dblclick();
    await eventually(() => row(page, 'Right', 'Price list 2026.csv').count()).toBe(1);
    expect(await pane(page, 'Right').getByRole('row').allTextContents()).toEqual([expect.stringMatching(/^Name/), expect.stringMatching(/^Contracts/), expect.stringMatching(/^Photos/), expect.stringMatching(/^Price list 2026\.csv/)]);
    await row(page, 'Right', 'Contracts').dblclick();
    await eventually(() => pane(page, 'Right').getAttribute('aria-label')).toBe('Right pane — drive: /Account/Northwind Traders/Contracts');
    await eventually(() => pane(page, 'Right').getByText('This folder is empty. Drop files here to copy them in.').count()).toBe(1);
  });

  it('names each file’s record in the preview where a naming rule found it', async () => {
    const invoices = join(world.home, 'invoices');
    await file(join(invoices, 'INV-ACC-10003-2026-11-02.pdf'), 'invoice for Fabrikam', JAN);
    expect((await world.ferry(['connection', 'add', 'invoices', `file://${invoices}`])).code).toBe(0);
    const page = await world.open();
    await show(page, 'Left', 'invoices', 'INV-ACC-10003-2026-11-02.pdf');
    await show(page, 'Right', 'org', 'Account');
    await row(page, 'Left', 'INV-ACC-10003-2026-11-02.pdf').dragTo(row(page, 'Right', 'Account'));
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox').fill('INV-{AccountNumber}-{*}');
    await dialog.getByRole('button', { name: 'Preview again' }).click();
    await eventually(() => dialog.getByRole('cell', { name: /^Account \/ Fabrikam Logistics \(001\w{15}\) \/ INV-ACC-10003-2026-11-02\.pdf$/ }).count()).toBe(1);
  });

  it('looks right and passes an accessibility audit in both themes and sizes: compare mode, type-ahead, record search and S-Drive', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const size of SIZES) {
        const tag = `${colorScheme}-${size.width}x${size.height}`;
        const page = await world.open({ colorScheme, size });
        await show(page, 'Left', 'ours', 'same.csv');
        await show(page, 'Right', 'theirs', 'same.csv');
        await page.getByRole('button', { name: 'Compare folders' }).click();
        await eventually(() => pane(page, 'Right').getByRole('grid').getByRole('img').count()).toBe(3);
        await row(page, 'Left', 'updated.csv').click();
        await screenshot(page, `compare-${tag}`);
        expect(await checkAccessibility(page), `compare (${tag})`).toEqual([]);
        await page.getByRole('button', { name: 'Compare folders' }).click();

        await row(page, 'Left', '2025').dblclick();
        await eventually(() => pane(page, 'Left').getByRole('grid').getAttribute('aria-rowcount')).toBe('3003');
        await pane(page, 'Left').getByRole('grid').focus();
        await page.keyboard.type('zeb');
        await eventually(() => row(page, 'Left', 'zebra-crossing.txt').getAttribute('aria-selected')).toBe('true');
        await screenshot(page, `type-ahead-${tag}`);

        await pane(page, 'Right').getByRole('combobox', { name: 'Connection' }).selectOption('org');
        await row(page, 'Right', 'Account').dblclick();
        await pane(page, 'Right').getByRole('combobox', { name: 'Search Account records' }).fill('contoso');
        await eventually(() => pane(page, 'Right').getByRole('option').filter({ hasText: 'Contoso' }).count()).toBe(2);
        await screenshot(page, `record-search-${tag}`);
        expect(await checkAccessibility(page), `record search (${tag})`).toEqual([]);
        await pane(page, 'Right').getByRole('combobox', { name: 'Search Account records' }).press('Enter');
        await eventually(() => pane(page, 'Right').getAttribute('aria-label')).toMatch(/Contoso Manufacturing \(001/);
        await screenshot(page, `record-header-${tag}`);

        await show(page, 'Right', 'drive', 'Account');
        await row(page, 'Right', 'Account').dblclick();
        await eventually(() => pane(page, 'Right').getAttribute('aria-label')).toMatch(/drive: \/Account$/);
        // Opened from the keyboard: a double-click can fall between two renders while record names arrive.
        await row(page, 'Right', 'Northwind Traders').click();
        await eventually(() => row(page, 'Right', 'Northwind Traders').getAttribute('aria-selected')).toBe('true');
        await page.keyboard.press('Enter');
        await eventually(() => row(page, 'Right', 'Price list 2026.csv').count()).toBe(1);
        await screenshot(page, `sdrive-${tag}`);
        expect(await checkAccessibility(page), `S-Drive (${tag})`).toEqual([]);
        await page.context().close();
      }
    }
    expect(world.pageErrors).toEqual([]);
    // Four windows, each going through four screens against the sandbox: a hang guard, not a speed bound.
  }, 600_000);
});
