import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunId } from '../../src/history/records.js';
import { makeScratch } from '../conformance/scratch.js';
import { jobWorld, type JobWorld } from '../jobs/harness.js';
import { addSftpConnection, chownTree, copyExample, EXAMPLES_DIR, filesUnder, outcomes, pathsUnder, runJobCli, seedServerFolder } from './support.js';

const EXAMPLE = '06-partner-onboarding';
const GOOD = 'BESTELLUNG_20260302_0001.csv';
const BAD = 'BESTELLUNG_bad-sample.csv';

const sample = (name: string): Promise<Buffer> => readFile(join(EXAMPLES_DIR, EXAMPLE, 'samples', name));

/** Nordwind's good sample as our order system reads it: comma-separated UTF-8, ISO dates and codes, decimal points. */
const INTERNAL_ORDERS = [
  'order_id,order_date,customer_no,sku,description,quantity,unit_price,country,channel',
  'NW-40017,2026-03-02,10045,ABC-1001,Palettenstretchfolie 500 mm,24,12.50,DE,NORDWIND',
  'NW-40017,2026-03-02,10045,ABC-2040,"Kantenschutz für Paletten, 100 Stück",6,1089.90,DE,NORDWIND',
  'NW-40018,2026-03-02,20311,GLX-2040,Barcode-Scanner Größe M,120,189.00,AT,NORDWIND',
  'NW-40019,2026-03-02,30007,ABC-3300,Umreifungsplombe,4,7.25,CH,NORDWIND',
]
  .map((line) => `${line}\n`)
  .join('');

