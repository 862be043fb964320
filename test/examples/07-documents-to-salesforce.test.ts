import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_DUPLICATE_ACCOUNT_NUMBER } from '../../src/sandbox/seed/demo.js';
import { makeScratch } from '../conformance/scratch.js';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';
import { jobWorld, type JobWorld } from '../jobs/harness.js';
import {
  addOrgConnection,
  addSftpConnection,
  copyExample,
  filesUnder,
  md5,
  outcomes,
  pathsUnder,
  recordId,
  runJobCli,
  seedServerFolder,
  versionsOn,
} from './support.js';

const INVOICE = 'INV_ACC-10001_2026-0042.pdf';
const AMBIGUOUS = `INV_${DEMO_DUPLICATE_ACCOUNT_NUMBER}_2026-0043.pdf`;
const UNKNOWN = 'INV_ACC-99999_2026-0044.pdf';
const NO_ACCOUNT_FOLDER = 'accounts/ACC-10099/credit-report.pdf';

/** Where each sample that has a record should land: object, SOQL condition, file title. */
const ATTACHED: ReadonlyArray<{ path: string; object: string; where: string }> = [
  { path: INVOICE, object: 'Account', where: "AccountNumber = 'ACC-10001'" },
  { path: 'accounts/ACC-10004/contracts/2026/frame-agreement.pdf', object: 'Account', where: "AccountNumber = 'ACC-10004'" },
  { path: 'accounts/ACC-10004/insurance-certificate.pdf', object: 'Account', where: "AccountNumber = 'ACC-10004'" },
  { path: 'CONTRACT_Fabrikam Logistics - Fleet Expansion_signed.pdf', object: 'Opportunity', where: "Name = 'Fabrikam Logistics - Fleet Expansion'" },
  { path: 'CERT_00000005_conformity.pdf', object: 'Case', where: "CaseNumber = '00000005'" },
  { path: 'SHIP_00000003_packing-list.pdf', object: 'Order', where: "OrderNumber = '00000003'" },
  { path: 'IMG_PRD-1001_front.png', object: 'Product2', where: "ProductCode = 'PRD-1001'" },
  { path: 'SPEC_PRD-1002_datasheet.pdf', object: 'Product2', where: "ProductCode = 'PRD-1002'" },
  { path: 'PRICES_00000002_2026.csv', object: 'Quote', where: "QuoteNumber = '00000002'" },
  { path: 'CAMPAIGN_Spring Trade Show 2026_booth.jpg', object: 'Campaign', where: "Name = 'Spring Trade Show 2026'" },
];

const titleOf = (path: string): string => (path.split('/').pop() ?? path).replace(/\.[^.]+$/, '');

