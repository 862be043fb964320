import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunId } from '../../src/history/records.js';
import { loadJobFile } from '../../src/jobs/definition/loadJob.js';
import { formatDate } from '../../src/mapping/dates.js';
import { makeScratch } from '../conformance/scratch.js';
import { jobWorld, type JobWorld } from '../jobs/harness.js';
import { addFtpConnection, chownTree, copyExample, filesUnder, outcomes, pathsUnder, runJobCli } from './support.js';

const EXAMPLE = '02-outbound-partner-feed';
const JOB = 'outbound-partner-feed';
const ZONE = 'Europe/Berlin';

/** The characters of the samples that Windows-1252 puts outside Latin-1's places. */
const CP1252: Readonly<Record<string, number>> = { '€': 0x80, '„': 0x84, '“': 0x93, '–': 0x96 };

/** Text as Windows-1252 bytes, written out by hand so the check does not rest on the converter's own tables. */
function windows1252(text: string): Buffer {
  return Buffer.from(
    Array.from(text, (c) => {
      const code = CP1252[c] ?? c.charCodeAt(0);
      if (code > 0xff) throw new Error(`no Windows-1252 byte for ${c}`);
      return code;
    }),
  );
}

const crlf = (lines: ReadonlyArray<string>): string => lines.map((l) => `${l}\r\n`).join('');

describe('example 02: internal exports converted into the partner formats and delivered to its FTP server', () => {
  const servers = inject('servers');
  let world: JobWorld;
  let partnerFolder: string;
  let jobPath: string;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    world = await jobWorld('example-02');
    await copyExample(world, EXAMPLE);
    jobPath = join(world.work, 'job.yaml');
    // What the PIM and the WMS wrote overnight.
    await mkdir(join(world.work, 'outbox'));
    for (const name of ['products.csv', 'replenishment.json']) await cp(join(world.work, 'samples', name), join(world.work, 'outbox', name));

    const ftp = servers.ftp.pureftpd;
    const partner = await makeScratch(ftp.home, 'example-02-globex');
    cleanups.push(partner.remove);
    await mkdir(join(partner.path, 'inbound'));
    await chownTree(partner.path, partner.owner.uid, partner.owner.gid);
    partnerFolder = join(partner.path, 'inbound');
    await addFtpConnection(world, 'partner-ftp', ftp, partner.name);
  });

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    await world?.close();
  });

  it('previews the partner file names without sending anything', async () => {
    const preview = await runJobCli(world, jobPath, ['--dry-run']);
    expect(outcomes(preview)).toEqual([
      ['products.csv', 'planned'],
      ['replenishment.json', 'planned'],
    ]);
    const day = formatDate(new Date((await world.workspace.history()).listRuns({ job: JOB })[0]?.startedAt ?? 0), 'yyyyMMdd', ZONE);
    expect(preview.files.flatMap((f) => f.deliveries.map((d) => [d.route, d.name, d.target]))).toEqual([
      ['product-master', `products_${day}.txt`, `partner-ftp:inbound/products_${day}.txt`],
      ['replenishment-plan', `replenishment_${day}.txt`, `partner-ftp:inbound/replenishment_${day}.txt`],
    ]);
    expect(await pathsUnder(partnerFolder)).toEqual([]);
    expect(await pathsUnder(join(world.work, 'outbox'))).toEqual(['products.csv', 'replenishment.json']);
  });

  it('runs the scheduled job at once with `ferry run`, writing the exact bytes the partner expects', async () => {
    const job = await loadJobFile(jobPath);
    expect(job.definition.schedule).toMatchObject({ cron: '30 5 * * 1-5', timezone: ZONE });

    const result = await runJobCli(world, jobPath);
    expect(result.status, JSON.stringify(result, null, 2)).toBe('succeeded');
    expect(outcomes(result)).toEqual([
      ['products.csv', 'delivered'],
      ['replenishment.json', 'delivered'],
    ]);
    const history = await world.workspace.history();
    const [run] = history.listRuns({ job: JOB });
    expect(run).toMatchObject({ id: result.runId, dryRun: false, status: 'succeeded', files: 2, failed: 0 });
    // The run time in the schedule's zone names the files and dates their headers.
    const startedAt = new Date(run?.startedAt ?? 0);
    const day = formatDate(startedAt, 'yyyyMMdd', ZONE);

    const delivered = await filesUnder(partnerFolder);
    expect(Object.keys(delivered).sort()).toEqual([`products_${day}.txt`, `replenishment_${day}.txt`]);

    // Semicolons, every value quoted, Windows-1252, CRLF, decimal commas, German dates, TRL;<rows>.
    const products = delivered[`products_${day}.txt`] ?? Buffer.alloc(0);
    const expectedProducts = windows1252(
      crlf([
        '"Artikelnummer";"Bezeichnung";"Preis";"Waehrung";"Bestand";"Stand"',
        '"ABC-1001";"Palettenstretchfolie 500 mm";"12,50";"EUR";"340";"01.03.2026"',
        '"ABC-2040";"Kantenschutz, 100 Stück";"89,90";"EUR";"12";"01.03.2026"',
        '"GLX-2040";"Barcode-Scanner „Pro“ – 2D";"189,00";"EUR";"0";"27.02.2026"',
        '"GFT-0050";"Geschenkgutschein 50 €";"50,00";"EUR";"999";"20.02.2026"',
        'TRL;4',
      ]),
    );
    expect(products.toString('latin1')).toBe(expectedProducts.toString('latin1'));
    expect(products.equals(expectedProducts)).toBe(true);
    expect(products.includes(Buffer.from([0xfc]))).toBe(true);
    expect(products.includes(Buffer.from('Ã¼', 'latin1'))).toBe(false);
    expect(products.toString('latin1').split('\r\n').filter((l) => l.includes('\n'))).toEqual([]);

    // Fixed width: store 4 (zero-padded), SKU 12, quantity 6 (zero-padded), due date 8, priority 1.
    const replenishment = delivered[`replenishment_${day}.txt`] ?? Buffer.alloc(0);
    expect(replenishment.toString('latin1')).toBe(
      crlf([`RPL${day}GLOBEX`, '0042ABC-1001    00002420260304N', '0042ABC-2040    00000620260304U', '0107GLX-2040    00012020260305N', 'END000003']),
    );

    // The exports moved to the outbox's sent/<day>/ folder; nothing is left to send.
    expect(await pathsUnder(join(world.work, 'outbox'))).toEqual([
      `sent/${formatDate(startedAt, 'yyyy-MM-dd', ZONE)}/products.csv`,
      `sent/${formatDate(startedAt, 'yyyy-MM-dd', ZONE)}/replenishment.json`,
    ]);
    const items = history.runItems(result.runId as RunId, { limit: 10 });
    expect(items.map((i) => [i.sourcePath, i.stage, i.status, i.targetPath]).sort()).toEqual([
      ['products.csv', 'done', 'moved', `partner-ftp:inbound/products_${day}.txt`],
      ['replenishment.json', 'done', 'moved', `partner-ftp:inbound/replenishment_${day}.txt`],
    ]);

    // No scheduler was involved: `ferry run` needs no daemon, and no schedule tick was recorded.
    expect(history.journal().lastTick(JOB)).toBeUndefined();
    expect((await runJobCli(world, jobPath)).files).toEqual([]);
  });
});