describe("example 06: onboarding a partner with a profile that maps its format to ours and back", () => {
  const servers = inject('servers');
  let world: JobWorld;
  let partnerRoot: string;
  const profile = (): string => join(world.work, 'profiles', 'nordwind.yaml');
  const samplePath = (name: string): string => join(world.work, 'samples', name);
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    world = await jobWorld('example-06');
    await copyExample(world, EXAMPLE);
    const partner = await makeScratch(servers.sftp.home, 'example-06-nordwind');
    cleanups.push(partner.remove);
    partnerRoot = partner.path;
    await mkdir(join(partnerRoot, 'out'));
    await mkdir(join(partnerRoot, 'in'));
    await chownTree(partnerRoot, partner.owner.uid, partner.owner.gid);
    await addSftpConnection(world, 'nordwind-sftp', servers.sftp, partnerRoot);
  });

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    await world?.close();
  });

  it("`ferry profile test` shows how the partner's good sample maps, row by row", async () => {
    const shown = await world.ferry(['profile', 'test', profile(), samplePath(GOOD)]);
    expect(shown.code, shown.err).toBe(0);
    const lines = shown.out.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^order_id\s+order_date\s+customer_no\s+sku\s+description\s+quantity\s+unit_price\s+country\s+channel$/));
    expect(lines).toContainEqual(expect.stringMatching(/^NW-40018\s+2026-03-02\s+20311\s+GLX-2040\s+Barcode-Scanner Größe M\s+120\s+189\.00\s+AT\s+NORDWIND$/));
    expect(shown.out).toMatch(/No problems/);

    const json = await world.ferry(['profile', 'test', profile(), samplePath(GOOD), '--direction', 'inbound', '--json']);
    expect(json.code, json.err).toBe(0);
    const result = JSON.parse(json.out) as { partner: string; direction: string; rows: Array<Record<string, string>>; problems: string[] };
    expect(result).toMatchObject({ partner: 'Nordwind Handel GmbH', direction: 'inbound', problems: [] });
    expect(result.rows.map((r) => [r['order_id'], r['sku'], r['quantity'], r['unit_price'], r['country']])).toEqual([
      ['NW-40017', 'ABC-1001', '24', '12.50', 'DE'],
      ['NW-40017', 'ABC-2040', '6', '1089.90', 'DE'],
      ['NW-40018', 'GLX-2040', '120', '189.00', 'AT'],
      ['NW-40019', 'ABC-3300', '4', '7.25', 'CH'],
    ]);

    const outbound = await world.ferry(['profile', 'test', profile(), samplePath('confirmations-20260302.csv'), '--direction', 'outbound', '--rows', '2']);
    expect(outbound.code, outbound.err).toBe(0);
    expect(outbound.out).toMatch(/^NW-40017\s+ABC-2040\s+4\s+16\.03\.2026\s+1089,90\s+Deutschland\s+Rest folgt/m);
    expect(outbound.out).not.toMatch(/NW-40018/);
  });

  it("`ferry profile test` names every problem of a bad sample by row and field, and fails", async () => {
    const tested = await world.ferry(['profile', 'test', profile(), samplePath(BAD)]);
    expect(tested.code).toBe(1);
    const problems = tested.out.split('\n').filter((l) => /^\s+Row \d+/.test(l)).map((l) => l.trim());
    expect(problems).toEqual([
      'Row 2, field "order_date": "31.02.2026" is not a date in the format "dd.MM.yyyy"',
      'Row 3, field "quantity": "zwei" is not a number (decimal separator ",")',
      'Row 4, field "country": "Frankreich" is not in the lookup table "country"',
      'Row 5, field "customer_no": "" is required but empty',
    ]);
    // The row that does map is still shown.
    expect(tested.out).toMatch(/^NW-40020\s+2026-03-03/m);

    // Our own file is not what the inbound side reads: the problems say that its columns are not the partner's.
    const wrongWay = await world.ferry(['profile', 'test', profile(), samplePath('confirmations-20260302.csv'), '--direction', 'inbound', '--json']);
    expect(wrongWay.code).toBe(1);
    const unreadable = JSON.parse(wrongWay.out) as { rows: unknown[]; problems: string[] };
    expect(unreadable.rows).toEqual([]);
    expect(unreadable.problems[0]).toMatch(/^The mapping reads column "Bestellnr", which the sample does not have \(it has order_id,sku,/);
  });

  it('the inbound job fetches orders from the partner SFTP server and writes them as internal CSV', async () => {
    await seedServerFolder(partnerRoot, { [`out/${GOOD}`]: await sample(GOOD), 'out/BESTELLUNG_20260303_0002.csv': await sample(BAD) });
    const jobPath = join(world.work, 'inbound.yaml');

    const preview = await runJobCli(world, jobPath, ['--dry-run']);
    expect(outcomes(preview)).toEqual([
      [GOOD, 'planned'],
      ['BESTELLUNG_20260303_0002.csv', 'quarantined'],
    ]);
    expect(preview.files.find((f) => f.path === GOOD)?.deliveries.map((d) => d.name)).toEqual(['nordwind-orders-20260302-0001.csv']);
    expect(await pathsUnder(join(world.work, 'internal', 'orders'))).toEqual([]);
    expect(await pathsUnder(join(partnerRoot, 'out'))).toEqual([GOOD, 'BESTELLUNG_20260303_0002.csv']);

    const result = await runJobCli(world, jobPath);
    expect(result.status, JSON.stringify(result, null, 2)).toBe('succeeded');
    expect(outcomes(result)).toEqual([
      [GOOD, 'delivered'],
      ['BESTELLUNG_20260303_0002.csv', 'quarantined'],
    ]);
    const internal = await filesUnder(join(world.work, 'internal', 'orders'));
    expect(Object.keys(internal)).toEqual(['nordwind-orders-20260302-0001.csv']);
    expect(internal['nordwind-orders-20260302-0001.csv']?.toString('utf8')).toBe(INTERNAL_ORDERS);
    expect(internal['nordwind-orders-20260302-0001.csv']?.equals(Buffer.from(INTERNAL_ORDERS, 'utf8'))).toBe(true);

    // The partner's folder is emptied; the file that breaks the rules is kept in quarantine with the reason.
    expect(await pathsUnder(join(partnerRoot, 'out'))).toEqual([]);
    const held = (await world.workspace.history()).journal().quarantined({ job: 'nordwind-orders-inbound' });
    expect(held.map((q) => [q.file, q.reasons.map((r) => r.rule)])).toEqual([['BESTELLUNG_20260303_0002.csv', ['csv']]]);
    expect(held[0]?.reasons[0]?.message).toMatch(/31\.02\.2026/);
    expect((await readFile(join(held[0]?.location ?? '', 'BESTELLUNG_20260303_0002.csv'))).equals(await sample(BAD))).toBe(true);

    const history = await world.workspace.history();
    expect(history.listRuns({ job: 'nordwind-orders-inbound' })[0]).toMatchObject({ id: result.runId, status: 'succeeded', files: 1, skipped: 1 });
    expect(history.runItems(result.runId as RunId, { limit: 10 }).map((i) => [i.sourcePath, i.status]).sort()).toEqual([
      [GOOD, 'moved'],
      ['BESTELLUNG_20260303_0002.csv', 'quarantined'],
    ]);
  });

  it('the inbound job quarantines a file it cannot map, and delivers it once the profile knows the value', async () => {
    const partnerFile = Buffer.from('Bestellnr;Bestelldatum;Kundennr;Artikel;Bezeichnung;Menge;Einzelpreis;Land\r\nNW-40031;04.03.2026;40002;ABC-1001;Palettenstretchfolie 500 mm;8;12,50;Frankreich\r\n', 'latin1');
    await seedServerFolder(partnerRoot, { 'out/BESTELLUNG_20260304_0003.csv': partnerFile });
    const jobPath = join(world.work, 'inbound.yaml');

    const held = await runJobCli(world, jobPath);
    expect(outcomes(held)).toEqual([['BESTELLUNG_20260304_0003.csv', 'quarantined']]);
    expect(held.files[0]?.verdict?.reasons.map((r) => r.rule)).toEqual(['mapping']);
    expect(held.files[0]?.reason).toMatch(/Row 1, field "country": "Frankreich" is not in the lookup table "country"/);
    expect(await pathsUnder(join(world.work, 'internal', 'orders'))).not.toContain('nordwind-orders-20260304-0003.csv');
    const quarantined = (await world.workspace.history()).journal().quarantined({ job: 'nordwind-orders-inbound' }).find((q) => q.file === 'BESTELLUNG_20260304_0003.csv');
    expect(quarantined?.reasons.map((r) => r.rule)).toEqual(['mapping']);

    // France is a new market: one line in the profile's lookup table, then the held file is checked again.
    const profileText = await readFile(profile(), 'utf8');
    await writeFile(profile(), profileText.replace('Niederlande: NL }', 'Niederlande: NL, Frankreich: FR }'));
    const revalidated = await world.ferry(['quarantine', 'revalidate', String(quarantined?.id), '--job', jobPath]);
    expect(revalidated.code, revalidated.err + revalidated.out).toBe(0);
    expect(await readFile(join(world.work, 'internal', 'orders', 'nordwind-orders-20260304-0003.csv'), 'utf8')).toBe(
      'order_id,order_date,customer_no,sku,description,quantity,unit_price,country,channel\nNW-40031,2026-03-04,40002,ABC-1001,Palettenstretchfolie 500 mm,8,12.50,FR,NORDWIND\n',
    );
    expect((await world.workspace.history()).journal().quarantinedFile(quarantined?.id ?? 0)?.state).toBe('released');
  });

  it("the outbound job sends our confirmations to the partner's SFTP server in its format", async () => {
    await mkdir(join(world.work, 'internal', 'confirmations'), { recursive: true });
    await cp(samplePath('confirmations-20260302.csv'), join(world.work, 'internal', 'confirmations', 'confirmations-20260302.csv'));
    const jobPath = join(world.work, 'outbound.yaml');

    const result = await runJobCli(world, jobPath);
    expect(result.status, JSON.stringify(result, null, 2)).toBe('succeeded');
    expect(outcomes(result)).toEqual([['confirmations-20260302.csv', 'delivered']]);

    const sent = await filesUnder(join(partnerRoot, 'in'));
    expect(Object.keys(sent)).toEqual(['AB_20260302.csv']);
    const expected = Buffer.from(
      [
        'Bestellnr;Artikel;Menge;Liefertermin;Einzelpreis;Land;Bemerkung',
        'NW-40017;ABC-1001;24;09.03.2026;12,50;Deutschland;',
        'NW-40017;ABC-2040;4;16.03.2026;1089,90;Deutschland;Rest folgt in KW 12, Lieferant verspätet',
        'NW-40018;GLX-2040;120;10.03.2026;189,00;Österreich;',
      ]
        .map((line) => `${line}\r\n`)
        .join(''),
      'latin1',
    );
    expect(sent['AB_20260302.csv']?.toString('latin1')).toBe(expected.toString('latin1'));
    expect(sent['AB_20260302.csv']?.equals(expected)).toBe(true);

    expect(await pathsUnder(join(world.work, 'internal', 'confirmations'))).toEqual(['sent/confirmations-20260302.csv']);
    const history = await world.workspace.history();
    expect(history.runItems(result.runId as RunId, { limit: 10 }).map((i) => [i.sourcePath, i.status, i.targetPath])).toEqual([
      ['confirmations-20260302.csv', 'moved', 'nordwind-sftp:in/AB_20260302.csv'],
    ]);
  });
});
