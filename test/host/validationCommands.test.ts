import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadJobFile } from '../../src/jobs/definition/loadJob.js';
import type { CoreHost } from '../../src/host/CoreHost.js';
import { createFerryHost } from '../../src/host/FerryHost.js';
import type { CommandInput, CommandName, CommandOutput } from '../../src/shared/contract/commands.js';
import type { Wire } from '../../src/shared/contract/wire.js';
import { jobWorld, type JobWorld } from '../jobs/harness.js';
import { inboundOrdersJob } from '../jobs/inboundOrdersJob.js';

/** The validation log's commands over files a real job run refused, acted on as `ferry quarantine` would. */
describe('the core behind the validation log', () => {
  let world: JobWorld;
  let core: CoreHost;
  const ids = new Map<string, number>();

  beforeAll(async () => {
    world = await jobWorld('validation-host');
    await world.files({
      'drop/ORD-ACME-60.csv': 'order,sku,qty\n60,ABC-123,0\n',
      'drop/ORD-ACME-61.csv': 'order,sku,qty\n61,abc,1\n',
      'drop/ORD-ACME-62.csv': 'order,sku,qty\n62,xyz,2\n',
      'drop/ORD-BETA-63.csv': 'order,sku,qty\n63,ABC-123,2\n',
    });
    const jobs = world.workspace.paths.jobs;
    await mkdir(jobs, { recursive: true });
    await writeFile(join(jobs, 'inbound.yaml'), inboundOrdersJob(world.work, `${world.work}/returned/`));
    const result = await world.run(await loadJobFile(join(jobs, 'inbound.yaml')));
    expect(result.files.map((f) => f.outcome)).toEqual(['quarantined', 'quarantined', 'quarantined', 'delivered']);
    for (const q of (await world.workspace.history()).journal().quarantined()) ids.set(q.file, q.id);
    core = createFerryHost({ workspace: world.workspace, host: 'web', version: '0.1.0' });
  });
  afterAll(async () => {
    await core?.close();
    await world?.close();
  });

  const answer = async <C extends CommandName>(command: C, input: CommandInput<C>): Promise<Wire<CommandOutput<C>>> => (await core.invoke(command, input)) as Wire<CommandOutput<C>>;
  const call = async <C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>> => {
    const result = await answer(command, input);
    if (!result.ok) throw new Error(`${command} failed: ${result.error.kind}: ${result.error.message}`);
    return result.value;
  };
  const id = (file: string): number => {
    const found = ids.get(file);
    if (found === undefined) throw new Error(`${file} was not quarantined`);
    return found;
  };

  it('pages every refused file newest first by key, each once, and filters by job and outcome', async () => {
    const first = await call('validation.log', { filter: {}, limit: 2 });
    expect(first.entries).toHaveLength(2);
    expect(first.next).toBeDefined();
    const second = await call('validation.log', { filter: {}, limit: 2, ...(first.next === undefined ? {} : { before: first.next }) });
    const all = [...first.entries, ...second.entries];
    expect(all.map((e) => `${e.file} ${e.outcome}`).sort()).toEqual(['ORD-ACME-60.csv held', 'ORD-ACME-61.csv held', 'ORD-ACME-62.csv held', 'ORD-BETA-63.csv passed']);
    expect(second.next).toBeDefined();
    const third = await call('validation.log', { filter: {}, limit: 2, ...(second.next === undefined ? {} : { before: second.next }) });
    expect(third).toEqual({ entries: [] });
    const order = all.map((e) => [e.at, e.id] as const);
    expect(order).toEqual([...order].sort((a, b) => b[0] - a[0] || b[1] - a[1]));
    expect(all.every((e) => e.job === 'inbound')).toBe(true);
    expect((await call('validation.log', { filter: { job: 'outbound' }, limit: 10 })).entries).toEqual([]);
    expect((await call('validation.log', { filter: { job: 'inbound', outcome: 'released' }, limit: 10 })).entries).toEqual([]);
    const later = Date.now() + 60_000;
    expect((await call('validation.log', { filter: { from: later, to: later + 1 }, limit: 10 })).entries).toEqual([]);
  });

  it('lists the file that passed with its rules, and finds files by partner, rule and name', async () => {
    const passed = await call('validation.log', { filter: { outcome: 'passed' }, limit: 10 });
    expect(passed.entries).toEqual([expect.objectContaining({ file: 'ORD-BETA-63.csv', partner: 'BETA', rules: ['name', 'csv'], ruleSet: '*.csv', reasons: [] })]);
    const files = async (filter: CommandInput<'validation.log'>['filter']) => (await call('validation.log', { filter, limit: 10 })).entries.map((e) => e.file).sort();
    expect(await files({ partner: 'BETA' })).toEqual(['ORD-BETA-63.csv']);
    expect(await files({ partner: 'ACME', outcome: 'held' })).toEqual(['ORD-ACME-60.csv', 'ORD-ACME-61.csv', 'ORD-ACME-62.csv']);
    expect(await files({ rule: 'csv', outcome: 'held' })).toEqual(['ORD-ACME-60.csv', 'ORD-ACME-61.csv', 'ORD-ACME-62.csv']);
    expect(await files({ rule: 'name' })).toEqual(['ORD-BETA-63.csv']);
    expect(await files({ name: 'acme-6' })).toEqual(['ORD-ACME-60.csv', 'ORD-ACME-61.csv', 'ORD-ACME-62.csv']);
    expect(await files({ name: 'ORD-B' })).toEqual(['ORD-BETA-63.csv']);
    const short = await answer('validation.log', { filter: { name: 'OR' }, limit: 10 });
    expect(short.ok ? undefined : short.error.message).toMatch(/3 characters/);
    const opened = await call('validation.entry', { id: passed.entries[0]?.id ?? 0 });
    expect([opened.entry.outcome, opened.firstLines, opened.binary]).toEqual(['passed', [], false]);
    const refused = await call('validation.return', { ids: [passed.entries[0]?.id ?? 0] });
    expect(refused.results.map((r) => r.outcome)).toEqual(['failed']);
    expect(refused.results[0]?.detail).toMatch(/passed validation/);
  });

  it('opens a refused file with its reason down to line and column and its first lines', async () => {
    const opened = await call('validation.entry', { id: id('ORD-ACME-60.csv') });
    expect(opened.entry.reasons).toEqual([expect.objectContaining({ rule: 'csv', line: 2, column: 3 })]);
    expect(opened.entry.reasons[0]?.message).toMatch(/qty/);
    expect(opened.firstLines).toEqual(['order,sku,qty', '60,ABC-123,0']);
    expect(opened.binary).toBe(false);
    const missing = await answer('validation.entry', { id: 99_999 });
    expect(missing.ok ? undefined : missing.error.kind).toBe('notFound');
    expect(missing.ok ? undefined : missing.error.message).toMatch(/#99999/);
  });

  it('re-validates a file that still fails and keeps it held, then releases it by hand to its route', async () => {
    const again = await call('validation.release', { ids: [id('ORD-ACME-60.csv')], revalidate: true });
    expect(again.results.map((r) => [r.id, r.outcome])).toEqual([[id('ORD-ACME-60.csv'), 'still-invalid']]);
    expect(again.results[0]?.detail).toMatch(/qty/);
    const released = await call('validation.release', { ids: [id('ORD-ACME-60.csv')], revalidate: false });
    expect(released.results).toEqual([expect.objectContaining({ outcome: 'released' })]);
    expect(await readFile(join(world.work, 'erp/ACME/ACME-60.csv'), 'utf8')).toBe('order,sku,qty\n60,ABC-123,0\n');
    const log = await call('validation.log', { filter: { outcome: 'released' }, limit: 10 });
    expect(log.entries.map((e) => e.file)).toEqual(['ORD-ACME-60.csv']);
  });

  it('returns a selection to the partner with a note, and answers for a file no longer held without stopping', async () => {
    const selection = [id('ORD-ACME-61.csv'), id('ORD-ACME-60.csv'), id('ORD-ACME-62.csv')];
    const returned = await call('validation.return', { ids: selection, note: 'Fix the SKU and send it again.' });
    expect(returned.results.map((r) => [r.file, r.outcome])).toEqual([
      ['ORD-ACME-61.csv', 'returned'],
      ['ORD-ACME-60.csv', 'failed'],
      ['ORD-ACME-62.csv', 'returned'],
    ]);
    expect(returned.results[1]?.detail).toMatch(/already released/);
    expect(await readFile(join(world.work, 'returned/ORD-ACME-62.csv'), 'utf8')).toBe('order,sku,qty\n62,xyz,2\n');
    const note = await readFile(join(world.work, 'returned/ORD-ACME-61.csv.rejected.txt'), 'utf8');
    expect(note).toMatch(/csv: .*"sku"/);
    expect(note).toMatch(/Fix the SKU and send it again\./);
    const log = await call('validation.log', { filter: { job: 'inbound', outcome: 'returned' }, limit: 10 });
    expect(log.entries.map((e) => e.file).sort()).toEqual(['ORD-ACME-61.csv', 'ORD-ACME-62.csv']);
  });

  it('links the file the partner sends again to the returned one, both ways', async () => {
    await world.files({ 'drop/ORD-ACME-61.csv': 'order,sku,qty\n61,ABC-123,1\n' });
    const again = await world.run(await loadJobFile(join(world.workspace.paths.jobs, 'inbound.yaml')));
    expect(again.files.map((f) => [f.path, f.outcome])).toEqual([['ORD-ACME-61.csv', 'delivered']]);
    const returned = await call('validation.entry', { id: id('ORD-ACME-61.csv') });
    const resubmission = returned.entry.resubmittedAs;
    expect(resubmission?.file).toBe('ORD-ACME-61.csv');
    const opened = await call('validation.entry', { id: resubmission?.id ?? 0 });
    expect(opened.entry).toEqual(expect.objectContaining({ outcome: 'passed', resubmissionOf: { id: id('ORD-ACME-61.csv'), file: 'ORD-ACME-61.csv' } }));
  });

  it('acts on a job whose file left the jobs folder from the file its run read, and says what to do when that is gone too', async () => {
    await world.files({ 'drop/ORD-ACME-64.csv': 'order,sku,qty\n64,ABC-123,0\n' });
    const kept = join(world.work, 'inbound-kept.yaml');
    await writeFile(kept, inboundOrdersJob(world.work, `${world.work}/returned/`));
    await world.run(await loadJobFile(kept));
    const held = (await call('validation.log', { filter: { name: 'ACME-64', outcome: 'held' }, limit: 10 })).entries.map((e) => e.id);
    expect(held).toHaveLength(1);
    const inFolder = join(world.workspace.paths.jobs, 'inbound.yaml');
    await rename(inFolder, join(world.work, 'inbound-aside.yaml'));
    try {
      const released = await call('validation.release', { ids: held, revalidate: false });
      expect(released.results).toEqual([expect.objectContaining({ outcome: 'released' })]);
      expect(await readFile(join(world.work, 'erp/ACME/ACME-64.csv'), 'utf8')).toBe('order,sku,qty\n64,ABC-123,0\n');

      await world.files({ 'drop/ORD-ACME-65.csv': 'order,sku,qty\n65,ABC-123,0\n' });
      await world.run(await loadJobFile(kept));
      const other = (await call('validation.log', { filter: { name: 'ACME-65' }, limit: 10 })).entries.map((e) => e.id);
      await rename(kept, join(world.work, 'inbound-gone.yaml'));
      const refused = await call('validation.return', { ids: other });
      expect(refused.results).toEqual([expect.objectContaining({ outcome: 'failed' })]);
      expect(refused.results[0]?.detail).toContain(world.workspace.paths.jobs);
      expect(refused.results[0]?.detail).toContain(kept);
      expect(refused.results[0]?.detail).toMatch(/Put its job file back in/);
    } finally {
      await rename(join(world.work, 'inbound-aside.yaml'), inFolder);
    }
  });

  it('refuses a selection the contract does not allow', async () => {
    const empty = await answer('validation.release', { ids: [], revalidate: false });
    expect(empty.ok ? undefined : empty.error.kind).toBe('badRequest');
  });
});
