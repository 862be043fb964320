import { appendFile, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobBusyError } from '../../src/history/JobJournal.js';
import type { RunId } from '../../src/history/records.js';
import { jobWorld, notificationsIn, startEndpoint, type Endpoint, type JobWorld } from './harness.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(64), Buffer.from('PE\0\0'), Buffer.alloc(200)]);

function inboundJob(webhook: string, extra = ''): string {
  return `version: 1
name: inbound
source:
  location: ./drop
arrival:
  stableFor: 0s
validate:
  - files: '*.csv'
    name: '^ORD-(?<partner>[A-Z]+)-(?<seq>\\d+)\\.csv$'
    maxSize: 1KB
    csv:
      columns:
        - { name: order, type: integer, required: true }
        - { name: sku, required: true, pattern: '[A-Z]{3}-\\d{3}' }
        - { name: qty, type: integer, min: 1 }
  - files: '*.pdf'
    name: '^INV-(?<partner>[A-Z]+)-(?<seq>\\d+)\\.pdf$'
    contentType: true
routes:
  - name: erp
    to: ./erp/{partner}/
    rename: '{partner}-{seq}{ext}'
after:
  source: delete
notify:
  - on: [quarantine, failure]
    webhook: { url: '${webhook}' }
${extra}`;
}

describe('a job over local folders', () => {
  let world: JobWorld;
  let hook: Endpoint;

  beforeEach(async () => {
    world = await jobWorld('jobs');
    hook = await startEndpoint();
  });
  afterEach(async () => {
    await hook.close();
    await world.close();
  });

  it('delivers good files renamed by their captures and quarantines each bad one with its reason and a notification', async () => {
    await world.files({
      'drop/ORD-ACME-1.csv': 'order,sku,qty\n1,ABC-123,2\n',
      'drop/ORD-ACME-2.csv': 'order,sku,quantity\n2,ABC-123,2\n',
      'drop/ORD-ACME-3.csv': `order,sku,qty\n${'3,ABC-123,1\n'.repeat(200)}`,
      'drop/orders acme 4.csv': 'order,sku,qty\n4,ABC-123,2\n',
      'drop/INV-ACME-5.pdf': PDF,
      'drop/INV-ACME-6.pdf': EXE,
    });
    const job = await world.job(inboundJob(`${hook.url}/hook`));
    const result = await world.run(job);

    const outcome = Object.fromEntries(result.files.map((f) => [f.path, f.outcome]));
    expect(outcome).toEqual({
      'ORD-ACME-1.csv': 'delivered',
      'ORD-ACME-2.csv': 'quarantined',
      'ORD-ACME-3.csv': 'quarantined',
      'orders acme 4.csv': 'quarantined',
      'INV-ACME-5.pdf': 'delivered',
      'INV-ACME-6.pdf': 'quarantined',
    });
    expect(await readFile(join(world.work, 'erp/ACME/ACME-1.csv'), 'utf8')).toBe('order,sku,qty\n1,ABC-123,2\n');
    expect((await readFile(join(world.work, 'erp/ACME/ACME-5.pdf'))).equals(PDF)).toBe(true);
    expect(await readdir(join(world.work, 'drop'))).toEqual([]);

    const rules = (path: string): string[] => result.files.find((f) => f.path === path)?.verdict?.reasons.map((r) => r.rule) ?? [];
    expect(rules('ORD-ACME-2.csv')).toEqual(['csv']);
    expect(result.files.find((f) => f.path === 'ORD-ACME-2.csv')?.reason).toMatch(/the column "quantity" is not expected/);
    expect(rules('ORD-ACME-3.csv')).toEqual(['size']);
    expect(rules('orders acme 4.csv')).toEqual(['name']);
    expect(rules('INV-ACME-6.pdf')).toEqual(['content-type']);

    const held = world.workspace.history().then((h) => h.journal().quarantined({ job: 'inbound' }));
    const quarantined = await held;
    expect(quarantined.map((q) => q.file).sort()).toEqual(['INV-ACME-6.pdf', 'ORD-ACME-2.csv', 'ORD-ACME-3.csv', 'orders acme 4.csv']);
    for (const q of quarantined) {
      const name = q.file;
      const kept = await readFile(join(q.location, name));
      expect(kept.length).toBeGreaterThan(0);
      const reason = JSON.parse(await readFile(join(q.location, `${name}.reason.json`), 'utf8')) as { file: string; reasons: Array<{ rule: string }>; sha256: string };
      expect(reason.file).toBe(name);
      expect(reason.reasons.map((r) => r.rule)).toEqual(q.reasons.map((r) => r.rule));
    }
    const notices = notificationsIn(hook);
    expect(notices.filter((n) => n.event === 'quarantine').map((n) => n.facts['file']).sort()).toEqual(['INV-ACME-6.pdf', 'ORD-ACME-2.csv', 'ORD-ACME-3.csv', 'orders acme 4.csv']);
    expect(notices.find((n) => n.facts['file'] === 'INV-ACME-6.pdf')?.facts['rules']).toBe('content-type');

    const history = await world.workspace.history();
    const items = history.runItems(history.listRuns({ job: 'inbound' })[0]?.id ?? (0 as never), { limit: 10 });
    expect(items.map((i) => [i.sourcePath, i.status])).toEqual(
      expect.arrayContaining([
        ['ORD-ACME-1.csv', 'moved'],
        ['ORD-ACME-2.csv', 'quarantined'],
      ]),
    );
  });

  it('fails a file whose name it must refuse: the preview says so, the run records and reports it, and the file stays', async () => {
    const hostile = 'a\\..\\..\\b.csv';
    await world.files({ 'drop/ORD-ACME-9.csv': 'order,sku,qty\n9,ABC-123,2\n', [`drop/${hostile}`]: 'order,sku,qty\n10,ABC-123,2\n' });
    const job = await world.job(inboundJob(`${hook.url}/hook`));
    const shown = hostile;

    const preview = await world.run(job, { dryRun: true });
    expect(preview.status).toBe('partial');
    expect(preview.files.map((f) => [f.path, f.outcome])).toEqual([
      ['ORD-ACME-9.csv', 'planned'],
      [shown, 'failed'],
    ]);
    expect(hook.received).toEqual([]);

    const result = await world.run(job);
    expect(result.status).toBe('partial');
    expect(result.files.map((f) => [f.path, f.outcome])).toEqual([
      ['ORD-ACME-9.csv', 'delivered'],
      [shown, 'failed'],
    ]);
    expect(result.files[1]?.reason).toMatch(/refused name: .*path separator/);
    expect(await readdir(join(world.work, 'drop'))).toEqual([hostile]);

    const history = await world.workspace.history();
    const run = history.run(result.runId as RunId);
    expect(run).toMatchObject({ status: 'partial', failed: 1 });
    const items = history.runItems(result.runId as RunId, { limit: 10 });
    const item = items.find((i) => i.sourcePath === shown);
    expect(item).toMatchObject({ status: 'failed', errorKind: 'unsafeName' });
    expect(item?.reason).toMatch(/refused name/);

    const failures = notificationsIn(hook).filter((n) => n.event === 'failure');
    expect(failures).toHaveLength(1);
    expect(failures[0]?.facts).toMatchObject({ failed: 1, first: shown });
  });

  it('fails the run when the only file has a name it must refuse', async () => {
    await world.files({ 'drop/a\\..\\b.csv': 'order,sku,qty\n11,ABC-123,2\n' });
    const result = await world.run(await world.job(inboundJob(`${hook.url}/hook`)));
    expect(result.status).toBe('failed');
    expect(notificationsIn(hook).map((n) => n.event)).toEqual(['failure']);
  });

  it('does not take a file that is still being written', async () => {
    await world.files({ 'drop/ORD-ACME-7.csv': 'order,sku,qty\n7,ABC-123,1\n', 'drop/ORD-ACME-8.csv': 'order,sku,qty\n8,ABC-123,1\n' });
    const job = await world.job(inboundJob(`${hook.url}/hook`).replace('stableFor: 0s', 'stableFor: 2s'));
    // While the job waits for the files to settle, the partner is still writing one of them.
    const result = await world.run(job, { services: { sleep: async () => appendFile(join(world.work, 'drop/ORD-ACME-8.csv'), '9,ABC-123,1\n') } });
    expect(result.files.map((f) => f.path)).toEqual(['ORD-ACME-7.csv']);
    expect(result.waiting).toEqual([{ path: 'ORD-ACME-8.csv', why: 'still changing (not stable for 2s)' }]);
    expect(await readdir(join(world.work, 'drop'))).toEqual(['ORD-ACME-8.csv']);
    const next = await world.run(job, { services: { sleep: async () => {} } });
    expect(next.files.map((f) => [f.path, f.outcome])).toEqual([['ORD-ACME-8.csv', 'delivered']]);
    expect(await readFile(join(world.work, 'erp/ACME/ACME-8.csv'), 'utf8')).toBe('order,sku,qty\n8,ABC-123,1\n9,ABC-123,1\n');
  });

  it('ignores partial uploads and waits for done-files', async () => {
    await world.files({
      'drop/ORD-ACME-10.csv': 'order,sku,qty\n10,ABC-123,1\n',
      'drop/ORD-ACME-10.csv.done': '',
      'drop/ORD-ACME-11.csv': 'order,sku,qty\n11,ABC-123,1\n',
      'drop/ORD-ACME-12.csv.part': 'order,sku',
    });
    const job = await world.job(inboundJob(`${hook.url}/hook`).replace('  stableFor: 0s\n', "  stableFor: 0s\n  doneFile: '{name}.done'\n"));
    const result = await world.run(job);
    expect(result.files.map((f) => [f.path, f.outcome])).toEqual([['ORD-ACME-10.csv', 'delivered']]);
    expect(result.waiting).toEqual([{ path: 'ORD-ACME-11.csv', why: 'waiting for ORD-ACME-11.csv.done' }]);
    // The marker goes with its file; the partial upload is left alone.
    expect((await readdir(join(world.work, 'drop'))).sort()).toEqual(['ORD-ACME-11.csv', 'ORD-ACME-12.csv.part']);
  });

  it('waits for every file a manifest lists and checks their checksums', async () => {
    const a = 'order,sku,qty\n20,ABC-123,1\n';
    const b = 'order,sku,qty\n21,ABC-123,1\n';
    const { createHash } = await import('node:crypto');
    const sum = (s: string): string => createHash('sha256').update(s).digest('hex');
    await world.files({ 'drop/ORD-ACME-20.csv': a, 'drop/MANIFEST.sha256': `${sum(a)}  ORD-ACME-20.csv\n${sum(b)}  ORD-ACME-21.csv\n` });
    const job = await world.job(
      inboundJob(`${hook.url}/hook`)
        .replace('  stableFor: 0s\n', "  stableFor: 0s\n  manifest: { name: 'MANIFEST*', format: sums, checksum: sha256 }\n")
        .replace("    name: '^ORD", "    checksum: { algorithm: sha256 }\n    name: '^ORD"),
    );
    const early = await world.run(job);
    expect(early.files).toEqual([]);
    expect(early.waiting).toEqual([{ path: 'ORD-ACME-21.csv', why: 'listed in MANIFEST.sha256 but not here yet' }]);
    await world.files({ 'drop/ORD-ACME-21.csv': b.replace('21,', '22,') });
    const complete = await world.run(job);
    expect(complete.files.map((f) => [f.path, f.outcome])).toEqual([
      ['ORD-ACME-20.csv', 'delivered'],
      ['ORD-ACME-21.csv', 'quarantined'],
    ]);
    expect(complete.files[1]?.verdict?.reasons.map((r) => r.rule)).toEqual(['checksum']);
  });

  it('remembers what it took: an unchanged file left in place is not delivered again, a changed one is', async () => {
    await world.files({ 'drop/ORD-ACME-30.csv': 'order,sku,qty\n30,ABC-123,1\n' });
    const job = await world.job(inboundJob(`${hook.url}/hook`).replace('  source: delete', '  source: keep'));
    expect((await world.run(job)).files.map((f) => f.outcome)).toEqual(['delivered']);
    expect((await world.run(job)).files).toEqual([]);
    await world.files({ 'drop/ORD-ACME-30.csv': 'order,sku,qty\n30,ABC-123,15\n' });
    expect((await world.run(job)).files.map((f) => f.outcome)).toEqual(['delivered']);
    expect(await readFile(join(world.work, 'erp/ACME/ACME-30.csv'), 'utf8')).toBe('order,sku,qty\n30,ABC-123,15\n');
  });

  it('previews without changing anything', async () => {
    await world.files({ 'drop/ORD-ACME-40.csv': 'order,sku,qty\n40,ABC-123,1\n', 'drop/bad.csv': 'x' });
    const job = await world.job(inboundJob(`${hook.url}/hook`));
    const preview = await world.run(job, { dryRun: true });
    expect(preview.files.map((f) => [f.path, f.outcome])).toEqual([
      ['ORD-ACME-40.csv', 'planned'],
      ['bad.csv', 'quarantined'],
    ]);
    expect(preview.files[0]?.deliveries).toEqual([expect.objectContaining({ route: 'erp', name: 'ACME-40.csv', status: 'planned', detail: 'new file' })]);
    expect((await readdir(join(world.work, 'drop'))).sort()).toEqual(['ORD-ACME-40.csv', 'bad.csv']);
    await expect(stat(join(world.work, 'erp'))).rejects.toThrow();
    expect(hook.received).toEqual([]);
    expect((await world.workspace.history()).journal().quarantined()).toEqual([]);
  });

  it('refuses to run a job a live process is already running', async () => {
    await world.files({ 'drop/ORD-ACME-50.csv': 'order,sku,qty\n50,ABC-123,1\n' });
    const job = await world.job(inboundJob(`${hook.url}/hook`).replace('stableFor: 0s', 'stableFor: 1s'));
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = world.run(job, { services: { sleep: () => gate } });
    await new Promise((r) => setTimeout(r, 100));
    const second = world.run(job, { services: { owner: `${process.pid + 1}-other@elsewhere` } });
    await expect(second).rejects.toBeInstanceOf(JobBusyError);
    release();
    expect((await first).files.map((f) => f.outcome)).toEqual(['delivered']);
  });

  it('releases a quarantined file, and sends another back to the partner with a note', async () => {
    await world.files({ 'drop/ORD-ACME-60.csv': 'order,sku,qty\n60,ABC-123,0\n', 'drop/ORD-ACME-61.csv': 'order,sku,qty\n61,abc,1\n' });
    const job = await world.job(inboundJob(`${hook.url}/hook`, 'quarantine:\n  returnTo: ./returned/\n'));
    await world.run(job);
    const journal = (await world.workspace.history()).journal();
    const held = journal.quarantined();
    const sixty = held.find((q) => q.file === 'ORD-ACME-60.csv');
    const sixtyOne = held.find((q) => q.file === 'ORD-ACME-61.csv');
    expect(held).toHaveLength(2);
    const listed = await world.ferry(['quarantine', 'list']);
    expect(listed.out).toMatch(new RegExp(`#${sixty?.id}.*ORD-ACME-60.csv`));
    const released = await world.ferry(['quarantine', 'release', String(sixty?.id), '--job', job.file]);
    expect(released.code, released.err + released.out).toBe(0);
    expect(await readFile(join(world.work, 'erp/ACME/ACME-60.csv'), 'utf8')).toBe('order,sku,qty\n60,ABC-123,0\n');
    const returned = await world.ferry(['quarantine', 'return', String(sixtyOne?.id), '--note', 'Fix the SKU.', '--job', job.file]);
    expect(returned.code, returned.err).toBe(0);
    expect(await readFile(join(world.work, 'returned/ORD-ACME-61.csv'), 'utf8')).toBe('order,sku,qty\n61,abc,1\n');
    const note = await readFile(join(world.work, 'returned/ORD-ACME-61.csv.rejected.txt'), 'utf8');
    expect(note).toMatch(/csv: .*"sku"/);
    expect(note).toMatch(/Fix the SKU\./);
    expect(journal.quarantined().map((q) => q.id)).toEqual([]);
    expect(journal.quarantined({ state: 'returned' }).map((q) => q.file)).toEqual(['ORD-ACME-61.csv']);
  });

  it('posts files to an HTTP endpoint with a header from the secret store and a stable idempotency key', async () => {
    const stored = await world.ferry(['secret', 'set', 'dms-key'], 'k3y-Value\n');
    expect(stored.code, stored.err).toBe(0);
    await world.files({ 'drop/INV-ACME-70.pdf': PDF });
    const job = await world.job(
      inboundJob(`${hook.url}/hook`).replace(
        '    to: ./erp/{partner}/\n',
        `    http:\n      url: '${hook.url}/dms/{partner}/{name}'\n      secretHeaders: { X-Api-Key: dms-key }\n`,
      ),
    );
    hook.status = 503;
    const failed = await world.run(job);
    expect(failed.files.map((f) => f.outcome)).toEqual(['failed']);
    const attempts = hook.received.filter((r) => r.url.startsWith('/dms/'));
    expect(attempts.length).toBeGreaterThan(1);
    hook.status = 201;
    const delivered = await world.run(job);
    expect(delivered.files.map((f) => f.outcome)).toEqual(['delivered']);
    const posts = hook.received.filter((r) => r.url === '/dms/ACME/ACME-70.pdf');
    const last = posts.at(-1);
    expect(last?.body.equals(PDF)).toBe(true);
    expect(last?.headers['x-api-key']).toBe('k3y-Value');
    expect(new Set(posts.map((p) => p.headers['idempotency-key'])).size).toBe(1);
    expect(await readdir(join(world.work, 'drop'))).toEqual([]);
  });

  it('after a partial failure, sends a file again only where it did not arrive', async () => {
    await world.files({ 'drop/INV-ACME-80.pdf': PDF });
    const job = await world.job(
      inboundJob(`${hook.url}/hook`).replace(
        'routes:\n',
        `routing: all\nroutes:\n  - name: dms\n    http: { url: '${hook.url}/dms/{name}' }\n`,
      ),
    );
    hook.status = 500;
    const first = await world.run(job);
    expect(first.files.map((f) => f.outcome)).toEqual(['failed']);
    expect(await readFile(join(world.work, 'erp/ACME/ACME-80.pdf'))).toEqual(PDF);
    expect(await readdir(join(world.work, 'drop'))).toEqual(['INV-ACME-80.pdf']);
    // Had the second run delivered to the folder again, this mark would be gone.
    await world.files({ 'erp/ACME/ACME-80.pdf': 'already processed downstream' });
    hook.status = 200;
    const second = await world.run(job);
    expect(second.files.map((f) => f.outcome)).toEqual(['delivered']);
    expect(await readFile(join(world.work, 'erp/ACME/ACME-80.pdf'), 'utf8')).toBe('already processed downstream');
    expect(hook.received.filter((r) => r.url === '/dms/INV-ACME-80.pdf' && r.body.equals(PDF)).length).toBeGreaterThan(1);
    expect(await readdir(join(world.work, 'drop'))).toEqual([]);
  });

  it('lets two jobs that share a connection limited to one use it one after the other', async () => {
    await world.files({ 'drop/a/ORD-ACME-90.csv': 'order,sku,qty\n90,ABC-123,1\n', 'drop/b/ORD-ACME-91.csv': 'order,sku,qty\n91,ABC-123,1\n' });
    const added = await world.ferry(['connection', 'add', 'drop', `file://${world.work}/drop`]);
    expect(added.code, added.err).toBe(0);
    const { ConnectionBudget } = await import('../../src/schedule/ConnectionBudget.js');
    const budget = new ConnectionBudget(new Map([['drop', 1]]));
    const jobA = await world.job(inboundJob(`${hook.url}/hook`).replace('location: ./drop', 'location: drop:a').replace('name: inbound', 'name: job-a').replace('stableFor: 0s', 'stableFor: 1s'), 'a.yaml');
    const jobB = await world.job(inboundJob(`${hook.url}/hook`).replace('location: ./drop', 'location: drop:b').replace('name: inbound', 'name: job-b'), 'b.yaml');
    const events: string[] = [];
    let openGate: () => void = () => {};
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const a = world.run(jobA, { services: { budget, sleep: () => gate, onEvent: (e) => e.kind === 'started' && events.push('a started') } });
    await new Promise((r) => setTimeout(r, 200));
    const b = world.run(jobB, { services: { budget, onEvent: (e) => e.kind === 'started' && events.push('b started') } });
    await new Promise((r) => setTimeout(r, 200));
    expect(events).toEqual(['a started']);
    expect(budget.inUse('drop')).toBe(1);
    openGate();
    expect((await a).files.map((f) => f.outcome)).toEqual(['delivered']);
    expect((await b).files.map((f) => f.outcome)).toEqual(['delivered']);
    expect(events).toEqual(['a started', 'b started']);
  });

  it('quarantines a file whose rename would make a name longer than 255 bytes, naming the file, the name and the limit', async () => {
    const source = `ORD-ACME-${'9'.repeat(200)}.csv`;
    const content = 'order,sku,qty\n96,ABC-123,1\n';
    await world.files({ [`drop/${source}`]: content });
    const job = await world.job(inboundJob(`${hook.url}/hook`).replace("rename: '{partner}-{seq}{ext}'", "rename: '{partner}-{seq}-{seq}{ext}'"));

    const preview = await world.run(job, { dryRun: true });
    expect(preview.files.map((f) => [f.path, f.outcome])).toEqual([[source, 'quarantined']]);

    const result = await world.run(job);
    const file = result.files[0];
    expect(file?.outcome).toBe('quarantined');
    expect(file?.verdict?.reasons.map((r) => r.rule)).toEqual(['mapping']);
    expect(file?.reason).toBe(
      `${source}: Template "{partner}-{seq}-{seq}{ext}" renders the name "ACME-${'9'.repeat(35)}…${'9'.repeat(15)}.csv" of 410 bytes; a name may have at most 255 bytes`,
    );
    const [held] = (await world.workspace.history()).journal().quarantined({ job: 'inbound' });
    expect(await readFile(join(held?.location ?? '', source), 'utf8')).toBe(content);
    expect(await readdir(join(world.work, 'drop'))).toEqual([]);
    await expect(stat(join(world.work, 'erp'))).rejects.toThrow();
  });

  it('moves handled files into a folder written "./done/" as it would into "done"', async () => {
    const job = await world.job(inboundJob(`${hook.url}/hook`).replace('  source: delete', "  source: { moveTo: './done/' }"));
    await world.files({ 'drop/ORD-ACME-97.csv': 'order,sku,qty\n97,ABC-123,1\n' });
    const result = await world.run(job);
    expect(result.status).toBe('succeeded');
    expect(result.files.map((f) => [f.path, f.outcome, f.source])).toEqual([['ORD-ACME-97.csv', 'delivered', 'moved']]);
    expect(await readdir(join(world.work, 'drop/done'))).toEqual(['ORD-ACME-97.csv']);
  });

  it('never takes again the files it moved aside inside a source it reads recursively', async () => {
    const recursive = inboundJob(`${hook.url}/hook`).replace('  source: delete', "  source: { moveTo: 'processed/{date:yyyy}' }").replace('  location: ./drop\n', '  location: ./drop\n  recursive: true\n');
    const job = await world.job(recursive);
    await world.files({ 'drop/ORD-ACME-93.csv': 'order,sku,qty\n93,ABC-123,1\n' });
    expect((await world.run(job)).files.map((f) => [f.path, f.outcome])).toEqual([['ORD-ACME-93.csv', 'delivered']]);
    expect((await world.run(job)).files).toEqual([]);
    expect(await readdir(join(world.work, 'erp/ACME'))).toEqual(['ACME-93.csv']);
    const placeholderFirst = recursive.replace("moveTo: 'processed/{date:yyyy}'", "moveTo: '{date:yyyy}/processed'");
    await expect(world.job(placeholderFirst)).rejects.toThrow(/after\.source\.moveTo: with source\.recursive, moveTo must start with a fixed folder name/);
  });

  it('moves handled files aside without replacing an earlier file of the same name', async () => {
    const job = await world.job(inboundJob(`${hook.url}/hook`).replace('  source: delete', "  source: { moveTo: 'processed' }"));
    await world.files({ 'drop/ORD-ACME-95.csv': 'order,sku,qty\n95,ABC-123,1\n' });
    await world.run(job);
    await world.files({ 'drop/ORD-ACME-95.csv': 'order,sku,qty\n95,ABC-123,22\n' });
    await world.run(job);
    expect((await readdir(join(world.work, 'drop/processed'))).sort()).toEqual(['ORD-ACME-95 (1).csv', 'ORD-ACME-95.csv']);
    expect(await readFile(join(world.work, 'drop/processed/ORD-ACME-95.csv'), 'utf8')).toBe('order,sku,qty\n95,ABC-123,1\n');
  });
});
