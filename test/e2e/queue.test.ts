import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { CommandInput, CommandName, CommandOutput } from '../../src/shared/contract/commands.js';
import type { Wire } from '../../src/shared/contract/wire.js';
import { checkAccessibility } from './axe.js';
import { eventually, screenshot, SIZES, windowWorld, type WindowWorld } from './window.js';

/** The transfer dock of a coordinator's afternoon: a batch that failed, one under way, the queue paused. */
describe('the window: the transfer queue', () => {
  let world: WindowWorld;
  let outbox: string;
  let inbox: string;

  const call = async <C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>> => {
    const answer = (await world.core.invoke(command, input)) as Wire<CommandOutput<C>>;
    if (!answer.ok) throw new Error(`${command}: ${answer.error.message}`);
    return answer.value;
  };
  const copy = (paths: string[]): CommandInput<'transfers.start'> => ({ source: { connection: 'outbox', paths }, target: { connection: 'inbox', path: '' }, move: false, conflict: 'changed' });
  const stateOf = async (id: string): Promise<string | undefined> => (await call('transfers.list', {})).transfers.find((t) => t.id === id)?.state;
  const dock = (page: Page) => page.getByRole('region', { name: 'Transfers' });

  beforeAll(async () => {
    world = await windowWorld('queue');
    outbox = join(world.home, 'outbox');
    inbox = join(world.home, 'inbox');
    await mkdir(join(outbox, 'reports'), { recursive: true });
    await mkdir(inbox);
    await writeFile(join(outbox, 'orders.csv'), 'order,qty\n1,2\n');
    await writeFile(join(outbox, 'reports', 'november.csv'), 'month,total\n11,400\n');
    await writeFile(join(outbox, 'statement.pdf'), randomBytes(4 * 1024 * 1024));
    await writeFile(join(outbox, 'notes.txt'), 'notes');
    await writeFile(join(outbox, 'invoices.csv'), 'invoice\n7\n');
    // A file where the reports folder should be made: the report cannot land until it is moved away.
    await writeFile(join(inbox, 'reports'), 'in the way');
    for (const name of ['outbox', 'inbox']) {
      const added = await world.ferry(['connection', 'add', name, `file://${join(world.home, name)}`]);
      expect(added.code, added.err).toBe(0);
    }
  });
  afterAll(async () => {
    await world?.close();
  });

  /** The same moment in both themes and both sizes. */
  const shoot = async (moment: string): Promise<void> => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const size of SIZES) {
        const page = await world.open({ colorScheme, size });
        await eventually(() => dock(page).getByRole('listitem').count()).toBeGreaterThan(2);
        for (const batch of ['Copy 3 items from outbox to inbox', 'Copy 2 items from outbox to inbox']) {
          await dock(page).getByRole('button', { name: `Files of ${batch}`, exact: true }).click();
          await eventually(() => dock(page).getByRole('list', { name: `Files of ${batch}`, exact: true }).count()).toBe(1);
        }
        await screenshot(page, `queue-${moment}-${colorScheme}-${size.width}x${size.height}`);
        await page.close();
      }
    }
  };

  it('shows a failed, a running and a paused batch, cancels one file, retries the failed one, and every action is on the keyboard', async () => {
    const failed = await call('transfers.start', copy(['orders.csv', 'reports']));
    await eventually(() => stateOf(failed.id)).toBe('failed');
    // Slow enough that the statement is still on its way while the window is looked at.
    await call('limits.set', { scope: 'global', limit: '32k' });
    const running = await call('transfers.start', copy(['statement.pdf', 'notes.txt', 'invoices.csv']));
    await eventually(async () => (await call('transfers.list', {})).transfers.find((t) => t.id === running.id)?.current.length ?? 0).toBe(1);

    const page = await world.open();
    const queue = dock(page);
    await queue.getByRole('button', { name: 'Pause new transfers' }).focus();
    await page.keyboard.press('Enter');
    await eventually(() => queue.getByRole('status').textContent()).toBe('Paused: files on their way finish, no new file starts');
    const waiting = await call('transfers.start', copy(['orders.csv']));
    expect(await stateOf(waiting.id)).toBe('queued');
    const failedLabel = 'Copy 2 items from outbox to inbox';
    const runningLabel = 'Copy 3 items from outbox to inbox';
    await eventually(() => queue.getByRole('progressbar', { name: `${runningLabel} progress` }).count()).toBe(1);
    await queue.getByRole('button', { name: `Files of ${failedLabel}`, exact: true }).click();
    await eventually(() => queue.getByText(/^Failed: cannot create the target folder/).count()).toBe(1);
    await shoot('running');

    // The statement is cancelled on its own: the batch then only waits for the queue to go on.
    await queue.getByRole('button', { name: `Files of ${runningLabel}`, exact: true }).click();
    await queue.getByRole('button', { name: 'Cancel statement.pdf' }).focus();
    await page.keyboard.press('Enter');
    await eventually(() => stateOf(running.id)).toBe('paused');
    await eventually(() => queue.getByText('Paused', { exact: true }).count()).toBe(1);
    await shoot('paused');
    expect(await checkAccessibility(page)).toEqual([]);

    // A second window opened now sees the queue paused, and goes on from there.
    const second = await world.open({ size: SIZES[1] });
    await call('limits.set', { scope: 'global', limit: null });
    await dock(second).getByRole('button', { name: 'Resume transfers' }).click();
    await eventually(() => stateOf(waiting.id)).toBe('done');
    expect(await stateOf(running.id)).toBe('done');
    await eventually(() => queue.getByRole('button', { name: 'Pause new transfers' }).count()).toBe(1);
    expect(await readFile(join(inbox, 'notes.txt'), 'utf8')).toBe('notes');
    const runningFiles = (await call('transfers.files', { id: running.id, offset: 0, limit: 10 })).files.map((f) => [f.source, f.state]);
    expect(runningFiles).toEqual([['statement.pdf', 'cancelled'], ['notes.txt', 'done'], ['invoices.csv', 'done']]);

    await rm(join(inbox, 'reports'));
    await queue.getByRole('button', { name: `Retry failed files of ${failedLabel}` }).focus();
    await page.keyboard.press('Enter');
    await eventually(() => stateOf(failed.id)).toBe('done');
    await eventually(() => queue.getByText(/^Failed:/).count()).toBe(0);
    expect(await readFile(join(inbox, 'reports', 'november.csv'), 'utf8')).toBe('month,total\n11,400\n');
    const history = await world.workspace.history();
    expect(history.listRuns({ limit: 10 }).map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'partial', 'partial']);

    await queue.getByRole('button', { name: 'Clear finished' }).click();
    await eventually(() => dock(second).count()).toBe(0);
    expect(world.pageErrors).toEqual([]);
  }, 600_000);
});
