import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunId } from '../../src/history/records.js';
import { makeScratch } from '../conformance/scratch.js';
import { jobWorld, notificationsIn, startEndpoint, type Endpoint, type JobWorld } from '../jobs/harness.js';
import { addFtpConnection, addSftpConnection, copyExample, EXAMPLES_DIR, filesUnder, outcomes, pathsUnder, runJobCli, seedServerFolder } from './support.js';

const EXAMPLE = '01-partner-orders-to-erp';
const JOB = 'partner-orders-to-erp';
/** An upload still in progress: the partner's client writes it under a temporary name. */
const PARTIAL = 'ORD_ACME_20260301_003.csv.part';

const sample = (name: string): Promise<Buffer> => readFile(join(EXAMPLES_DIR, EXAMPLE, 'samples', name));

describe('example 01: partner orders from FTPS to the ERP (SFTP), the DMS (HTTP) and a review folder', () => {
  const servers = inject('servers');
  let world: JobWorld;
  let dms: Endpoint;
  let hook: Endpoint;
  let partnerFolder: string;
  let erpFolder: string;
  let jobPath: string;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    world = await jobWorld('example-01');
    dms = await startEndpoint();
    dms.status = 201;
    hook = await startEndpoint();
    await copyExample(world, EXAMPLE);
    jobPath = join(world.work, 'job.yaml');
    const job = await readFile(jobPath, 'utf8');
    await writeFile(
      jobPath,
      job.replace('http://dms.example.internal:8080', dms.url).replace('https://hooks.example.internal/ferry/partner-orders', `${hook.url}/hook`),
    );

    const ftp = servers.ftp['vsftpd-explicit'];
    const drop = await makeScratch(ftp.home, 'example-01-partner');
    const erp = await makeScratch(servers.sftp.home, 'example-01-erp');
    cleanups.push(drop.remove, erp.remove);
    partnerFolder = join(drop.path, 'outbox');
    erpFolder = erp.path;
    await addFtpConnection(world, 'partner-ftp', ftp, drop.name);
    await addSftpConnection(world, 'erp-sftp', servers.sftp, erp.path);

    const samples = await filesUnder(join(world.work, 'samples'));
    const tree: Record<string, Buffer | string> = {};
    for (const [name, content] of Object.entries(samples)) tree[`outbox/${name}`] = content;
    tree[`outbox/${PARTIAL}`] = 'order_no,sku,quantity,unit_price,delivery_date\n100240,ABC-10';
    await seedServerFolder(drop.path, tree);
  });

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    await dms?.close();
    await hook?.close();
    await world?.close();
  });

  it('previews the run: where each file would go and why the bad ones would be quarantined, changing nothing', async () => {
    const before = await filesUnder(partnerFolder);
    const preview = await runJobCli(world, jobPath, ['--dry-run']);
    expect(preview.dryRun).toBe(true);
    expect(outcomes(preview)).toEqual([
      ['INV_ACME_48213.pdf', 'planned'],
      ['INV_ACME_48214.pdf', 'quarantined'],
      ['INV_GLOBEX_77001.pdf', 'planned'],
      ['ORD_ACME_20260301_001.csv', 'planned'],
      ['ORD_ACME_20260301_002.csv', 'quarantined'],
      ['ORD_GLOBEX_20260302_001.csv', 'planned'],
      ['orders acme march.csv', 'quarantined'],
      ['PRICELIST_ACME_2026-Q2.csv', 'planned'],
    ]);
    const planned = (path: string): unknown => preview.files.find((f) => f.path === path)?.deliveries;
    expect(planned('ORD_ACME_20260301_001.csv')).toEqual([
      expect.objectContaining({ route: 'orders-to-erp', name: 'ORDER_ACME_20260301_001.csv', target: 'erp-sftp:inbound/ACME/ORDER_ACME_20260301_001.csv', status: 'planned' }),
    ]);
    expect(planned('INV_GLOBEX_77001.pdf')).toEqual([
      expect.objectContaining({ route: 'invoices-to-dms', target: `${dms.url}/api/documents/GLOBEX/77001`, status: 'planned', detail: 'POST body' }),
    ]);
    expect(planned('PRICELIST_ACME_2026-Q2.csv')).toEqual([expect.objectContaining({ route: 'everything-else-to-review', status: 'planned' })]);
    expect(preview.files.find((f) => f.path === 'INV_ACME_48214.pdf')?.verdict?.reasons.map((r) => r.rule)).toEqual(['content-type']);

    // Nothing moved, nothing was sent, nothing was quarantined.
    expect(await filesUnder(partnerFolder)).toEqual(before);
    expect(await pathsUnder(erpFolder)).toEqual([]);
    expect(await pathsUnder(join(world.work, 'review'))).toEqual([]);
    expect(await pathsUnder(join(world.work, 'quarantine'))).toEqual([]);
    expect(dms.received).toEqual([]);
    expect(hook.received).toEqual([]);
    expect((await world.workspace.history()).journal().quarantined({ job: JOB })).toEqual([]);
  });

  it('routes orders, invoices and the rest, quarantines the bad files with a reason and a notification, and empties the partner folder', async () => {
    const result = await runJobCli(world, jobPath);
    expect(result.status, JSON.stringify(result, null, 2)).toBe('succeeded');
    expect(outcomes(result)).toEqual([
      ['INV_ACME_48213.pdf', 'delivered'],
      ['INV_ACME_48214.pdf', 'quarantined'],
      ['INV_GLOBEX_77001.pdf', 'delivered'],
      ['ORD_ACME_20260301_001.csv', 'delivered'],
      ['ORD_ACME_20260301_002.csv', 'quarantined'],
      ['ORD_GLOBEX_20260302_001.csv', 'delivered'],
      ['orders acme march.csv', 'quarantined'],
      ['PRICELIST_ACME_2026-Q2.csv', 'delivered'],
    ]);

    // ERP: one folder per partner, names built from the captures, the bytes unchanged.
    const erp = await filesUnder(erpFolder);
    expect(Object.keys(erp).sort()).toEqual(['inbound/ACME/ORDER_ACME_20260301_001.csv', 'inbound/GLOBEX/ORDER_GLOBEX_20260302_001.csv']);
    expect(erp['inbound/ACME/ORDER_ACME_20260301_001.csv']?.equals(await sample('ORD_ACME_20260301_001.csv'))).toBe(true);
    expect(erp['inbound/GLOBEX/ORDER_GLOBEX_20260302_001.csv']?.equals(await sample('ORD_GLOBEX_20260302_001.csv'))).toBe(true);

    // DMS: one POST per good invoice, the PDF as the body, each with its own idempotency key.
    const posts = [...dms.received].sort((a, b) => a.url.localeCompare(b.url));
    expect(posts.map((p) => [p.method, p.url])).toEqual([
      ['POST', '/api/documents/ACME/48213'],
      ['POST', '/api/documents/GLOBEX/77001'],
    ]);
    expect(posts[0]?.body.equals(await sample('INV_ACME_48213.pdf'))).toBe(true);
    expect(posts[1]?.body.equals(await sample('INV_GLOBEX_77001.pdf'))).toBe(true);
    for (const post of posts) {
      expect(post.headers['idempotency-key']).toMatch(/^[0-9a-f]{40}$/);
      expect(post.headers['x-document-type']).toBe('supplier-invoice');
    }
    expect(posts[0]?.headers['idempotency-key']).not.toBe(posts[1]?.headers['idempotency-key']);

    // Review: what is neither an order nor an invoice.
    const review = await filesUnder(join(world.work, 'review'));
    expect(Object.keys(review)).toEqual(['PRICELIST_ACME_2026-Q2.csv']);
    expect(review['PRICELIST_ACME_2026-Q2.csv']?.equals(await sample('PRICELIST_ACME_2026-Q2.csv'))).toBe(true);

    // The partner folder is empty but for the upload still in progress.
    expect(await pathsUnder(partnerFolder)).toEqual([PARTIAL]);

    // Quarantine: each bad file, unchanged, next to a reason file naming the failed rule.
    const held = (await world.workspace.history()).journal().quarantined({ job: JOB });
    const rules = Object.fromEntries(held.map((q) => [q.file, q.reasons.map((r) => r.rule)]));
    expect(rules).toEqual({ 'INV_ACME_48214.pdf': ['content-type'], 'ORD_ACME_20260301_002.csv': ['csv'], 'orders acme march.csv': ['name'] });
    for (const q of held) {
      expect(q.location.startsWith(join(world.work, 'quarantine', JOB))).toBe(true);
      expect((await readFile(join(q.location, q.file))).equals(await sample(q.file))).toBe(true);
      const reason = JSON.parse(await readFile(join(q.location, `${q.file}.reason.json`), 'utf8')) as { job: string; file: string; source: string; reasons: Array<{ rule: string; message: string }> };
      expect(reason).toMatchObject({ job: JOB, file: q.file, source: `partner-ftp:/outbox/${q.file}` });
      expect(reason.reasons.map((r) => r.rule)).toEqual(rules[q.file]);
    }
    const csvReason = held.find((q) => q.file === 'ORD_ACME_20260301_002.csv')?.reasons[0]?.message ?? '';
    expect(csvReason).toMatch(/quantity/);
    expect(csvReason).toMatch(/twelve/);

    // The operations channel heard of each quarantined file.
    const notices = notificationsIn(hook).filter((n) => n.event === 'quarantine');
    expect(notices.map((n) => [n.facts['file'], n.facts['rules']]).sort()).toEqual([
      ['INV_ACME_48214.pdf', 'content-type'],
      ['ORD_ACME_20260301_002.csv', 'csv'],
      ['orders acme march.csv', 'name'],
    ]);

    // History: the run and what became of each file.
    const history = await world.workspace.history();
    const [run] = history.listRuns({ job: JOB });
    expect(run).toMatchObject({ id: result.runId, dryRun: false, status: 'succeeded', files: 5, failed: 0, skipped: 3 });
    const items = history.runItems(result.runId as RunId, { limit: 20 });
    expect(items.map((i) => [i.sourcePath, i.stage, i.status]).sort(([a], [b]) => String(a).localeCompare(String(b)))).toEqual([
      ['INV_ACME_48213.pdf', 'done', 'moved'],
      ['INV_ACME_48214.pdf', 'validated', 'quarantined'],
      ['INV_GLOBEX_77001.pdf', 'done', 'moved'],
      ['ORD_ACME_20260301_001.csv', 'done', 'moved'],
      ['ORD_ACME_20260301_002.csv', 'validated', 'quarantined'],
      ['ORD_GLOBEX_20260302_001.csv', 'done', 'moved'],
      ['orders acme march.csv', 'validated', 'quarantined'],
      ['PRICELIST_ACME_2026-Q2.csv', 'done', 'moved'],
    ]);
    expect(items.find((i) => i.sourcePath === 'ORD_ACME_20260301_001.csv')?.targetPath).toBe('erp-sftp:inbound/ACME/ORDER_ACME_20260301_001.csv');

    // A second run finds nothing new: the partial upload is still not taken.
    const again = await runJobCli(world, jobPath);
    expect(again.files).toEqual([]);
    expect(dms.received).toHaveLength(2);
  });
});
