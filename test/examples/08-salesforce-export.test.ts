import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeScratch } from '../conformance/scratch.js';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';
import { jobWorld, type JobWorld } from '../jobs/harness.js';
import { addFtpConnection, addOrgConnection, copyExample, filesUnder, outcomes, pathsUnder, recordId, runJobCli } from './support.js';

interface Deal {
  readonly name: string;
  readonly slug: string;
  readonly files: Readonly<Record<string, string>>;
}

/** Approved and not exported yet: these go out. */
const APPROVED: ReadonlyArray<Deal> = [
  {
    name: 'Fabrikam Logistics - Fleet Expansion',
    slug: 'Fabrikam-Logistics-Fleet-Expansion',
    files: { 'signed-quote.pdf': '%PDF-1.4 signed quote, Fabrikam fleet expansion\n%%EOF\n', 'purchase-order.pdf': '%PDF-1.4 PO 4711 from Fabrikam\n%%EOF\n' },
  },
  {
    name: 'Adventure Works Cycles - Service Renewal',
    slug: 'Adventure-Works-Cycles-Service-Renewal',
    files: { 'signed-quote.pdf': '%PDF-1.4 signed renewal, Adventure Works\n%%EOF\n' },
  },
];
/** Submitted for approval, not approved yet. */
const SUBMITTED: Deal = {
  name: 'Proseware Technologies - Fleet Expansion',
  slug: 'Proseware-Technologies-Fleet-Expansion',
  files: { 'draft-quote.pdf': '%PDF-1.4 draft quote, Proseware\n%%EOF\n' },
};
/** A draft, never approved in this test. */
const DRAFT: Deal = { name: 'Contoso Manufacturing - Spare Parts Framework', slug: 'Contoso-Manufacturing-Spare-Parts-Framework', files: { 'rfq.pdf': '%PDF-1.4 RFQ\n%%EOF\n' } };
/** Approved, but exported before this test. */
const EXPORTED_BEFORE: Deal = { name: "Margie's Travel Gear - Fleet Expansion", slug: 'Margies-Travel-Gear-Fleet-Expansion', files: { 'signed-quote.pdf': '%PDF-1.4 old export\n%%EOF\n' } };

interface DealRow {
  readonly Id: string;
  readonly Name: string;
  readonly Exported__c: boolean;
  readonly Approval_Status__c: string | null;
}

