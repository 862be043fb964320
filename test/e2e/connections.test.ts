import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';
import { checkAccessibility } from './axe.js';
import { eventually, screenshot, SIZES, windowWorld, type WindowWorld } from './window.js';

const plain = inject('servers').ftp['vsftpd-plain'];

/** The site manager in the browser, over the real FTP server and the Salesforce sandbox's OAuth. */
describe('the site manager in the window', () => {
  let world: WindowWorld;
  let files: string;
  let org: TestOrg;

  beforeAll(async () => {
    world = await windowWorld('connections');
    org = await startTestOrg({ seed: 'demo' });
    files = await mkdtemp(join(tmpdir(), 'ferry-e2e-sites-'));
    await copyFile(join(import.meta.dirname, '../fixtures/siteImport/sitemanager.xml'), join(files, 'sitemanager.xml'));
    const url = `ftp://${plain.user}@${plain.host}:${plain.port}/`;
    for (const [name, password] of [['partner-ftp', plain.password], ['old-partner', 'a-password-since-changed']] as const) {
      const added = await world.ferry(['connection', 'add', name, url, '--password-stdin', '--no-test'], `${password}\n`);
      expect(added.code, added.err).toBe(0);
    }
  });
  afterAll(async () => {
    await world?.close();
    await org?.close();
    await rm(files, { recursive: true, force: true });
  });

  it('shows the list, a failed test explained, the edit form and an import preview, in both themes and sizes', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const size of SIZES) {
        const tag = `${colorScheme}-${size.width}x${size.height}`;
        const page = await world.open({ colorScheme, size });
        await page.getByRole('link', { name: 'Connections' }).click();
        const list = page.getByRole('list', { name: 'Saved connections' });
        await eventually(() => list.getByText('old-partner', { exact: true }).count()).toBe(1);
        await screenshot(page, `connections-list-${tag}`);

        await page.getByRole('button', { name: 'Test old-partner' }).click();
        const failed = page.getByRole('region', { name: 'Testing old-partner failed' });
        await eventually(() => failed.count()).toBe(1);
        expect(await failed.textContent()).toContain('The server refused the user name or password.');
        await screenshot(page, `connections-failed-test-${tag}`);

        await page.getByRole('button', { name: 'Edit partner-ftp' }).click();
        const form = page.getByRole('form', { name: 'Edit partner-ftp' });
        await eventually(() => form.getByRole('textbox', { name: /Address/ }).inputValue()).toBe(`ftp://${plain.user}@${plain.host}:${plain.port}/`);
        expect(await form.getByLabel('Password').getAttribute('placeholder')).toBe('A password is stored: leave empty to keep it');
        await screenshot(page, `connections-edit-${tag}`);
        if (colorScheme === 'light' && size === SIZES[0]) expect(await checkAccessibility(page)).toEqual([]);
        await form.getByRole('button', { name: 'Cancel' }).click();

        await page.getByRole('button', { name: 'Import sites' }).click();
        await page.getByLabel('Choose a site file…').setInputFiles(join(files, 'sitemanager.xml'));
        const sites = page.getByRole('list', { name: 'Sites in the file' });
        await eventually(() => sites.getByRole('listitem').count()).toBe(7);
        expect(await sites.textContent()).toContain('Not imported: password: FileZilla protects it with a master password');
        await screenshot(page, `connections-import-preview-${tag}`);
        if (colorScheme === 'dark' && size === SIZES[1]) expect(await checkAccessibility(page)).toEqual([]);
        await page.close();
      }
    }
    expect(world.pageErrors).toEqual([]);
  });

  it('imports a site whose stored password then passes its test', async () => {
    const site = join(files, 'one-site.xml');
    await writeFile(
      site,
      `<?xml version="1.0" encoding="UTF-8"?>\n<FileZilla3 version="3.67.0"><Servers><Server><Host>${plain.host}</Host><Port>${plain.port}</Port><Protocol>6</Protocol><User>${plain.user}</User><Pass encoding="base64">${Buffer.from(plain.password).toString('base64')}</Pass><Logontype>1</Logontype><Name>Imported partner</Name></Server></Servers></FileZilla3>\n`,
    );
    const page = await world.open();
    await page.getByRole('link', { name: 'Connections' }).click();
    await page.getByRole('button', { name: 'Import sites' }).click();
    await page.getByLabel('Choose a site file…').setInputFiles(site);
    await page.getByRole('button', { name: 'Import 1 site' }).click();
    await eventually(() => page.getByRole('status').textContent()).toBe('Imported 1 connection from one-site.xml');
    await page.getByRole('button', { name: 'Test Imported-partner' }).click();
    await eventually(() => page.getByRole('region', { name: 'What Imported-partner supports' }).count()).toBe(1);
    await page.close();
  });

  it('signs in to a Salesforce org in a browser tab, with PKCE, and lists the org', async () => {
    const page = await world.open();
    await page.getByRole('link', { name: 'Connections' }).click();
    await page.getByRole('button', { name: 'Sign in to Salesforce' }).click();
    const form = page.getByRole('form', { name: 'Sign in to Salesforce' });
    await form.getByRole('textbox', { name: 'Name' }).fill('acme-org');
    await form.getByRole('radio', { name: 'My Domain' }).check();
    await form.getByRole('textbox', { name: 'My Domain address' }).fill(org.sandbox.url);
    await screenshot(page, 'connections-salesforce-light-1280x800');
    await form.getByRole('button', { name: 'Sign in in the browser' }).click();
    const link = page.getByRole('link', { name: 'Open the Salesforce sign-in page' });
    await eventually(() => link.count()).toBe(1);
    expect(await link.getAttribute('href')).toMatch(/code_challenge=/);
    const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await eventually(() => tab.textContent('body')).toContain('Ferry is signed in to Salesforce.');
    await eventually(() => page.getByText('Signed in: acme-org is saved and answers.').count()).toBe(1);
    await eventually(() => page.getByRole('list', { name: 'Saved connections' }).getByText('acme-org', { exact: true }).count()).toBe(1);
    expect(world.pageErrors).toEqual([]);
  });
});
