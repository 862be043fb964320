import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Connection } from '@jsforce/jsforce-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TransferError } from '../../src/connectors/errors.js';
import { LocalFs } from '../../src/connectors/local/LocalFs.js';
import { s3Error } from '../../src/connectors/salesforce/sdrive/s3Http.js';
import { SDriveFs, type SDriveFsOptions } from '../../src/connectors/salesforce/sdrive/SDriveFs.js';
import { MemoryResumeJournal } from '../../src/engine/ResumeJournal.js';
import { transfer } from '../../src/engine/transfer.js';
import { DEMO_SDRIVE } from '../../src/sandbox/seed/demoData.js';
import { demoPriceList } from '../../src/sandbox/seed/sdriveDemo.js';
import { peakRssGrowth, randomStream, readAll, sha256Of } from '../helpers/data.js';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';

const MB = 1024 * 1024;
const S3_POST = 'POST /s3/:bucket';

interface AccountFile {
  readonly Id: string;
  readonly cg__File_Name__c: string;
  readonly cg__WIP__c: boolean;
  readonly cg__Content_Type__c: string;
  readonly cg__File_Size_in_Bytes__c: number | null;
  readonly cg__Parent_Folder_Id__c: string | null;
}

describe('S-Drive connector against the sandbox', () => {
  let org: TestOrg;
  let conn: Connection;
  let scratch: string;
  let accountId: string;

  beforeAll(async () => {
    org = await startTestOrg({ seed: 'demo', sdrive: true });
    conn = new Connection({
      instanceUrl: org.sandbox.url,
      accessToken: org.sandbox.oauth.issueAccessToken(org.sandbox.context.defaultUser.username),
      version: '64.0',
    });
    const accounts = await conn.query<{ Id: string }>(`SELECT Id FROM Account WHERE AccountNumber = '${DEMO_SDRIVE.accountNumber}'`);
    accountId = accounts.records[0]?.Id ?? '';
    scratch = await mkdtemp(join(tmpdir(), 'ferry-sdrive-'));
  });
  afterAll(async () => {
    await org?.close();
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  });

  const sdrive = (options: Partial<SDriveFsOptions> = {}): SDriveFs =>
    new SDriveFs({ description: 'salesforce://test (S-Drive)', ...options, session: options.session ?? org.session() });

  /** Every record of the Account's file object named like `name`, finished or not. */
  const accountFiles = async (name: string): Promise<AccountFile[]> =>
    (
      await conn.query<AccountFile>(
        `SELECT Id, cg__File_Name__c, cg__WIP__c, cg__Content_Type__c, cg__File_Size_in_Bytes__c, cg__Parent_Folder_Id__c FROM cg__AccountFile__c ` +
          `WHERE cg__Account__c = '${accountId}' AND cg__File_Name__c LIKE '%${name}'`,
      )
    ).records;

  const failure = async (work: Promise<unknown>): Promise<TransferError> => {
    const error = await work.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TransferError);
    return error as TransferError;
  };

  const apiCalls = async (): Promise<number> => (await org.admin.state()).apiCalls;

  it('shows the packaged objects, records, and the seeded folders and file', async () => {
    const fs = sdrive();
    expect((await fs.list('')).map((e) => e.name)).toEqual(['Account', 'Case', 'Contact', 'Opportunity', 'Lead']);
    const accounts = await fs.list('Account');
    const named = accounts.find((e) => e.name === 'Northwind Traders');
    expect(named).toMatchObject({ kind: 'dir', path: 'Account/Northwind Traders' });
    const listed = await fs.list('Account/Northwind Traders');
    expect(listed.map((e) => [e.name, e.kind]).sort()).toEqual([
      ['Contracts', 'dir'],
      ['Photos', 'dir'],
      [DEMO_SDRIVE.file.name, 'file'],
    ]);
    const file = listed.find((e) => e.kind === 'file');
    expect(file).toMatchObject({ path: `Account/Northwind Traders/${DEMO_SDRIVE.file.name}`, size: demoPriceList().length });
    expect(file?.modifiedAt).toBeGreaterThan(0);
    expect(await readAll(await sdrive().read(`Account/${accountId}/${DEMO_SDRIVE.file.name}`))).toEqual(demoPriceList());
    await fs.close();
  });

  it('uploads through S3 and downloads the same bytes, with two Salesforce calls per file', async () => {
    const fs = sdrive();
    await fs.list(`Account/${accountId}`);
    const bytes = randomBytes(300_000);
    const before = await apiCalls();
    const s3Before = org.sandbox.requests.get(S3_POST) ?? 0;
    await fs.write(`Account/${accountId}/Delivery note 4711.pdf`, Readable.from([bytes]), { size: bytes.length });
    expect((await apiCalls()) - before).toBe(2);
    expect(org.sandbox.requests.get(S3_POST)).toBe(s3Before + 1);
    expect(await fs.stat(`Account/${accountId}/Delivery note 4711.pdf`)).toMatchObject({ kind: 'file', size: bytes.length });
    expect(await accountFiles('Delivery note 4711.pdf')).toEqual([
      expect.objectContaining({ cg__WIP__c: false, cg__Content_Type__c: 'application/pdf', cg__File_Size_in_Bytes__c: bytes.length, cg__Parent_Folder_Id__c: null }),
    ]);
    const fresh = sdrive();
    expect((await readAll(await fresh.read('Account/Northwind Traders/delivery NOTE 4711.pdf'))).equals(bytes)).toBe(true);
    expect((await readAll(await fresh.read(`Account/${accountId}/Delivery note 4711.pdf`, { offset: 1000 }))).equals(bytes.subarray(1000))).toBe(true);
  });

  it('uploads a file of unknown size, and an empty one', async () => {
    const fs = sdrive();
    await fs.write(`Account/${accountId}/unknown-size.txt`, Readable.from([Buffer.from('first '), Buffer.from('second')]));
    await fs.write(`Account/${accountId}/empty.txt`, Readable.from([]));
    const fresh = sdrive();
    expect((await readAll(await fresh.read(`Account/${accountId}/unknown-size.txt`))).toString()).toBe('first second');
    expect(await readAll(await fresh.read(`Account/${accountId}/empty.txt`))).toHaveLength(0);
    expect(await fresh.stat(`Account/${accountId}/empty.txt`)).toMatchObject({ size: 0 });
  });

  it('streams 50 MB up and down with flat memory', async () => {
    const size = 50 * MB;
    const path = `Account/${accountId}/large.bin`;
    const { result, growthBytes } = await peakRssGrowth(async () => {
      await sdrive().write(path, randomStream(size, 'sdrive-large'), { size });
      return sha256Of(await sdrive().read(path));
    });
    expect(growthBytes).toBeLessThan(96 * MB);
    expect(result).toBe(await sha256Of(randomStream(size, 'sdrive-large')));
    expect(await sdrive().stat(path)).toMatchObject({ size });
  });

  it('creates nested folders once, lists them, and uploads into them', async () => {
    const fs = sdrive();
    await fs.mkdir(`Account/${accountId}/Inbound/2026/May`);
    await fs.mkdir(`Account/${accountId}/Inbound/2026/May`);
    await sdrive().mkdir(`Account/${accountId}/Inbound/2026`);
    await fs.write(`Account/${accountId}/Inbound/2026/May/order.csv`, Readable.from([Buffer.from('a,b\n')]));
    const folders = await accountFiles('2026');
    expect(folders).toEqual([expect.objectContaining({ cg__Content_Type__c: 'Folder', cg__WIP__c: false })]);
    const fresh = sdrive();
    expect(await fresh.list(`Account/${accountId}/Inbound`)).toEqual([expect.objectContaining({ name: '2026', kind: 'dir', path: `Account/${accountId}/Inbound/2026` })]);
    expect(await fresh.list(`Account/${accountId}/Inbound/2026/May`)).toEqual([
      expect.objectContaining({ name: 'order.csv', kind: 'file', size: 4, path: `Account/${accountId}/Inbound/2026/May/order.csv` }),
    ]);
    const [file] = await accountFiles('order.csv');
    const [may] = await accountFiles('May');
    expect(file?.cg__Parent_Folder_Id__c).toBe(may?.Id);
    expect(file?.cg__Content_Type__c).toBe('text/csv');
    expect((await failure(fresh.write(`Account/${accountId}/Nowhere/x.txt`, Readable.from([Buffer.from('x')])))).kind).toBe('notFound');
    expect((await failure(fresh.mkdir(`Account/${accountId}/Inbound/2026/May/order.csv`))).kind).toBe('exists');
  });

  it('never lists or reads an upload in progress or a deleted file', async () => {
    await conn.apex.post('/cg/SDrive/files', {
      objectId: accountId,
      fileType: 'cg__AccountFile__c',
      fileProperties: [{ fileName: 'pending.txt', fileLocation: '', description: '', relationshipFieldName: 'cg__Account__c', fileType: 'text/plain', fileSizeInBytes: '5' }],
    });
    await conn.sobject('cg__AccountFile__c').create({
      cg__Account__c: accountId,
      cg__File_Name__c: 'trashed.txt',
      cg__Content_Type__c: 'text/plain',
      cg__WIP__c: false,
      cg__Is_Deleted__c: true,
    });
    expect(await accountFiles('pending.txt')).toEqual([expect.objectContaining({ cg__WIP__c: true })]);
    const fs = sdrive();
    const names = (await fs.list(`Account/${accountId}`)).map((e) => e.name);
    expect(names).not.toContain('pending.txt');
    expect(names).not.toContain('trashed.txt');
    expect(await fs.stat(`Account/${accountId}/pending.txt`)).toBeUndefined();
    expect((await failure(fs.read(`Account/${accountId}/trashed.txt`))).kind).toBe('notFound');
  });

  it('leaves no work-in-progress record when the S3 upload fails or is cut', async () => {
    const fs = sdrive();
    await org.admin.fault({ method: 'POST', path: '^/s3/', status: 503, message: 'S3 is down' });
    const refused = await failure(fs.write(`Account/${accountId}/refused.txt`, Readable.from([Buffer.from('hello')])));
    expect(refused.kind).toBe('network');
    expect(refused.retryable).toBe(true);
    expect(await accountFiles('refused.txt')).toEqual([]);

    await org.admin.fault({ method: 'POST', path: '^/s3/', cutAfterBodyBytes: 256 * 1024 });
    const cut = await failure(fs.write(`Account/${accountId}/cut.bin`, randomStream(4 * MB, 'cut'), { size: 4 * MB }));
    expect(cut.kind).toBe('network');
    expect(await accountFiles('cut.bin')).toEqual([]);

    const grown = await failure(fs.write(`Account/${accountId}/grown.bin`, randomStream(2 * MB, 'grown'), { size: MB }));
    expect(grown.kind).toBe('integrity');
    expect(await accountFiles('grown.bin')).toEqual([]);

    await fs.write(`Account/${accountId}/refused.txt`, Readable.from([Buffer.from('hello')]));
    expect(await accountFiles('refused.txt')).toEqual([expect.objectContaining({ cg__WIP__c: false })]);
  });

  it('maps S3\'s refusal of an expired policy, and cleans up after it too', async () => {
    const fs = sdrive();
    await fs.list(`Account/${accountId}`);
    // S3 holds the upload back; meanwhile, once the policy was issued, the clock moves past its 15 minutes.
    await org.admin.fault({ method: 'POST', path: '^/s3/', delayMs: 1000 });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const writing = failure(fs.write(`Account/${accountId}/late.txt`, Readable.from([Buffer.from('late')])));
      while ((await accountFiles('late.txt')).length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      vi.setSystemTime(Date.now() + 20 * 60 * 1000);
      const late = await writing;
      expect(late.kind).toBe('timeout');
      expect(late.retryable).toBe(true);
      expect(late.message).toContain('Policy expired');
    } finally {
      vi.useRealTimers();
    }
    expect(await accountFiles('late.txt')).toEqual([]);
  });

  it('replaces an existing file only once the new one is complete', async () => {
    const path = `Account/${accountId}/report.txt`;
    await sdrive().write(path, Readable.from([Buffer.from('version 1')]));
    const [first] = await accountFiles('report.txt');
    const fs = sdrive();
    await fs.write(path, Readable.from([Buffer.from('version 2, longer')]));
    const afterReplace = await accountFiles('report.txt');
    expect(afterReplace).toEqual([expect.objectContaining({ cg__File_Name__c: 'report.txt', cg__WIP__c: false, cg__File_Size_in_Bytes__c: 17 })]);
    expect(afterReplace[0]?.Id).not.toBe(first?.Id);
    expect(await fs.stat(path)).toMatchObject({ size: 17 });
    expect((await readAll(await sdrive().read(path))).toString()).toBe('version 2, longer');

    await org.admin.fault({ method: 'POST', path: '^/s3/', status: 500 });
    await failure(fs.write(path, Readable.from([Buffer.from('version 3')])));
    expect((await readAll(await sdrive().read(path))).toString()).toBe('version 2, longer');
    expect((await accountFiles('report.txt')).map((f) => f.Id)).toEqual([afterReplace[0]?.Id]);
  });

  it('removes files, and removes a folder only when it is empty', async () => {
    const fs = sdrive();
    const dir = `Account/${accountId}/Old`;
    await fs.mkdir(dir);
    await fs.write(`${dir}/a.txt`, Readable.from([Buffer.from('a')]));
    expect((await failure(fs.rmdir(dir))).kind).toBe('exists');
    expect((await failure(fs.remove(dir))).kind).toBe('unsupported');
    await fs.remove(`${dir}/a.txt`);
    expect(await accountFiles('a.txt')).toEqual([]);
    expect((await failure(fs.remove(`${dir}/a.txt`))).kind).toBe('notFound');

    const [folder] = await accountFiles('Old');
    await conn.apex.post('/cg/SDrive/files', {
      objectId: accountId,
      fileType: 'cg__AccountFile__c',
      fileProperties: [{ fileName: 'arriving.txt', fileLocation: folder?.Id ?? '', description: '', relationshipFieldName: 'cg__Account__c', fileType: 'text/plain', fileSizeInBytes: '5' }],
    });
    expect((await failure(fs.rmdir(dir))).message).toContain('not empty');
    const [arriving] = await accountFiles('arriving.txt');
    await conn.apex.delete(`/cg/SDrive/files?objectId=${accountId}&fileObjectId=${arriving?.Id ?? ''}`);

    await fs.rmdir(dir);
    expect(await fs.stat(dir)).toBeUndefined();
    expect(await accountFiles('Old')).toEqual([]);
    expect((await failure(fs.rmdir(`Account/${accountId}`))).kind).toBe('unsupported');
  });

  it('works on a custom file object configured through options', async () => {
    const orders = await conn.query<{ Id: string; OrderNumber: string }>("SELECT Id, OrderNumber FROM Order WHERE PoNumber = 'PO-2026-0001'");
    const order = orders.records[0];
    if (order === undefined) throw new Error('the demo order is missing');
    const fs = sdrive({ objects: [{ object: 'Order', fileObject: 'OrderFile__c', parentField: 'Parent__c' }] });
    expect((await fs.list('')).map((e) => e.name)).toEqual(['Order']);
    expect((await fs.list('Order')).map((e) => e.name)).toContain(order.OrderNumber);
    await fs.mkdir(`Order/${order.OrderNumber}/Confirmations`);
    await fs.write(`Order/${order.OrderNumber}/Confirmations/confirmation.pdf`, Readable.from([Buffer.from('order confirmed')]));
    const rows = await conn.query<{ Id: string; WIP__c: boolean; Parent__c: string; Parent_Folder_Id__c: string; Content_Type__c: string }>(
      `SELECT Id, WIP__c, Parent__c, Parent_Folder_Id__c, Content_Type__c, File_Name__c FROM OrderFile__c WHERE Parent__c = '${order.Id}'`,
    );
    const folder = rows.records.find((r) => r.Content_Type__c === 'Folder');
    const file = rows.records.find((r) => r.Content_Type__c !== 'Folder');
    expect(rows.records).toHaveLength(2);
    expect(folder).toMatchObject({ Content_Type__c: 'Folder', WIP__c: false });
    expect(file).toMatchObject({ WIP__c: false, Parent__c: order.Id, Parent_Folder_Id__c: folder?.Id, Content_Type__c: 'application/pdf' });
    const fresh = sdrive({ objects: [{ object: 'order', fileObject: 'orderfile__c', parentField: 'parent__c' }] });
    expect((await readAll(await fresh.read(`Order/${order.Id}/Confirmations/confirmation.pdf`))).toString()).toBe('order confirmed');
    expect((await failure(sdrive().list('Order'))).kind).toBe('notFound');
  });

  it('refuses a file object that the org lacks or that is not an S-Drive one, as configuration', async () => {
    const missing = sdrive({ objects: [{ object: 'Account', fileObject: 'cg__NoSuchFile__c', parentField: 'cg__Account__c' }] });
    expect((await failure(missing.list(`Account/${accountId}`))).kind).toBe('config');
    const notSDrive = sdrive({ objects: [{ object: 'Account', fileObject: 'Contact', parentField: 'AccountId' }] });
    expect((await failure(notSDrive.list(`Account/${accountId}`))).kind).toBe('config');
  });

  it('copies a local tree into a record and back through the engine', async () => {
    const source = join(scratch, 'tree');
    await mkdir(join(source, 'sub', 'deeper'), { recursive: true });
    const files: Record<string, Buffer> = {
      'readme.txt': Buffer.from('top level\n'),
      'sub/data.bin': randomBytes(200_000),
      'sub/deeper/prices.csv': Buffer.from('code,price\nA,1\n'),
    };
    for (const [rel, bytes] of Object.entries(files)) await writeFile(join(source, rel), bytes);
    const target = `Account/${accountId}/Imported`;
    const up = await transfer({
      source: new LocalFs(scratch), sourcePath: 'tree', target: sdrive(), targetPath: target, recursive: true,
      policy: 'overwrite', move: false, dryRun: false, journal: new MemoryResumeJournal(),
    });
    expect(up.failed).toEqual([]);
    expect(up.files).toBe(3);
    const down = await transfer({
      source: sdrive(), sourcePath: target, target: new LocalFs(scratch), targetPath: 'back', recursive: true,
      policy: 'overwrite', move: false, dryRun: false, journal: new MemoryResumeJournal(),
    });
    expect(down.failed).toEqual([]);
    expect(down.files).toBe(3);
    for (const [rel, bytes] of Object.entries(files)) expect((await readFile(join(scratch, 'back', rel))).equals(bytes)).toBe(true);
    const again = await transfer({
      source: new LocalFs(scratch), sourcePath: 'tree', target: sdrive(), targetPath: target, recursive: true,
      policy: 'overwrite', move: false, dryRun: false, journal: new MemoryResumeJournal(),
    });
    expect(again.failed).toEqual([]);
    expect((await accountFiles('data.bin')).map((f) => f.cg__File_Name__c)).toEqual(['data.bin']);
  });
});

