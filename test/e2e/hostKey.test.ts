import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeScratch } from '../conformance/scratch.js';
import { seedServerFolder } from '../examples/support.js';
import { openSshFingerprint } from '../helpers/servers/index.js';
import { checkAccessibility } from './axe.js';
import { eventually, screenshot, windowWorld, type WindowWorld } from './window.js';

const sftp = inject('servers').sftp;

describe('the window meeting an SSH server for the first time', () => {
  let world: WindowWorld;
  let scratch: Awaited<ReturnType<typeof makeScratch>>;

  beforeAll(async () => {
    world = await windowWorld('host-key');
    scratch = await makeScratch(sftp.home, 'e2e-host-key');
    await seedServerFolder(scratch.path, { 'hello.txt': 'hello' });
    // Saved untested, as a colleague's settings would be: the server's key is not known on this machine.
    const added = await world.ferry(['connection', 'add', 'new-partner', `sftp://${sftp.user}@${sftp.host}:${sftp.port}${scratch.path}`, '--password-stdin', '--no-test'], `${sftp.password}\n`);
    expect(added.code, added.err).toBe(0);
  });
  afterAll(async () => {
    await world?.close();
    await scratch?.remove();
  });

  it('shows the key\'s fingerprint and connects once the person trusts it, remembering it', async () => {
    const page = await world.open();
    await page.getByRole('region', { name: /^Left pane/ }).getByRole('combobox', { name: 'Connection' }).selectOption('new-partner');
    const dialog = page.getByRole('dialog', { name: `Is this ${sftp.host}?` });
    await eventually(() => dialog.count()).toBe(1);
    expect(await dialog.textContent()).toContain(openSshFingerprint(sftp.hostKeyLine));
    await screenshot(page, 'host-key-light-1280x800');
    expect(await checkAccessibility(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Trust and connect' }).click();
    await eventually(() => page.getByRole('region', { name: /^Left pane/ }).getByRole('row', { name: /^hello\.txt/ }).count()).toBe(1);
    // The right pane opened the same server too: one answer served both.
    await eventually(() => page.getByRole('region', { name: /^Right pane/ }).getByRole('row', { name: /^hello\.txt/ }).count()).toBe(1);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await readFile(join(world.home, 'known_hosts'), 'utf8')).toContain(sftp.hostKeyLine);
    expect(world.pageErrors).toEqual([]);
  });
});