describe('example 08: files of approved Opportunities exported to the back office over FTPS', () => {
  const servers = inject('servers');
  const ftp = servers.ftp['vsftpd-explicit'];
  let world: JobWorld;
  let org: TestOrg;
  let ftpRoot: string;
  let removeScratch: () => Promise<void> = async () => {};
  const ids = new Map<string, string>();

  const deals = async (): Promise<Map<string, DealRow>> => {
    const rows = await org.session().query<DealRow>('SELECT Id, Name, Exported__c, Approval_Status__c FROM Opportunity', 'deals');
    return new Map(rows.map((r) => [r.Name, r]));
  };
  const attach = async (object: string, id: string, files: Readonly<Record<string, string>>): Promise<void> => {
    const fs = org.files();
    for (const [name, content] of Object.entries(files)) await fs.write(`${object}/${id}/${name}`, Readable.from([Buffer.from(content)]));
    await fs.close();
  };

  beforeAll(async () => {
    world = await jobWorld('ex08');
    org = await startTestOrg({ seed: 'demo', port: 0 });
    await copyExample(world, '08-salesforce-export');
    const scratch = await makeScratch(ftp.home, 'ex08');
    removeScratch = scratch.remove;
    ftpRoot = scratch.path;
    await addFtpConnection(world, 'backoffice-ftps', ftp, scratch.name);
    await addOrgConnection(world, 'org', org);
    for (const deal of [...APPROVED, SUBMITTED, DRAFT, EXPORTED_BEFORE]) {
      const id = await recordId(org, 'Opportunity', `Name = '${deal.name.replace(/'/g, "\\'")}'`);
      ids.set(deal.name, id);
      await attach('Opportunity', id, deal.files);
    }
    const session = org.session();
    await session.json('PATCH', `/sobjects/Opportunity/${ids.get(EXPORTED_BEFORE.name) ?? ''}`, 'mark exported', { Exported__c: true });
    await session.json('PATCH', `/sobjects/Opportunity/${ids.get(SUBMITTED.name) ?? ''}`, 'submit', { Approval_Status__c: 'Submitted' });
    await session.json('PATCH', `/sobjects/Opportunity/${ids.get(DRAFT.name) ?? ''}`, 'draft', { Approval_Status__c: 'Draft' });
  });
  afterAll(async () => {
    await removeScratch();
    await org?.close();
    await world?.close();
  });

  const exportedName = (deal: Deal, file: string): string => `${deal.slug}_${file}`;

  it('previews the approved deals\' files with their new names, and changes nothing', async () => {
    const preview = await runJobCli(world, join(world.work, 'job.yaml'), ['--dry-run']);
    expect(preview.dryRun).toBe(true);
    const planned = preview.files.flatMap((f) => f.deliveries.map((d) => [f.path, d.name, d.status]));
    const expected = APPROVED.flatMap((deal) =>
      Object.keys(deal.files).flatMap((file) => [
        [`${deal.name}/${file}`, exportedName(deal, file), 'planned'],
        [`${deal.name}/${file}`, exportedName(deal, file).replace(/\.pdf$/, '.json'), 'planned'],
      ]),
    );
    expect(planned.sort()).toEqual(expected.sort());
    expect(await pathsUnder(ftpRoot)).toEqual([]);
    expect([...(await deals()).values()].filter((d) => d.Exported__c).map((d) => d.Name)).toEqual([EXPORTED_BEFORE.name]);
  });

  it('delivers each approved deal\'s files renamed, with a JSON of the deal beside each, and marks the deals exported', async () => {
    const result = await runJobCli(world, join(world.work, 'job.yaml'));
    expect(result.status).toBe('succeeded');
    expect(outcomes(result)).toEqual(APPROVED.flatMap((deal) => Object.keys(deal.files).map((file): [string, string] => [`${deal.name}/${file}`, 'delivered'])).sort(([a], [b]) => a.localeCompare(b)));

    const delivered = await filesUnder(ftpRoot);
    const expectedNames = APPROVED.flatMap((deal) => Object.keys(deal.files).flatMap((file) => [`approved/${exportedName(deal, file)}`, `approved/${exportedName(deal, file).replace(/\.pdf$/, '.json')}`]));
    expect(Object.keys(delivered).sort()).toEqual(expectedNames.sort());
    const [fabrikam] = APPROVED;
    if (fabrikam === undefined) throw new Error('no deal');
    for (const deal of APPROVED) {
      for (const [file, content] of Object.entries(deal.files)) {
        expect(delivered[`approved/${exportedName(deal, file)}`]?.toString()).toBe(content);
      }
    }
    const companion = JSON.parse(delivered[`approved/${exportedName(fabrikam, 'signed-quote.json')}`]?.toString() ?? '{}') as Record<string, string>;
    const { closeDate, exportedAt, ...rest } = companion;
    expect(closeDate).toMatch(/^2026-\d\d-\d\d$/);
    expect(exportedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(rest).toEqual({
      file: exportedName(fabrikam, 'signed-quote.pdf'),
      opportunityId: ids.get(fabrikam.name),
      opportunity: fabrikam.name,
      account: 'Fabrikam Logistics',
      accountNumber: 'ACC-10003',
      stage: 'Negotiation',
      amount: '10000',
      approval: 'Approved',
    });

    const after = await deals();
    for (const deal of APPROVED) expect(after.get(deal.name)?.Exported__c, deal.name).toBe(true);
    expect(after.get(SUBMITTED.name)).toMatchObject({ Exported__c: false, Approval_Status__c: 'Submitted' });
    expect(after.get(DRAFT.name)).toMatchObject({ Exported__c: false, Approval_Status__c: 'Draft' });
    // Approved deals with no files were not touched.
    const approvedWithoutFiles = [...after.values()].filter((d) => d.Approval_Status__c === 'Approved' && ![...APPROVED, EXPORTED_BEFORE].some((x) => x.name === d.Name));
    expect(approvedWithoutFiles.length).toBeGreaterThan(0);
    for (const d of approvedWithoutFiles) expect(d.Exported__c, d.Name).toBe(false);

    const history = await world.workspace.history();
    const [run] = history.listRuns({ job: 'approved-opportunity-files' });
    expect(run).toMatchObject({ status: 'succeeded', files: 3, failed: 0 });
    const items = history.runItems(run?.id ?? (0 as never), { limit: 10 });
    expect(items.map((i) => [i.sourcePath, i.targetPath]).sort()).toEqual(
      APPROVED.flatMap((deal) => Object.keys(deal.files).map((file) => [`${deal.name}/${file}`, `backoffice-ftps:approved/${exportedName(deal, file)}`])).sort(),
    );
  });

  it('exports nothing on a second run, and only the newly approved deal after an approval', async () => {
    const before = await filesUnder(ftpRoot);
    const again = await runJobCli(world, join(world.work, 'job.yaml'));
    expect(again.files).toEqual([]);
    expect(await filesUnder(ftpRoot)).toEqual(before);

    await org.session().json('PATCH', `/sobjects/Opportunity/${ids.get(SUBMITTED.name) ?? ''}`, 'approve', { Approval_Status__c: 'Approved' });
    const approved = await runJobCli(world, join(world.work, 'job.yaml'));
    expect(outcomes(approved)).toEqual([[`${SUBMITTED.name}/draft-quote.pdf`, 'delivered']]);
    const now = await filesUnder(ftpRoot);
    expect(Object.keys(now).filter((p) => !(p in before)).sort()).toEqual([`approved/${exportedName(SUBMITTED, 'draft-quote.json')}`, `approved/${exportedName(SUBMITTED, 'draft-quote.pdf')}`]);
    expect((await deals()).get(SUBMITTED.name)?.Exported__c).toBe(true);
    expect((await deals()).get(DRAFT.name)?.Exported__c).toBe(false);
    expect(Object.keys(now).some((p) => p.includes(DRAFT.slug) || p.includes(EXPORTED_BEFORE.slug))).toBe(false);
  });

  it('archives the files of closed Cases once, one folder per case with a CSV row, and a new version beside the old', async () => {
    const cases = await org.session().query<{ Id: string; CaseNumber: string; Status: string }>('SELECT Id, CaseNumber, Status FROM Case ORDER BY CaseNumber', 'cases');
    const closed = cases.filter((c) => c.Status === 'Closed');
    const open = cases.find((c) => c.Status !== 'Closed');
    expect(closed.length).toBeGreaterThanOrEqual(2);
    const [first, second] = closed;
    if (first === undefined || second === undefined || open === undefined) throw new Error('the demo org has no closed cases');
    await attach('Case', first.Id, { 'resolution-report.pdf': '%PDF-1.4 resolution\n%%EOF\n', 'photo.jpg': 'jpeg bytes' });
    await attach('Case', second.Id, { 'credit-note.pdf': '%PDF-1.4 credit note\n%%EOF\n' });
    await attach('Case', open.Id, { 'open-issue.pdf': '%PDF-1.4 still open\n%%EOF\n' });

    const archive = join(world.work, 'archive.yaml');
    const result = await runJobCli(world, archive);
    expect(result.status).toBe('succeeded');
    expect(result.files.map((f) => f.path.split('/').pop()).sort()).toEqual(['credit-note.pdf', 'photo.jpg', 'resolution-report.pdf']);
    const stamp = '\\d{8}-\\d{6}';
    const archived = async (): Promise<string[]> => (await pathsUnder(join(ftpRoot, 'archive'))).map((p) => p.replace(new RegExp(stamp), 'STAMP'));
    expect(await archived()).toEqual(
      [
        `cases/${first.CaseNumber}/STAMP_photo.csv`,
        `cases/${first.CaseNumber}/STAMP_photo.jpg`,
        `cases/${first.CaseNumber}/STAMP_resolution-report.csv`,
        `cases/${first.CaseNumber}/STAMP_resolution-report.pdf`,
        `cases/${second.CaseNumber}/STAMP_credit-note.csv`,
        `cases/${second.CaseNumber}/STAMP_credit-note.pdf`,
      ].sort(),
    );
    const files = await filesUnder(join(ftpRoot, 'archive'));
    const csvPath = Object.keys(files).find((p) => p.endsWith('_credit-note.csv')) ?? '';
    const [header, row, ...rest] = (files[csvPath]?.toString() ?? '').split('\r\n');
    expect(header).toBe('CaseNumber,Subject,Priority,Origin,Account,AccountNumber,File,ArchivedOn');
    expect(row).toMatch(new RegExp(`^${second.CaseNumber},[^,]+,(Low|Medium|High),\\w+,[^,]+,ACC-\\d{5},${stamp}_credit-note\\.pdf,\\d{4}-\\d\\d-\\d\\d$`));
    expect(rest).toEqual(['']);
    expect(Object.entries(files).find(([p]) => p.endsWith('_credit-note.pdf'))?.[1].toString()).toBe('%PDF-1.4 credit note\n%%EOF\n');

    // Nothing new: nothing archived. A new version of a file: archived beside the first, which stays.
    expect((await runJobCli(world, archive)).files).toEqual([]);
    await new Promise((r) => setTimeout(r, 1100));
    await attach('Case', second.Id, { 'credit-note.pdf': '%PDF-1.4 credit note, corrected amount\n%%EOF\n' });
    const next = await runJobCli(world, archive);
    expect(outcomes(next)).toEqual([[expect.stringMatching(/\/credit-note\.pdf$/), 'delivered']]);
    const notes = Object.entries(await filesUnder(join(ftpRoot, 'archive', 'cases', second.CaseNumber)))
      .filter(([p]) => p.endsWith('.pdf'))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, c]) => c.toString());
    expect(notes).toEqual(['%PDF-1.4 credit note\n%%EOF\n', '%PDF-1.4 credit note, corrected amount\n%%EOF\n']);
    expect(await readFile(join(ftpRoot, 'archive', 'cases', first.CaseNumber, (await pathsUnder(join(ftpRoot, 'archive', 'cases', first.CaseNumber))).find((p) => p.endsWith('.jpg')) ?? ''), 'utf8')).toBe('jpeg bytes');
    // Salesforce is not changed by the archive.
    expect((await org.session().query<{ Status: string }>(`SELECT Status FROM Case WHERE Id = '${second.Id}'`, 'case'))[0]?.Status).toBe('Closed');
  });
});