describe('S3 error mapping', () => {
  const xml = (code: string, message: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;

  it('maps S3 error codes onto the taxonomy', () => {
    expect(s3Error(403, xml('AccessDenied', 'Access Denied'), 'a.txt').kind).toBe('permission');
    expect(s3Error(403, xml('SignatureDoesNotMatch', 'The request signature we calculated does not match'), 'a.txt')).toMatchObject({ kind: 'auth', fatal: true });
    expect(s3Error(400, xml('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size'), 'a.txt').kind).toBe('quota');
    expect(s3Error(404, xml('NoSuchKey', 'The specified key does not exist.'), 'a.txt').kind).toBe('notFound');
    expect(s3Error(403, xml('AccessDenied', 'Invalid according to Policy: Policy expired.'), 'a.txt')).toMatchObject({ kind: 'timeout', retryable: true });
    expect(s3Error(503, xml('SlowDown', 'Please reduce your request rate.'), 'a.txt').kind).toBe('rateLimited');
    expect(s3Error(502, '<html>Bad gateway</html>', 'a.txt')).toMatchObject({ kind: 'network', retryable: true });
    expect(s3Error(403, xml('AccessDenied', 'A &amp; B'), 'a.txt').message).toBe('S3 refused a.txt: A & B (AccessDenied)');
  });
});