describe('example 07: partner documents from SFTP attached to their Salesforce records', () => {
  const servers = inject('servers');
  let world: JobWorld;
  let org: TestOrg;
  let outbox: string;
  let jobPath: string;
  let samples: Record<string, Buffer>;
  let removeScratch: () => Promise<void> = async () => {};

  beforeAll(async () => {
    world = await jobWorld('ex07');
    org = await startTestOrg({ seed: 'demo', port: 0 });
    await copyExample(world, '07-documents-to-salesforce');
    jobPath = join(world.work, 'job.yaml');
    samples = await filesUnder(join(world.work, 'samples/outbox'));
    const scratch = await makeScratch(servers.sftp.home, 'ex07');
    removeScratch = scratch.remove;
    outbox = join(scratch.path, 'outbox');
    await seedServerFolder(scratch.path, Object.fromEntries(Object.entries(samples).map(([path, content]) => [`outbox/${path}`, content])));
    await addSftpConnection(world, 'partner-sftp', servers.sftp, scratch.path);
    await addOrgConnection(world, 'org', org);
  });
  afterAll(async () => {
    await removeScratch();
    await org?.close();
    await world?.close();
  });

  it('previews the record each file matches (exact, ambiguous, none) and changes nothing', async () => {
    const preview = await world.ferry(['run', jobPath, '--dry-run']);
    // Some files would find no record: the preview says so with its exit code, as the run would.
    expect(preview.code, preview.err).toBe(1);
    const block = (path: string): string => {
      const lines = preview.out.split('\n');
      const start = lines.findIndex((l) => l.startsWith(`${path} (`));
      expect(start, `${path} in the preview:\n${preview.out}`).toBeGreaterThanOrEqual(0);
      const end = lines.findIndex((l, i) => i > start && !l.startsWith(' '));
      return lines.slice(start, end < 0 ? undefined : end).join('\n');
    };
    expect(block(INVOICE)).toMatch(/→ invoices: INV_ACC-10001_2026-0042\.pdf → org:Account\/001\w+\/INV_ACC-10001_2026-0042\.pdf \(new file on the record\) \[record match: exact\]/);
    expect(block('accounts/ACC-10004/contracts/2026/frame-agreement.pdf')).toMatch(/→ account-folders: frame-agreement\.pdf → org:Account\/001\w+\/frame-agreement\.pdf \(new file on the record\) \[record match: exact\]/);
    expect(block('CERT_00000005_conformity.pdf')).toMatch(/→ certificates: .*org:Case\/500\w+\/CERT_00000005_conformity\.pdf .*\[record match: exact\]/);
    expect(block(AMBIGUOUS)).toMatch(new RegExp(`→ invoices: FAILS .*2 Account records have AccountNumber = '${DEMO_DUPLICATE_ACCOUNT_NUMBER}'.*\\[record match: ambiguous: [^,]+ \\(\\w+\\), [^,]+ \\(\\w+\\)\\]`));
    expect(block(UNKNOWN)).toMatch(/→ invoices: FAILS .*No Account has AccountNumber = 'ACC-99999'.*\[record match: none\]/);
    expect(block(NO_ACCOUNT_FOLDER)).toMatch(/→ account-folders: FAILS .*No Account has AccountNumber = 'ACC-10099'.*\[record match: none\]/);
    expect(block('notes.txt')).toMatch(/INVALID[\s\S]*extension: notes\.txt: extension \.txt is not allowed[\s\S]*→ quarantine/);

    expect(await pathsUnder(outbox)).toEqual(Object.keys(samples).sort());
    expect((await org.admin.state()).records.ContentVersion).toBe(0);
  });

  it('attaches every document to its record and keeps the ones without a clear record at the source, with the reason', async () => {
    const result = await runJobCli(world, jobPath);
    expect(result.status).toBe('partial');
    expect(outcomes(result)).toEqual(
      [
        ...ATTACHED.map(({ path }): [string, string] => [path, 'delivered']),
        [AMBIGUOUS, 'failed'],
        [UNKNOWN, 'failed'],
        [NO_ACCOUNT_FOLDER, 'failed'],
        ['notes.txt', 'quarantined'],
      ].sort(([a], [b]) => (a ?? '').localeCompare(b ?? '')),
    );
    const reason = (path: string): string => result.files.find((f) => f.path === path)?.reason ?? '';
    expect(reason(AMBIGUOUS)).toMatch(new RegExp(`invoices: 2 Account records have AccountNumber = '${DEMO_DUPLICATE_ACCOUNT_NUMBER}', so ${AMBIGUOUS} is not attached`));
    expect(reason(UNKNOWN)).toMatch(/invoices: No Account has AccountNumber = 'ACC-99999'/);
    expect(reason(NO_ACCOUNT_FOLDER)).toMatch(/account-folders: No Account has AccountNumber = 'ACC-10099' \(file accounts\/ACC-10099\/credit-report\.pdf\)/);

    // Salesforce: each file on its record, byte for byte (Checksum is the MD5 of the content).
    for (const { path, object, where } of ATTACHED) {
      const id = await recordId(org, object, where);
      const versions = (await versionsOn(org, id)).filter((v) => v.Title === titleOf(path));
      expect(versions, `${path} on ${object} ${where}`).toEqual([
        expect.objectContaining({ VersionNumber: '1', FirstPublishLocationId: id, Checksum: md5(samples[path] ?? ''), ContentSize: samples[path]?.length }),
      ]);
    }
    const duplicates = await org.session().query<{ Id: string }>(`SELECT Id FROM Account WHERE AccountNumber = '${DEMO_DUPLICATE_ACCOUNT_NUMBER}'`, 'twins');
    expect(duplicates).toHaveLength(2);
    for (const twin of duplicates) expect(await versionsOn(org, twin.Id)).toEqual([]);
    expect((await org.admin.state()).records.ContentVersion).toBe(ATTACHED.length);

    // The source: delivered files are gone, the failed ones wait in the outbox, the invalid one is held.
    expect(await pathsUnder(outbox)).toEqual([AMBIGUOUS, UNKNOWN, NO_ACCOUNT_FOLDER].sort());
    const held = (await world.workspace.history()).journal().quarantined({ job: 'documents-to-salesforce' });
    expect(held.map((q) => [q.file, q.reasons.map((r) => r.rule)])).toEqual([['notes.txt', ['extension']]]);
    expect(await readFile(join(held[0]?.location ?? '', 'notes.txt'))).toEqual(samples['notes.txt']);

    const history = await world.workspace.history();
    const [run] = history.listRuns({ job: 'documents-to-salesforce' });
    expect(run).toMatchObject({ status: 'partial', files: ATTACHED.length, failed: 3, skipped: 1 });
    const items = history.runItems(run?.id ?? (0 as never), { limit: 50 });
    expect(items.filter((i) => i.status === 'failed').map((i) => i.sourcePath).sort()).toEqual([AMBIGUOUS, UNKNOWN, NO_ACCOUNT_FOLDER].sort());
    const invoiceItem = items.find((i) => i.sourcePath === INVOICE);
    expect(invoiceItem).toMatchObject({ stage: 'done', status: 'moved' });
    expect(invoiceItem?.targetPath).toMatch(/^org:Account\/001\w+\/INV_ACC-10001_2026-0042\.pdf$/);
  });

  it('attaches a waiting file once its record exists, and leaves the rest waiting', async () => {
    await org.session().json('POST', '/sobjects/Account', 'a new account', { Name: 'Nimbus Freight', AccountNumber: 'ACC-10099' });
    const result = await runJobCli(world, jobPath);
    expect(outcomes(result)).toEqual([
      [NO_ACCOUNT_FOLDER, 'delivered'],
      [AMBIGUOUS, 'failed'],
      [UNKNOWN, 'failed'],
    ]);
    const nimbus = await recordId(org, 'Account', "AccountNumber = 'ACC-10099'");
    expect(await versionsOn(org, nimbus)).toEqual([expect.objectContaining({ Title: 'credit-report', VersionNumber: '1', Checksum: md5(samples[NO_ACCOUNT_FOLDER] ?? '') })]);
    expect(await pathsUnder(outbox)).toEqual([AMBIGUOUS, UNKNOWN].sort());
  });

  it('makes a changed invoice sent again version 2 of the same Salesforce file, and says so in the preview', async () => {
    const northwind = await recordId(org, 'Account', "AccountNumber = 'ACC-10001'");
    const [first] = (await versionsOn(org, northwind)).filter((v) => v.Title === titleOf(INVOICE));
    const corrected = Buffer.from(`${(samples[INVOICE] ?? '').toString()}% corrected: VAT rate 19 %\n`);
    await seedServerFolder(outbox, { [INVOICE]: corrected });

    const preview = await world.ferry(['run', jobPath, '--dry-run']);
    expect(preview.out).toMatch(/→ invoices: INV_ACC-10001_2026-0042\.pdf → org:Account\/001\w+\/INV_ACC-10001_2026-0042\.pdf \(new version of the existing file\) \[record match: exact\]/);

    const result = await runJobCli(world, jobPath);
    expect(result.files.find((f) => f.path === INVOICE)?.outcome).toBe('delivered');
    const versions = (await versionsOn(org, northwind)).filter((v) => v.Title === titleOf(INVOICE));
    expect(versions.map((v) => [v.VersionNumber, v.ContentDocumentId, v.Checksum])).toEqual([
      ['1', first?.ContentDocumentId, md5(samples[INVOICE] ?? '')],
      ['2', first?.ContentDocumentId, md5(corrected)],
    ]);
    expect(await pathsUnder(outbox)).toEqual([AMBIGUOUS, UNKNOWN].sort());
  });
});
