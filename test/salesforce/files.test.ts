import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Connection } from '@jsforce/jsforce-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransferError } from '../../src/connectors/errors.js';
import { LocalFs } from '../../src/connectors/local/LocalFs.js';
import { parseNamingRule } from '../../src/connectors/salesforce/namingRule.js';
import { joinRelative } from '../../src/connectors/paths.js';
import { MemoryResumeJournal } from '../../src/engine/ResumeJournal.js';
import { transfer } from '../../src/engine/transfer.js';
import { peakRssGrowth, randomStream, readAll } from '../helpers/data.js';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';

const MB = 1024 * 1024;

describe('Salesforce Files connector against the sandbox', () => {
  let org: TestOrg;
  let conn: Connection;
  let scratch: string;
  let accountId: string;

  beforeAll(async () => {
    org = await startTestOrg({ seed: 'empty' });
    conn = new Connection({
      instanceUrl: org.sandbox.url,
      accessToken: org.sandbox.oauth.issueAccessToken(org.sandbox.context.defaultUser.username),
      version: '64.0',
    });
    accountId = ((await conn.sobject('Account').create({ Name: 'Acme Logistics', AccountNumber: 'ACC-1' })) as { id: string }).id;
    scratch = await mkdtemp(join(tmpdir(), 'ferry-sf-'));
  });
  afterAll(async () => {
    await org?.close();
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  });

  const versionsOn = async (recordId: string): Promise<Array<{ Title: string; VersionNumber: string; Checksum: string }>> => {
    const links = await conn.query<{ ContentDocumentId: string }>(`SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = '${recordId}'`);
    if (links.records.length === 0) return [];
    const ids = links.records.map((l) => `'${l.ContentDocumentId}'`).join(',');
    const versions = await conn.query<{ Title: string; VersionNumber: string; Checksum: string }>(
      `SELECT Title, VersionNumber, Checksum FROM ContentVersion WHERE ContentDocumentId IN (${ids}) ORDER BY Title, VersionNumber`,
    );
    return versions.records.map((v) => ({ Title: v.Title, VersionNumber: v.VersionNumber, Checksum: v.Checksum }));
  };

  it('uploads to a record by name, lists it with size, version and MD5, and downloads it', async () => {
    const fs = org.files();
    const body = Buffer.from('contract text');
    await fs.write('Account/Acme Logistics/Contract 2026.pdf', Readable.from([body]));
    const listed = await org.files().list('Account/Acme Logistics');
    expect(listed).toEqual([expect.objectContaining({ name: 'Contract 2026.pdf', kind: 'file', size: body.length })]);
    const fresh = org.files();
    expect(await fresh.hash('Account/Acme Logistics/Contract 2026.pdf')).toBe(createHash('md5').update(body).digest('hex'));
    expect((await readAll(await fresh.read(`Account/${accountId}/Contract 2026.pdf`))).equals(body)).toBe(true);
    await fs.close();
  });

  it('leaves out a file whose title would climb out of a folder, whether one record or many are listed', async () => {
    const id = ((await conn.sobject('Account').create({ Name: 'Hostile Titles' })) as { id: string }).id;
    await conn.sobject('ContentVersion').create({ Title: '../../escape', PathOnClient: 'escape.pdf', VersionData: Buffer.from('x').toString('base64'), FirstPublishLocationId: id });
    await conn.sobject('ContentVersion').create({ Title: 'fine', PathOnClient: 'fine.pdf', VersionData: Buffer.from('y').toString('base64'), FirstPublishLocationId: id });
    const refused: string[] = [];
    const one = await org.files().list(`Account/${id}`, { onUnsafeName: (name) => refused.push(name) });
    const many = await org.files().listMany([`Account/${id}`, 'Account/Acme Logistics'], { onUnsafeName: (name) => refused.push(name) });
    expect(one.map((e) => e.name)).toEqual(['fine.pdf']);
    expect(many.get(`Account/${id}`)?.map((e) => e.name)).toEqual(['fine.pdf']);
    expect(refused).toEqual(['../../escape.pdf', '../../escape.pdf']);
  });

  it('makes a second upload of the same title version 2 of the same document', async () => {
    const fs = org.files();
    await fs.write('Account/Acme Logistics/Price list.csv', Readable.from([Buffer.from('a,b\n1,2\n')]));
    await org.files().write('Account/Acme Logistics/Price list.csv', Readable.from([Buffer.from('a,b\n1,3\n')]));
    const versions = (await versionsOn(accountId)).filter((v) => v.Title === 'Price list');
    expect(versions.map((v) => v.VersionNumber)).toEqual(['1', '2']);
    expect((await readAll(await org.files().read('Account/Acme Logistics/Price list.csv'))).toString()).toBe('a,b\n1,3\n');
  });

  it('rejects just the file a validation rule refuses, with Salesforce\'s message', async () => {
    await org.admin.validationRule({ object: 'ContentVersion', field: 'Title', pattern: 'DRAFT', message: 'Draft documents may not be attached' });
    const fs = org.files();
    const error = await fs.write('Account/Acme Logistics/DRAFT terms.pdf', Readable.from([Buffer.from('x')])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransferError);
    expect((error as TransferError).kind).toBe('validation');
    expect((error as TransferError).message).toContain('Draft documents may not be attached');
    expect((error as TransferError).message).toContain('DRAFT terms.pdf');
    await fs.write('Account/Acme Logistics/Final terms.pdf', Readable.from([Buffer.from('ok')]));
    expect((await versionsOn(accountId)).map((v) => v.Title)).toContain('Final terms');
  });

  it('attaches 200 files named by account number to the right Accounts within 200 + 5 API calls', async () => {
    const accounts = Array.from({ length: 200 }, (_, i) => ({ attributes: { type: 'Account' }, Name: `Customer ${i}`, AccountNumber: `C-${String(i).padStart(4, '0')}` }));
    const created = await conn.requestPost<Array<{ id: string }>>(`/services/data/v64.0/composite/sobjects`, { allOrNone: true, records: accounts });
    const dir = join(scratch, 'invoices');
    await mkdir(dir);
    for (let i = 0; i < 200; i++) await writeFile(join(dir, `INV-C-${String(i).padStart(4, '0')}-2026-11-02.pdf`), `invoice ${i}`);
    const fs = org.files();
    const rule = parseNamingRule('INV-{AccountNumber}-{date}.pdf');
    const before = (await org.admin.state()).apiCalls;
    const summary = await transfer({
      source: new LocalFs(scratch), sourcePath: 'invoices', target: fs, targetPath: 'Account', recursive: true,
      policy: 'changed', move: false, dryRun: false, journal: new MemoryResumeJournal(),
      resolveTargets: async (files, signal) => {
        const folders = await fs.resolveRecordFolders('Account', rule, files.map((f) => f.relativePath), signal);
        return folders.map((f, i) => (f instanceof TransferError ? f : joinRelative(f.folder, files[i]?.source.name ?? '')));
      },
    });
    const calls = (await org.admin.state()).apiCalls - before;
    expect(summary.failed).toEqual([]);
    expect(summary.files).toBe(200);
    expect(calls).toBeLessThanOrEqual(205);
    for (const i of [0, 77, 199]) {
      const versions = await versionsOn(created[i]?.id ?? '');
      expect(versions.map((v) => v.Title)).toEqual([`INV-C-${String(i).padStart(4, '0')}-2026-11-02`]);
    }
  });

  it('reports files whose record is missing or ambiguous, and attaches none of them', async () => {
    await conn.sobject('Account').create([
      { Name: 'Twin A', AccountNumber: 'TWIN' },
      { Name: 'Twin B', AccountNumber: 'TWIN' },
    ]);
    const resolved = await org.files().resolveRecordFolders('Account', parseNamingRule('INV-{AccountNumber}.pdf'), [
      'INV-TWIN.pdf',
      'INV-NOBODY.pdf',
      'unrelated.txt',
      "INV-O'Brien\\%.pdf",
    ]);
    expect(resolved.map((r) => (r instanceof TransferError ? r.kind : 'ok'))).toEqual(['validation', 'notFound', 'validation', 'notFound']);
    expect((resolved[0] as TransferError).message).toMatch(/2 Account records have AccountNumber = 'TWIN'/);
  });

  it('attaches by the split of a name that names a real Account, and sends none where two splits or none do', async () => {
    const [northwind, amb, amb7] = await Promise.all(
      [
        { Name: 'Northwind Traders', AccountNumber: 'ACC-10001' },
        { Name: 'Amb Holding', AccountNumber: 'AMB' },
        { Name: 'Amb Seven', AccountNumber: 'AMB-7' },
      ].map(async (a) => ((await conn.sobject('Account').create(a)) as { id: string }).id),
    );
    const dir = join(scratch, 'split');
    await mkdir(dir);
    await writeFile(join(dir, 'INV-ACC-10001-2026-11-02.pdf'), 'invoice for Northwind');
    await writeFile(join(dir, 'INV-AMB-7-2026-11-02.pdf'), 'whose invoice?');
    await writeFile(join(dir, 'INV-NOPE-1-2026.pdf'), 'nobody');
    const fs = org.files();
    const rule = parseNamingRule('INV-{AccountNumber}-{*}');
    const summary = await transfer({
      source: new LocalFs(scratch), sourcePath: 'split', target: fs, targetPath: 'Account', recursive: true,
      policy: 'changed', move: false, dryRun: false, journal: new MemoryResumeJournal(),
      resolveTargets: async (files, signal) => {
        const folders = await fs.resolveRecordFolders('Account', rule, files.map((f) => f.relativePath), signal);
        return folders.map((f, i) => (f instanceof TransferError ? f : joinRelative(f.folder, files[i]?.source.name ?? '')));
      },
    });
    expect(summary.files).toBe(1);
    const failed = [...summary.failed].sort((a, b) => a.path.localeCompare(b.path));
    expect(failed.map((f) => f.path.split('/').pop())).toEqual(['INV-AMB-7-2026-11-02.pdf', 'INV-NOPE-1-2026.pdf']);
    expect(failed.map((f) => f.reason)).toEqual([
      `2 Account records have AccountNumber = 'AMB' or AccountNumber = 'AMB-7', so INV-AMB-7-2026-11-02.pdf is not attached: ${amb} (AccountNumber = 'AMB'), ${amb7} (AccountNumber = 'AMB-7')`,
      "No Account has AccountNumber = 'NOPE' or AccountNumber = 'NOPE-1' (file INV-NOPE-1-2026.pdf)",
    ]);
    expect((await versionsOn(northwind ?? '')).map((v) => v.Title)).toEqual(['INV-ACC-10001-2026-11-02']);
    expect(await versionsOn(amb ?? '')).toEqual([]);
    expect(await versionsOn(amb7 ?? '')).toEqual([]);
  });

  it('looks up every split of a batch in the queries a rule that reads each name one way makes', async () => {
    const numbers = Array.from({ length: 40 }, (_, i) => `K-${2000 + i}`);
    const accounts = numbers.map((n) => ({ attributes: { type: 'Account' }, Name: `Keel ${n}`, AccountNumber: n }));
    const created = await conn.requestPost<Array<{ id: string }>>(`/services/data/v64.0/composite/sobjects`, { allOrNone: true, records: accounts });
    const names = numbers.map((n) => `INV-${n}-2026-11-02.pdf`);
    const fs = org.files();
    const resolve = async (template: string): Promise<{ found: string[]; calls: number }> => {
      const before = (await org.admin.state()).apiCalls;
      const resolved = await fs.resolveRecordFolders('Account', parseNamingRule(template), names);
      const calls = (await org.admin.state()).apiCalls - before;
      return { found: resolved.map((r) => (r instanceof TransferError ? r.message : r.record.recordId)), calls };
    };
    const dated = await resolve('INV-{AccountNumber}-{date}.pdf');
    const split = await resolve('INV-{AccountNumber}-{*}');
    expect(split.found).toEqual(created.map((c) => c.id));
    expect(dated.found).toEqual(split.found);
    // One describe and one query, as docs/salesforce.md promises, whichever way the names read.
    expect(dated.calls).toBe(2);
    expect(split.calls).toBe(dated.calls);
  });

  it('leaves exactly one ContentVersion when the answer to an upload is lost and the copy retries', async () => {
    const local = join(scratch, 'ambiguous');
    await mkdir(local);
    await writeFile(join(local, 'small.pdf'), 'small body');
    await pipeline(randomStream(12 * MB, 'large'), createWriteStream(join(local, 'large.bin')));
    const ambiguousId = ((await conn.sobject('Account').create({ Name: 'Ambiguous Ltd' })) as { id: string }).id;
    // The sandbox saves each upload, then drops the connection instead of answering.
    await org.admin.fault({ method: 'POST', path: '/composite$', cutAfterCommit: true });
    await org.admin.fault({ method: 'POST', path: '/sobjects/ContentVersion$', cutAfterCommit: true });
    const summary = await transfer({
      source: new LocalFs(local), sourcePath: '', target: org.files(), targetPath: `Account/${ambiguousId}`, recursive: true,
      policy: 'changed', move: false, dryRun: false, journal: new MemoryResumeJournal(),
      retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    });
    expect(summary.failed).toEqual([]);
    const versions = await versionsOn(ambiguousId);
    expect(versions.map((v) => v.Title).sort()).toEqual(['large', 'small']);
    expect(versions.every((v) => v.VersionNumber === '1')).toBe(true);
  });

  it('sends nothing twice when the connection is cut in the middle of a streamed upload', async () => {
    const id = ((await conn.sobject('Account').create({ Name: 'Cut Mid Body' })) as { id: string }).id;
    const local = join(scratch, 'cut');
    await mkdir(local);
    await pipeline(randomStream(10 * MB, 'cut'), createWriteStream(join(local, 'cut.bin')));
    await org.admin.fault({ method: 'POST', path: '/sobjects/ContentVersion$', cutAfterBodyBytes: 3 * MB });
    const retried: string[] = [];
    const summary = await transfer({
      source: new LocalFs(local), sourcePath: 'cut.bin', target: org.files(), targetPath: `Account/${id}/cut.bin`, recursive: false,
      policy: 'changed', move: false, dryRun: false, journal: new MemoryResumeJournal(),
      retry: { attempts: 4, baseDelayMs: 10, maxDelayMs: 50 },
      onRetry: (_path, e) => retried.push(e.kind),
    });
    expect(summary.failed).toEqual([]);
    expect(retried.length).toBeGreaterThan(0);
    expect((await versionsOn(id)).map((v) => [v.Title, v.VersionNumber])).toEqual([['cut', '1']]);
  });

  it('streams a 300 MB upload as multipart with flat memory, and the MD5 matches', async () => {
    const size = 300 * MB;
    const file = join(scratch, 'huge.bin');
    const md5 = createHash('md5');
    await pipeline(randomStream(size, 'huge'), async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        md5.update(chunk);
        yield chunk;
      }
    }, createWriteStream(file));
    const expected = md5.digest('hex');
    const fs = org.files();
    const { growthBytes } = await peakRssGrowth(() =>
      transfer({
        source: new LocalFs(scratch), sourcePath: 'huge.bin', target: fs, targetPath: `Account/${accountId}/huge.bin`, recursive: false,
        policy: 'overwrite', move: false, dryRun: false, journal: new MemoryResumeJournal(),
      }).then((s) => expect(s.failed).toEqual([])),
    );
    expect(growthBytes).toBeLessThan(96 * MB);
    expect(await org.files().hash(`Account/${accountId}/huge.bin`)).toBe(expected);
    const stored = await conn.query<{ ContentSize: number; Checksum: string }>(`SELECT ContentSize, Checksum FROM ContentVersion WHERE Title = 'huge'`);
    expect(stored.records[0]).toMatchObject({ ContentSize: size, Checksum: expected });
    await rm(file);
  });

  it('pauses with a clear message before the daily allocation runs out, and resumes when calls are freed', async () => {
    const state = await org.admin.state();
    await org.admin.settings({ dailyApiLimit: state.apiCalls + 8 });
    const messages: string[] = [];
    let resumed = 0;
    const fs = org.files({ budget: { reserve: 5, recheckMs: 50, onPause: (m) => messages.push(m), onResume: () => resumed++ } });
    const writes = (async () => {
      for (let i = 0; i < 6; i++) await fs.write(`Account/${accountId}/limit-${i}.txt`, Readable.from([Buffer.from(`n${i}`)]));
    })();
    await waitFor(() => messages.length > 0);
    expect(messages[0]).toMatch(/daily API allocation is nearly spent \(\d[\d,]* of \d[\d,]* calls used\)/);
    expect(resumed).toBe(0);
    await org.admin.settings({ dailyApiLimit: 15_000 });
    await writes;
    expect(resumed).toBe(1);
    expect((await versionsOn(accountId)).filter((v) => v.Title.startsWith('limit-'))).toHaveLength(6);
  });

  it('refreshes an expired session once and replays the call', async () => {
    const session = org.session();
    const fs = org.files({ session });
    await fs.list('Account/Acme Logistics');
    const issued = (org.sandbox.requests.get('POST /services/oauth2/token') ?? 0);
    await org.admin.expireTokens();
    const again = await org.files({ session }).list('Account/Acme Logistics');
    expect(again.length).toBeGreaterThan(0);
    expect(org.sandbox.requests.get('POST /services/oauth2/token')).toBe(issued + 1);
    conn = new Connection({ instanceUrl: org.sandbox.url, accessToken: org.sandbox.oauth.issueAccessToken(org.sandbox.context.defaultUser.username), version: '64.0' });
  });

  it('fails a download whose bytes do not match Salesforce\'s checksum', async () => {
    const fs = org.files();
    await fs.write(`Account/${accountId}/checked.txt`, Readable.from([Buffer.from('original')]));
    const version = await conn.query<{ Id: string }>(`SELECT Id FROM ContentVersion WHERE Title = 'checked'`);
    const record = org.sandbox.context.store.get(version.records[0]?.Id ?? '');
    if (record !== undefined) Object.assign(record, { Checksum: '0'.repeat(32) });
    const error = await readAll(await org.files().read(`Account/${accountId}/checked.txt`)).catch((e: unknown) => e);
    expect((error as TransferError).kind).toBe('integrity');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
