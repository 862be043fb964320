import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunId } from '../../src/history/records.js';
import { loadJobFile } from '../../src/jobs/definition/loadJob.js';
import { formatDate } from '../../src/mapping/dates.js';
import { makeScratch } from '../conformance/scratch.js';
import { jobWorld, type JobWorld } from '../jobs/harness.js';
import { addFtpConnection, addSftpConnection, copyExample, outcomes, pathsUnder, seedServerFolder } from './support.js';

const EXAMPLE = '04-catalog-alignment';
const ZONE = 'Europe/Berlin';
const SUPPLIER_FILES = ['PRICES_20260402.csv', 'PRICES_20260403.csv', 'STOCK_20260402.csv'];

/** Files wait for `stableFor` before they are taken; the test world does not make them wait. */
const noWait = { services: { sleep: async (): Promise<void> => {} } };

type Scratch = Awaited<ReturnType<typeof makeScratch>>;

describe('example 04: catalog alignment with a supplier and two marketplaces', () => {
  const servers = inject('servers');
  let world: JobWorld;
  let supplier: Scratch;
  let marketA: Scratch;
  let marketB: Scratch;

  beforeAll(async () => {
    world = await jobWorld('example-04');
    await copyExample(world, EXAMPLE);
    supplier = await makeScratch(servers.ftp.pureftpd.home, 'supplier');
    marketA = await makeScratch(servers.sftp.home, 'market-a');
    marketB = await makeScratch(servers.ftp['vsftpd-explicit'].home, 'market-b');
    await addFtpConnection(world, 'supplier-ftp', servers.ftp.pureftpd, supplier.name);
    await addSftpConnection(world, 'market-a', servers.sftp, marketA.path);
    await addFtpConnection(world, 'market-b', servers.ftp['vsftpd-explicit'], marketB.name);
  });
  afterAll(async () => {
    for (const scratch of [supplier, marketA, marketB]) await scratch?.remove();
    await world?.close();
  });

  const sample = (path: string): Promise<Buffer> => readFile(join(world.work, 'samples', path));
  const dayOf = async (runId: number): Promise<string> => {
    const run = (await world.workspace.history()).run(runId as RunId);
    return formatDate(new Date(run?.startedAt ?? Number.NaN), 'yyyy-MM-dd', ZONE);
  };

  describe('inbound: supplier price lists and stock levels into the internal catalog', () => {
    beforeAll(async () => {
      const tree: Record<string, Buffer> = {};
      for (const name of SUPPLIER_FILES) tree[`outbound/${name}`] = await sample(`supplier/${name}`);
      await seedServerFolder(supplier.path, tree);
    });

    it('previews the run: two files mapped into the catalog, the bad price list quarantined', async () => {
      const preview = await world.ferry(['run', join(world.work, 'inbound.job.yaml'), '--dry-run']);
      expect(preview.code, preview.err).toBe(0);
      expect(preview.out).toContain('→ prices: prices_20260402.csv');
      expect(preview.out).toContain('→ stock: stock_20260402.csv');
      expect(preview.out).toMatch(/PRICES_20260403\.csv \(.*\): INVALID\n\s+csv: PRICES_20260403\.csv line 3, column 3 "Preis": "89O,00" does not match/);
      expect(preview.out).toMatch(/catalog-inbound: preview succeeded — 2 would be delivered, 1 would be quarantined, 0 would fail/);
      expect(await pathsUnder(join(world.work, 'internal'))).toEqual([]);
      expect(await pathsUnder(supplier.path)).toEqual(SUPPLIER_FILES.map((n) => `outbound/${n}`));
    });

    it('maps good files into the internal structure and quarantines the file with a bad price, naming line and column', async () => {
      const job = await loadJobFile(join(world.work, 'inbound.job.yaml'));
      const result = await world.run(job, noWait);
      expect(result.status).toBe('succeeded');
      expect(outcomes(result)).toEqual([
        ['PRICES_20260402.csv', 'delivered'],
        ['PRICES_20260403.csv', 'quarantined'],
        ['STOCK_20260402.csv', 'delivered'],
      ]);

      // The internal side: UTF-8, commas, dot decimals, ISO dates, availability codes spelled out.
      expect(await pathsUnder(join(world.work, 'internal'))).toEqual(['catalog/prices/prices_20260402.csv', 'catalog/stock/stock_20260402.csv']);
      expect(await readFile(join(world.work, 'internal/catalog/prices/prices_20260402.csv'), 'utf8')).toBe(
        'sku,name,price,currency,valid_from\n' +
          'PRD-1001,Industriepumpe IP-200,1234.50,EUR,2026-04-02\n' +
          'PRD-1002,Förderband-Modul CB-40,899.00,EUR,2026-04-02\n' +
          'PRD-1009,"Hydraulik-Dichtungssatz ""Größe 3""",12.75,EUR,2026-04-02\n' +
          'PRD-1013,"Antriebsmotor 5,5 kW",2310.00,EUR,2026-04-06\n',
      );
      expect(await readFile(join(world.work, 'internal/catalog/stock/stock_20260402.csv'), 'utf8')).toBe(
        'sku,stock,availability\n' +
          'PRD-1001,42,in_stock\n' +
          'PRD-1002,0,backorder\n' +
          'PRD-1009,1250,in_stock\n' +
          'PRD-1013,0,preorder\n' +
          'PRD-1017,0,discontinued\n',
      );

      // The supplier side: every file taken is moved to outbound/processed/<day>/, unchanged.
      const day = await dayOf(result.runId);
      expect(await pathsUnder(supplier.path)).toEqual(SUPPLIER_FILES.map((n) => `outbound/processed/${day}/${n}`));
      for (const name of SUPPLIER_FILES) expect((await readFile(join(supplier.path, 'outbound/processed', day, name))).equals(await sample(`supplier/${name}`))).toBe(true);

      // The quarantine: the rejected price list and a reason naming line 3, column 3 "Preis".
      const held = (await world.workspace.history()).journal().quarantined({ job: 'catalog-inbound' });
      expect(held.map((q) => q.file)).toEqual(['PRICES_20260403.csv']);
      const reasons = held[0]?.reasons ?? [];
      expect(reasons).toEqual([{ rule: 'csv', message: expect.stringContaining('PRICES_20260403.csv line 3, column 3 "Preis": "89O,00" does not match the pattern') as unknown }]);
      const kept = join(held[0]?.location ?? '', 'PRICES_20260403.csv');
      expect((await readFile(kept)).equals(await sample('supplier/PRICES_20260403.csv'))).toBe(true);
      expect(JSON.parse(await readFile(`${kept}.reason.json`, 'utf8'))).toMatchObject({ file: 'PRICES_20260403.csv', reasons });

      // The history.
      const history = await world.workspace.history();
      expect(history.run(result.runId as RunId)).toMatchObject({ status: 'succeeded', files: 2, skipped: 1 });
      const items = history.runItems(result.runId as RunId, { limit: 10 });
      expect(items.map((i) => [i.sourcePath, i.status, i.targetPath ?? ''])).toEqual([
        ['PRICES_20260402.csv', 'moved', expect.stringMatching(/internal\/catalog\/prices\/prices_20260402\.csv$/) as unknown],
        ['PRICES_20260403.csv', 'quarantined', ''],
        ['STOCK_20260402.csv', 'moved', expect.stringMatching(/internal\/catalog\/stock\/stock_20260402\.csv$/) as unknown],
      ]);
    });

    it('returns the rejected price list to the supplier with a note', async () => {
      const [held] = (await world.workspace.history()).journal().quarantined({ job: 'catalog-inbound' });
      const returned = await world.ferry(['quarantine', 'return', String(held?.id), '--note', 'Please send the corrected price list.', '--job', join(world.work, 'inbound.job.yaml')]);
      expect(returned.code, returned.err).toBe(0);
      expect((await readFile(join(supplier.path, 'rejected/PRICES_20260403.csv'))).equals(await sample('supplier/PRICES_20260403.csv'))).toBe(true);
      const note = await readFile(join(supplier.path, 'rejected/PRICES_20260403.csv.rejected.txt'), 'utf8');
      expect(note).toContain('line 3, column 3 "Preis": "89O,00"');
      expect(note).toContain('Please send the corrected price list.');
      expect((await world.workspace.history()).journal().quarantined({ job: 'catalog-inbound' })).toEqual([]);
    });
  });

  describe('outbound: the internal offer file to both marketplaces, each in its own format', () => {
    beforeAll(async () => {
      await cp(join(world.work, 'samples/internal/offers_20260402.csv'), join(world.work, 'internal/offers/offers_20260402.csv'));
    });

    it('previews both deliveries', async () => {
      const job = await loadJobFile(join(world.work, 'outbound.job.yaml'));
      const preview = await world.run(job, { ...noWait, dryRun: true });
      expect(outcomes(preview)).toEqual([['offers_20260402.csv', 'planned']]);
      expect(preview.files[0]?.deliveries.map((d) => [d.route, d.target, d.status])).toEqual([
        ['marketplace-a', 'market-a:inventory/inventory_20260402.txt', 'planned'],
        ['marketplace-b', 'market-b:import/offers/offers-20260402.xml', 'planned'],
      ]);
      expect(await pathsUnder(marketA.path)).toEqual([]);
      expect(await pathsUnder(marketB.path)).toEqual([]);
    });

    it('converts the offer file for each marketplace and delivers both', async () => {
      const job = await loadJobFile(join(world.work, 'outbound.job.yaml'));
      const result = await world.run(job, noWait);
      expect(result.status).toBe('succeeded');
      expect(outcomes(result)).toEqual([['offers_20260402.csv', 'delivered']]);
      expect(result.files[0]?.deliveries.map((d) => [d.route, d.status])).toEqual([
        ['marketplace-a', 'delivered'],
        ['marketplace-b', 'delivered'],
      ]);

      // Marketplace A (SFTP): tab-delimited, two decimals, handling time from availability.
      expect(await pathsUnder(marketA.path)).toEqual(['inventory/inventory_20260402.txt']);
      expect(await readFile(join(marketA.path, 'inventory/inventory_20260402.txt'), 'utf8')).toBe(
        'seller-sku\tprice\tcurrency\tquantity\thandling-time\n' +
          'PRD-1001\t1234.50\tEUR\t42\t1\n' +
          'PRD-1002\t899.00\tEUR\t0\t10\n' +
          'PRD-1009\t12.75\tEUR\t1250\t1\n' +
          'PRD-1013\t2310.00\tEUR\t0\t21\n' +
          'PRD-1017\t4.90\tEUR\t0\t0\n',
      );

      // Marketplace B (FTPS): an XML offer feed.
      expect(await pathsUnder(marketB.path)).toEqual(['import/offers/offers-20260402.xml']);
      const offer = (sku: string, title: string, price: string, quantity: string, availability: string): string =>
        `  <Offer sku="${sku}">\n    <Title>${title}</Title>\n    <Price>${price}</Price>\n    <Currency>EUR</Currency>\n` +
        `    <Quantity>${quantity}</Quantity>\n    <Availability>${availability}</Availability>\n  </Offer>\n`;
      expect(await readFile(join(marketB.path, 'import/offers/offers-20260402.xml'), 'utf8')).toBe(
        '<?xml version="1.0" encoding="UTF-8"?>\n<Offers>\n' +
          offer('PRD-1001', 'Industrial Pump IP-200', '1234.50', '42', 'InStock') +
          offer('PRD-1002', 'Conveyor Belt Module CB-40', '899.00', '0', 'BackOrder') +
          offer('PRD-1009', 'Hydraulic Seal Kit, size 3', '12.75', '1250', 'InStock') +
          offer('PRD-1013', 'Drive Motor 5.5 kW', '2310.00', '0', 'PreOrder') +
          offer('PRD-1017', 'Bearing Set 6204', '4.9', '0', 'Discontinued') +
          '</Offers>\n',
      );

      // The internal side: the offer file moved to sent/<day>/, unchanged.
      const day = await dayOf(result.runId);
      expect(await pathsUnder(join(world.work, 'internal/offers'))).toEqual([`sent/${day}/offers_20260402.csv`]);
      expect((await readFile(join(world.work, 'internal/offers/sent', day, 'offers_20260402.csv'))).equals(await sample('internal/offers_20260402.csv'))).toBe(true);

      const history = await world.workspace.history();
      expect(history.run(result.runId as RunId)).toMatchObject({ status: 'succeeded', files: 1, failed: 0 });
      const [item] = history.runItems(result.runId as RunId, { limit: 10 });
      expect(item).toMatchObject({ sourcePath: 'offers_20260402.csv', status: 'moved', stage: 'done' });
      expect(item?.reason).toBe('marketplace-a → market-a:inventory/inventory_20260402.txt; marketplace-b → market-b:import/offers/offers-20260402.xml');
    });
  });
});
