import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
// Clears the proxy variables jsforce reads when it loads, so it must come before jsforce.
import { startTestOrg, type SandboxAdmin, type TestOrg } from '../helpers/salesforce.js';
import { Connection, OAuth2 } from '@jsforce/jsforce-node';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { buildMultipartBody, type MultipartBody } from '../../src/connectors/salesforce/multipartBody.js';
import { DEFAULT_SETTINGS } from '../../src/sandbox/context.js';
import { toId18 } from '../../src/sandbox/ids.js';
import { API_VERSIONS, DESKTOP_CLIENT_ID, type Sandbox } from '../../src/sandbox/server.js';

const V = '64.0';
const DATA = `/services/data/v${V}`;
const MB = 1024 * 1024;
const UNKNOWN_ACCOUNT = toId18('0015g00000ZZZZZ');
/** The sandbox counts the requests its general REST handler answers under one label per method. */
const REST_GET = 'GET /services/data/:version/*rest';
const REST_POST = 'POST /services/data/:version/*rest';
const TOKEN_POST = 'POST /services/oauth2/token';
const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};
const HALTED = { errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.' };
const CDL_RESTRICTION =
  "Implementation restriction: ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId using the equals operator or multiple Id's using the IN operator.";

interface ApiFailure {
  readonly name: string;
  readonly errorCode: string;
  readonly message: string;
  readonly data: unknown;
}

interface SaveError {
  readonly statusCode: string;
  readonly message: string;
  readonly fields: ReadonlyArray<string>;
}

interface SaveResult {
  readonly id?: string;
  readonly success: boolean;
  readonly errors: ReadonlyArray<SaveError>;
}

interface AccountRecord {
  readonly Id: string;
  readonly Name: string;
  readonly AccountNumber: string | null;
  readonly BillingCity: string | null;
}

interface VersionRecord {
  readonly Id: string;
  readonly Title: string;
  readonly ContentDocumentId: string;
  readonly ContentSize: number;
  readonly Checksum: string;
  readonly FileExtension: string | null;
  readonly FileType: string;
  readonly VersionNumber: string;
  readonly IsLatest: boolean;
  readonly ReasonForChange: string | null;
  readonly VersionData: string;
}

interface DocumentRecord {
  readonly Id: string;
  readonly Title: string;
  readonly LatestPublishedVersionId: string;
  readonly ContentSize: number;
}

interface LinkRecord {
  readonly LinkedEntityId: string;
  readonly ShareType: string;
  readonly Visibility: string;
}

interface SubResponse {
  readonly body: unknown;
  readonly httpHeaders: Record<string, string>;
  readonly httpStatusCode: number;
  readonly referenceId: string;
}

interface DescribeField {
  readonly name: string;
  readonly type: string;
  readonly nillable: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly calculated: boolean;
  readonly referenceTo?: ReadonlyArray<string> | null;
}

const md5 = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('hex');

/** What jsforce throws for a REST error: `name` and `errorCode` are Salesforce's code, `data` the error entry. */
async function failure(promise: PromiseLike<unknown>): Promise<ApiFailure> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof Error && 'errorCode' in e) {
      return { name: e.name, errorCode: String(e.errorCode), message: e.message, data: (e as Error & { data?: unknown }).data };
    }
    throw e;
  }
  throw new Error('expected the call to fail');
}

async function readStream(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

describe('REST API sandbox through jsforce', () => {
  let org: TestOrg;
  let sandbox: Sandbox;
  let admin: SandboxAdmin;
  let token: string;
  let conn: Connection;
  let accountId: string;

  const connect = (): Connection => new Connection({ instanceUrl: sandbox.url, accessToken: token, version: V });
  const apiCalls = async (): Promise<number> => (await admin.state()).apiCalls;
  const requestsTo = (label: string): number => sandbox.requests.get(label) ?? 0;

  /** Plain HTTP for what jsforce hides: status codes, headers, partial content. */
  const raw = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${sandbox.url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) } });

  const clearFaults = async (): Promise<void> => {
    const res = await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE', headers: { 'X-Sandbox-Admin': sandbox.adminKey } });
    expect(res.status).toBe(204);
  };

  const createAccount = async (fields: Record<string, unknown>): Promise<string> => {
    const result = (await conn.sobject('Account').create({ Name: 'Sandbox Account', ...fields })) as SaveResult;
    expect(result.success).toBe(true);
    return result.id ?? '';
  };

  const accountsNumbered = async (prefix: string): Promise<AccountRecord[]> =>
    (await conn.query<AccountRecord>(`SELECT Id, Name, AccountNumber, BillingCity FROM Account WHERE AccountNumber LIKE '${prefix}%' ORDER BY AccountNumber`)).records;

  const version = async (id: string): Promise<VersionRecord> => (await conn.sobject('ContentVersion').retrieve(id)) as unknown as VersionRecord;

  const uploadBase64 = async (bytes: Buffer, fields: Record<string, unknown> = {}): Promise<string> => {
    const result = (await conn.sobject('ContentVersion').create({ PathOnClient: 'Report.pdf', VersionData: bytes.toString('base64'), ...fields })) as SaveResult;
    expect(result).toMatchObject({ success: true, errors: [] });
    return result.id ?? '';
  };

  const uploadMultipart = async (bytes: Buffer, fields: Record<string, unknown> = {}): Promise<string> => {
    const result = (await conn
      .sobject('ContentVersion')
      .create(
        { PathOnClient: 'Report.pdf', VersionData: bytes.toString('base64'), ...fields },
        { multipartFileFields: { VersionData: { contentType: 'application/pdf', filename: 'Report.pdf' } } },
      )) as SaveResult;
    expect(result).toMatchObject({ success: true, errors: [] });
    return result.id ?? '';
  };

  /** Streams a multipart body over plain node:http, where jsforce would build it in memory. */
  const postMultipart = async (body: MultipartBody): Promise<{ status: number; json: unknown }> => {
    const req = httpRequest(`${sandbox.url}${DATA}/sobjects/ContentVersion`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': body.contentType, 'Content-Length': body.contentLength },
    });
    const answer = new Promise<{ status: number; json: unknown }>((resolve, reject) => {
      req.once('response', (res) => {
        readStream(res).then((text) => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text.toString('utf8')) as unknown }), reject);
      });
      req.once('error', reject);
    });
    const [result] = await Promise.all([answer, pipeline(body.body, req)]);
    return result;
  };

  beforeAll(async () => {
    org = await startTestOrg({ seed: 'empty', sdrive: true });
    sandbox = org.sandbox;
    admin = org.admin;
    token = sandbox.oauth.issueAccessToken(sandbox.context.defaultUser.username);
    conn = connect();
    accountId = await createAccount({ Name: 'Acme Logistics', AccountNumber: 'ACME-1' });
  });

  afterEach(async () => {
    await clearFaults();
    const { dailyApiLimit, queryPageSize, fileStorageMb, longRunningLimit, longRunningAfterMs } = DEFAULT_SETTINGS;
    await admin.settings({ dailyApiLimit, queryPageSize, fileStorageMb, longRunningLimit, longRunningAfterMs });
  });

  afterAll(async () => {
    await org?.close();
  });

  describe('discovery', () => {
    it('lists the versions without authentication or a limit header, oldest first', async () => {
      const res = await fetch(`${sandbox.url}/services/data/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      expect(res.headers.get('sforce-limit-info')).toBeNull();
      const versions = (await res.json()) as Array<{ label: string; url: string; version: string }>;
      expect(versions.map((v) => v.version)).toEqual([...API_VERSIONS]);
      expect(versions.at(-1)).toEqual({ label: "Summer '25", url: `/services/data/v${V}`, version: V });
      expect(versions[0]).toEqual({ label: "Summer '23", url: '/services/data/v58.0', version: '58.0' });

      const before = await apiCalls();
      expect(await conn.request('/services/data/')).toEqual(versions);
      expect(await apiCalls()).toBe(before);
    });

    it('answers the latest alias as the newest version and counts it', async () => {
      const before = await apiCalls();
      const map = await conn.request<Record<string, string>>('/services/data/latest/');
      expect(map).toEqual(await conn.request<Record<string, string>>(`${DATA}/`));
      expect(map).toMatchObject({ sobjects: `${DATA}/sobjects`, query: `${DATA}/query`, limits: `${DATA}/limits` });
      const described = await conn.request<{ name: string }>('/services/data/latest/sobjects/Account/describe');
      expect(described.name).toBe('Account');
      expect(await apiCalls()).toBe(before + 3);
      const res = await raw('/services/data/latest/limits');
      expect(res.headers.get('sforce-limit-info')).toBe(`api-usage=${before + 4}/${DEFAULT_SETTINGS.dailyApiLimit}`);
    });

    it('serves the resource map with the identity URL of the caller', async () => {
      const map = await conn.request<Record<string, string>>(`${DATA}/`);
      const { orgId, defaultUser } = sandbox.context;
      expect(map).toEqual({
        sobjects: `${DATA}/sobjects`,
        query: `${DATA}/query`,
        queryAll: `${DATA}/queryAll`,
        composite: `${DATA}/composite`,
        limits: `${DATA}/limits`,
        identity: `${sandbox.url}/id/${orgId}/${defaultUser.id}`,
      });
    });

    it('tells jsforce who the caller is', async () => {
      const { orgId, defaultUser } = sandbox.context;
      const identity = await connect().identity();
      expect(identity).toMatchObject({
        id: `${sandbox.url}/id/${orgId}/${defaultUser.id}`,
        user_id: defaultUser.id,
        organization_id: orgId,
        username: defaultUser.username,
        display_name: defaultUser.displayName,
      });
    });

    it('describes the org', async () => {
      const global = await conn.describeGlobal();
      expect(global).toMatchObject({ encoding: 'UTF-8', maxBatchSize: 200 });
      const byName = new Map(global.sobjects.map((s) => [s.name, s]));
      expect(byName.get('Account')).toMatchObject({ keyPrefix: '001', custom: false, queryable: true, createable: true });
      expect(byName.get('ContentVersion')).toMatchObject({ keyPrefix: '068', deletable: false });
      expect(byName.get('ContentDocument')).toMatchObject({ keyPrefix: '069', createable: false });
      expect(byName.get('ContentDocumentLink')).toMatchObject({ keyPrefix: '06A' });
      expect(byName.get('cg__AccountFile__c')).toMatchObject({ custom: true });
      expect(byName.get('Account')?.urls).toEqual({
        sobject: `${DATA}/sobjects/Account`,
        describe: `${DATA}/sobjects/Account/describe`,
        rowTemplate: `${DATA}/sobjects/Account/{ID}`,
      });
    });

    it('describes an object with its fields, names and types', async () => {
      const account = await conn.sobject('Account').describe();
      expect(account).toMatchObject({ name: 'Account', keyPrefix: '001', custom: false });
      const fields = new Map((account.fields as DescribeField[]).map((f) => [f.name, f]));
      expect(fields.get('Id')).toMatchObject({ type: 'id', createable: false, updateable: false });
      expect(fields.get('Name')).toMatchObject({ type: 'string', nillable: false, createable: true });
      expect(fields.get('OwnerId')).toMatchObject({ type: 'reference', referenceTo: ['User'] });
      expect(fields.get('Type')).toMatchObject({ type: 'picklist' });
      expect(fields.get('CreatedDate')).toMatchObject({ type: 'datetime', createable: false });

      const version = await conn.sobject('ContentVersion').describe();
      expect((version.fields as DescribeField[]).find((f) => f.name === 'VersionData')).toMatchObject({ type: 'base64' });
      expect(await failure(conn.sobject('NoSuchThing__c').describe())).toMatchObject({ errorCode: 'NOT_FOUND' });
    });

    it("describes S-Drive's File_Size__c as calculated, and computes it", async () => {
      const described = await conn.sobject('cg__AccountFile__c').describe();
      const fields = new Map((described.fields as DescribeField[]).map((f) => [f.name, f]));
      expect(fields.get('cg__File_Size__c')).toMatchObject({ calculated: true, createable: false, updateable: false });
      expect(fields.get('cg__File_Size_in_Bytes__c')).toMatchObject({ calculated: false, createable: true, type: 'double' });
      expect(fields.get('cg__Account__c')).toMatchObject({ type: 'reference', referenceTo: ['Account'], nillable: false });

      const files = conn.sobject('cg__AccountFile__c');
      const created = (await files.create({ cg__Account__c: accountId, cg__File_Name__c: 'a.pdf', cg__File_Size_in_Bytes__c: 2048 })) as SaveResult;
      const record = (await files.retrieve(created.id ?? '')) as unknown as { cg__File_Size__c: string; cg__WIP__c: boolean };
      expect(record).toMatchObject({ cg__File_Size__c: '2.0 KB', cg__WIP__c: true });
      const refused = await failure(files.create({ cg__Account__c: accountId, cg__File_Size__c: '1 KB' }));
      expect(refused).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', data: { fields: ['cg__File_Size__c'] } });
    });

    it('reports limits that agree with the Sforce-Limit-Info header and the call count', async () => {
      const limits = await conn.limits();
      const usage = conn.limitInfo.apiUsage;
      expect(usage?.limit).toBe(DEFAULT_SETTINGS.dailyApiLimit);
      expect(limits.DailyApiRequests).toEqual({ Max: usage?.limit, Remaining: (usage?.limit ?? 0) - (usage?.used ?? 0) });
      expect(await apiCalls()).toBe(usage?.used);
      expect(limits).toHaveProperty('FileStorageMB.Max', DEFAULT_SETTINGS.fileStorageMb);
      expect(limits).toHaveProperty('DataStorageMB');

      await conn.sobject('Account').retrieve(accountId);
      expect(conn.limitInfo.apiUsage?.used).toBe((usage?.used ?? 0) + 1);
    });
  });

  describe('records', () => {
    it('creates, retrieves, updates and deletes one record', async () => {
      const accounts = conn.sobject('Account');
      const created = (await accounts.create({ Name: 'Fjord Freight', AccountNumber: 'CRUD-1', BillingCity: 'Bergen' })) as SaveResult;
      expect(created).toEqual({ id: expect.stringMatching(/^001[a-zA-Z0-9]{15}$/) as unknown, success: true, errors: [] });
      const id = created.id ?? '';

      const record = (await accounts.retrieve(id)) as unknown as AccountRecord & { attributes: { type: string; url: string } };
      expect(record).toMatchObject({ Id: id, Name: 'Fjord Freight', BillingCity: 'Bergen', attributes: { type: 'Account', url: `${DATA}/sobjects/Account/${id}` } });
      expect(((await accounts.retrieve(id.slice(0, 15))) as unknown as AccountRecord).Id).toBe(id);
      const some = (await accounts.retrieve(id, { fields: ['Name'] })) as unknown as Record<string, unknown>;
      expect(Object.keys(some).sort()).toEqual(['Name', 'attributes']);

      expect(await accounts.update({ Id: id, BillingCity: 'Oslo' })).toEqual({ id, success: true, errors: [] });
      expect(((await accounts.retrieve(id)) as unknown as AccountRecord).BillingCity).toBe('Oslo');

      expect(await accounts.destroy(id)).toEqual({ id, success: true, errors: [] });
      expect(await failure(accounts.retrieve(id))).toMatchObject({ name: 'NOT_FOUND', errorCode: 'NOT_FOUND' });
    });

    it('sends arrays through sObject Collections, one API call each', async () => {
      const accounts = conn.sobject('Account');
      let before = await apiCalls();
      const created = (await accounts.create([
        { Name: 'Many 1', AccountNumber: 'MANY-1' },
        { Name: 'Many 2', AccountNumber: 'MANY-2' },
        { Name: 'Many 3', AccountNumber: 'MANY-3' },
      ])) as SaveResult[];
      expect(await apiCalls()).toBe(before + 1);
      expect(created.map((r) => r.success)).toEqual([true, true, true]);
      const ids = created.map((r) => r.id ?? '');

      before = await apiCalls();
      const gets = requestsTo(REST_GET);
      const posts = requestsTo(REST_POST);
      const fetched = (await accounts.retrieve([ids[2] ?? '', UNKNOWN_ACCOUNT, ids[0] ?? ''], { fields: ['Name'] })) as unknown as Array<{ Name: string } | null>;
      expect(await apiCalls()).toBe(before + 1);
      expect([requestsTo(REST_GET), requestsTo(REST_POST)]).toEqual([gets, posts + 1]);
      expect(fetched.map((r) => r?.Name ?? null)).toEqual(['Many 3', null, 'Many 1']);

      const updated = (await accounts.update(ids.map((Id, i) => ({ Id, BillingCity: `City ${i}` })))) as SaveResult[];
      expect(updated).toEqual(ids.map((id) => ({ id, success: true, errors: [] })));
      expect((await accountsNumbered('MANY-')).map((a) => a.BillingCity)).toEqual(['City 0', 'City 1', 'City 2']);

      before = await apiCalls();
      const destroyed = (await accounts.destroy(ids)) as SaveResult[];
      expect(await apiCalls()).toBe(before + 1);
      expect(destroyed).toEqual(ids.map((id) => ({ id, success: true, errors: [] })));
      expect(await accountsNumbered('MANY-')).toEqual([]);
    });

    it('reports collection errors per record with statusCode, saving the valid ones', async () => {
      const results = (await conn.sobject('Account').create([
        { Name: 'Partial ok', AccountNumber: 'PART-1' },
        { Name: 'Partial too long', AccountNumber: `PART-${'x'.repeat(40)}` },
        { AccountNumber: 'PART-3' },
      ])) as SaveResult[];
      expect(results[0]).toMatchObject({ success: true });
      expect(results[1]).toEqual({
        success: false,
        errors: [{ statusCode: 'STRING_TOO_LONG', message: expect.stringContaining('max length=40') as unknown, fields: ['AccountNumber'] }],
      });
      expect(results[2]).toEqual({
        success: false,
        errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] }],
      });
      expect(results[1]?.errors[0]).not.toHaveProperty('errorCode');
      expect((await accountsNumbered('PART-')).map((a) => a.Name)).toEqual(['Partial ok']);
    });

    it('rolls a whole collection back with allOrNone', async () => {
      const accounts = conn.sobject('Account');
      const created = (await accounts.create(
        [
          { Name: 'All or none 1', AccountNumber: 'AON-1' },
          { Name: 'All or none 2', AccountNumber: 'AON-2', Bogus__c: 1 },
          { Name: 'All or none 3', AccountNumber: 'AON-3' },
        ],
        { allOrNone: true },
      )) as SaveResult[];
      expect(created).toEqual([
        { success: false, errors: [ROLLED_BACK] },
        { success: false, errors: [{ statusCode: 'INVALID_FIELD', message: "No such column 'Bogus__c' on sobject of type Account", fields: [] }] },
        { success: false, errors: [ROLLED_BACK] },
      ]);
      expect(await accountsNumbered('AON-')).toEqual([]);

      const kept = await createAccount({ Name: 'Kept', AccountNumber: 'AON-KEEP', BillingCity: 'Turku' });
      const other = await createAccount({ Name: 'Other', AccountNumber: 'AON-OTHER', BillingCity: 'Tampere' });
      const updated = (await accounts.update(
        [
          { Id: kept, BillingCity: 'Helsinki' },
          { Id: other, AccountNumber: 'y'.repeat(41) },
        ],
        { allOrNone: true },
      )) as SaveResult[];
      expect(updated[0]).toEqual({ id: kept, success: false, errors: [ROLLED_BACK] });
      expect(updated[1]?.errors[0]?.statusCode).toBe('STRING_TOO_LONG');
      expect((await accountsNumbered('AON-')).map((a) => a.BillingCity)).toEqual(['Turku', 'Tampere']);

      const destroyed = (await accounts.destroy([kept, UNKNOWN_ACCOUNT], { allOrNone: true })) as SaveResult[];
      expect(destroyed[0]).toMatchObject({ success: false, errors: [ROLLED_BACK] });
      expect(destroyed[1]).toMatchObject({ success: false });
      expect(await accountsNumbered('AON-KEEP')).toHaveLength(1);
    });

    it('refuses malformed and foreign ids with MALFORMED_ID', async () => {
      expect(await failure(conn.sobject('Account').retrieve('not-an-id'))).toMatchObject({
        name: 'MALFORMED_ID',
        errorCode: 'MALFORMED_ID',
        data: { errorCode: 'MALFORMED_ID', message: 'Account ID: id value of incorrect type: not-an-id' },
      });
      const contactId = toId18('0035g00000AbCdE');
      expect(await failure(conn.sobject('Account').update({ Id: contactId, Name: 'x' }))).toMatchObject({ errorCode: 'MALFORMED_ID' });
      expect(await failure(conn.sobject('Contact').create({ LastName: 'Nobody', AccountId: 'bogus' }))).toMatchObject({
        errorCode: 'MALFORMED_ID',
        data: { fields: ['AccountId'] },
      });
    });

    it('answers an unknown record with NOT_FOUND', async () => {
      const notFound = await failure(conn.sobject('Account').retrieve(UNKNOWN_ACCOUNT));
      expect(notFound).toEqual({
        name: 'NOT_FOUND',
        errorCode: 'NOT_FOUND',
        message: 'The requested resource does not exist',
        data: { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
      });
      expect(await failure(conn.sobject('Account').update({ Id: UNKNOWN_ACCOUNT, Name: 'x' }))).toMatchObject({ errorCode: 'NOT_FOUND' });
      expect(await failure(conn.sobject('Account').destroy(UNKNOWN_ACCOUNT))).toMatchObject({ errorCode: 'NOT_FOUND' });
    });

    it('names unknown fields with INVALID_FIELD', async () => {
      expect(await failure(conn.sobject('Account').create({ Name: 'x', Bogus__c: 'y' }))).toMatchObject({
        errorCode: 'INVALID_FIELD',
        message: "No such column 'Bogus__c' on sobject of type Account",
      });
      expect(await failure(conn.sobject('Account').retrieve(accountId, { fields: ['Name', 'Nope'] }))).toMatchObject({
        errorCode: 'INVALID_FIELD',
        message: "No such column 'Nope' on sobject of type Account",
      });
    });

    it('lists every missing required field', async () => {
      const missing = await failure(conn.sobject('Opportunity').create({ Amount: 10 }));
      expect(missing).toEqual({
        name: 'REQUIRED_FIELD_MISSING',
        errorCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [Name, StageName, CloseDate]',
        data: { errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name, StageName, CloseDate]', fields: ['Name', 'StageName', 'CloseDate'] },
      });
      expect(await failure(conn.sobject('Account').update({ Id: accountId, Name: null }))).toMatchObject({
        errorCode: 'REQUIRED_FIELD_MISSING',
        data: { fields: ['Name'] },
      });
    });

    it('refuses text over the field length with STRING_TOO_LONG', async () => {
      const tooLong = await failure(conn.sobject('Account').create({ Name: 'x', AccountNumber: 'n'.repeat(41) }));
      expect(tooLong).toMatchObject({ errorCode: 'STRING_TOO_LONG', data: { fields: ['AccountNumber'] } });
      expect(tooLong.message).toContain('max length=40');
      expect((await conn.sobject('Account').create({ Name: 'Exactly forty', AccountNumber: 'n'.repeat(40) })) as SaveResult).toMatchObject({ success: true });
    });

    it('refuses writes to read-only fields with INVALID_FIELD_FOR_INSERT_UPDATE', async () => {
      const onCreate = await failure(conn.sobject('Account').create({ Name: 'x', CreatedDate: '2020-01-01T00:00:00.000Z' }));
      expect(onCreate).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', data: { fields: ['CreatedDate'] } });
      expect(onCreate.message).toMatch(/^Unable to create\/update fields: CreatedDate\./);
      const caseId = ((await conn.sobject('Case').create({ Subject: 'Read-only number' })) as SaveResult).id ?? '';
      expect(await failure(conn.sobject('Case').update({ Id: caseId, CaseNumber: '99999999' }))).toMatchObject({
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        data: { fields: ['CaseNumber'] },
      });
    });
  });

  describe('queries', () => {
    it('pages through nextRecordsUrl, by hand and with autoFetch', async () => {
      await conn.sobject('Account').create(Array.from({ length: 8 }, (_, i) => ({ Name: `Page ${i}`, AccountNumber: `PAGE-${i}` })));
      await admin.settings({ queryPageSize: 3 });
      const soql = "SELECT Id, Name FROM Account WHERE AccountNumber LIKE 'PAGE-%' ORDER BY AccountNumber";

      const first = await conn.query<{ Name: string }>(soql);
      expect(first).toMatchObject({ totalSize: 8, done: false });
      expect(first.records.map((r) => r.Name)).toEqual(['Page 0', 'Page 1', 'Page 2']);
      const page = await conn.request<{ nextRecordsUrl: string }>(`${DATA}/query?q=${encodeURIComponent(soql)}`);
      expect(page.nextRecordsUrl).toMatch(new RegExp(`^${DATA}/query/01g[A-Za-z0-9]{15}-3$`));
      expect(first.nextRecordsUrl).toMatch(/\/query\/01g[A-Za-z0-9]{15}-3$/);
      const second = await conn.queryMore<{ Name: string }>(first.nextRecordsUrl ?? '');
      expect(second).toMatchObject({ totalSize: 8, done: false });
      expect(second.records.map((r) => r.Name)).toEqual(['Page 3', 'Page 4', 'Page 5']);
      const last = await conn.queryMore<{ Name: string }>(second.nextRecordsUrl ?? '');
      expect(last).toMatchObject({ totalSize: 8, done: true });
      expect(last.nextRecordsUrl).toBeUndefined();
      expect(last.records.map((r) => r.Name)).toEqual(['Page 6', 'Page 7']);

      const before = await apiCalls();
      const all = await conn.query<{ Name: string }>(soql, { autoFetch: true, maxFetch: 100 });
      expect(all).toMatchObject({ totalSize: 8, done: true });
      expect(all.records.map((r) => r.Name)).toEqual(Array.from({ length: 8 }, (_, i) => `Page ${i}`));
      expect(await apiCalls()).toBe(before + 3);

      expect(await failure(conn.queryMore('01gNoSuchLocator0-3'))).toMatchObject({ errorCode: 'INVALID_QUERY_LOCATOR' });
    });

    it('honours Sforce-Query-Options: batchSize', async () => {
      await conn.sobject('Account').create(Array.from({ length: 200 }, (_, i) => ({ Name: `Batch ${i}`, AccountNumber: `BATCH-${String(i).padStart(3, '0')}` })));
      await conn.sobject('Account').create(Array.from({ length: 50 }, (_, i) => ({ Name: `Batch ${200 + i}`, AccountNumber: `BATCH-${200 + i}` })));
      const soql = "SELECT Id FROM Account WHERE AccountNumber LIKE 'BATCH-%'";
      const whole = await conn.query(soql);
      expect(whole).toMatchObject({ totalSize: 250, done: true });
      expect(whole.records).toHaveLength(250);

      const headers = { 'Sforce-Query-Options': 'batchSize=200' };
      const batch = await conn.query(soql, { headers });
      expect(batch).toMatchObject({ totalSize: 250, done: false });
      expect(batch.records).toHaveLength(200);
      const fetched = await conn.query(soql, { headers, autoFetch: true });
      expect(fetched.records).toHaveLength(250);
    });

    it('refuses bad SOQL with MALFORMED_QUERY and unknown fields with INVALID_FIELD', async () => {
      expect(await failure(conn.query('SELECT FROM Account'))).toMatchObject({ name: 'MALFORMED_QUERY', errorCode: 'MALFORMED_QUERY' });
      expect(await failure(conn.query('SELECT Id FROM Account WHERE'))).toMatchObject({ errorCode: 'MALFORMED_QUERY' });
      const invalid = await failure(conn.query('SELECT Id, Nope__c FROM Account'));
      expect(invalid).toMatchObject({ errorCode: 'INVALID_FIELD' });
      expect(invalid.message).toContain("No such column 'Nope__c' on entity 'Account'");
      expect(await failure(conn.query('SELECT Id FROM NoSuchObject'))).toMatchObject({ errorCode: 'INVALID_TYPE' });
    });

    it('applies the ContentDocumentLink filter restriction', async () => {
      for (const soql of [
        'SELECT Id FROM ContentDocumentLink',
        `SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId NOT IN ('${accountId}')`,
        "SELECT Id FROM ContentDocumentLink WHERE ShareType = 'V'",
      ]) {
        expect(await failure(conn.query(soql))).toMatchObject({ errorCode: 'MALFORMED_QUERY', message: CDL_RESTRICTION });
      }
      expect((await conn.query(`SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '${accountId}'`)).done).toBe(true);
      expect((await conn.query(`SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId IN ('${accountId}', '${UNKNOWN_ACCOUNT}')`)).done).toBe(true);
    });
  });

  describe('composite', () => {
    const composite = (allOrNone: boolean, compositeRequest: ReadonlyArray<Record<string, unknown>>): Promise<{ compositeResponse: SubResponse[] }> =>
      conn.requestPost<{ compositeResponse: SubResponse[] }>(`${DATA}/composite`, { allOrNone, compositeRequest });

    it('resolves @{ref} references between subrequests, as one API call', async () => {
      const before = await apiCalls();
      const { compositeResponse } = await composite(false, [
        { method: 'POST', url: `${DATA}/sobjects/Account`, referenceId: 'acct', body: { Name: 'Composite Co', AccountNumber: 'COMP-1' } },
        { method: 'POST', url: `${DATA}/sobjects/Contact`, referenceId: 'contact', body: { LastName: 'Lindqvist', AccountId: '@{acct.id}' } },
        { method: 'GET', url: `${DATA}/sobjects/Contact/@{contact.id}?fields=LastName,AccountId`, referenceId: 'read' },
        { method: 'GET', url: `${DATA}/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE AccountNumber = 'COMP-1'")}`, referenceId: 'found' },
        { method: 'PATCH', url: `${DATA}/sobjects/Account/@{found.records[0].Id}`, referenceId: 'rename', body: { Name: 'Composite Company' } },
      ]);
      expect(await apiCalls()).toBe(before + 1);
      expect(conn.limitInfo.apiUsage?.used).toBe(before + 1);

      expect(compositeResponse.map((r) => [r.referenceId, r.httpStatusCode])).toEqual([
        ['acct', 201],
        ['contact', 201],
        ['read', 200],
        ['found', 200],
        ['rename', 204],
      ]);
      const acctId = (compositeResponse[0]?.body as SaveResult).id;
      expect(compositeResponse[2]?.body).toMatchObject({ LastName: 'Lindqvist', AccountId: acctId });
      expect(((await conn.sobject('Account').retrieve(acctId ?? '')) as unknown as AccountRecord).Name).toBe('Composite Company');
    });

    it('halts and rolls back everything with allOrNone', async () => {
      const { compositeResponse } = await composite(true, [
        { method: 'POST', url: `${DATA}/sobjects/Account`, referenceId: 'first', body: { Name: 'Halted 1', AccountNumber: 'HALT-1' } },
        { method: 'POST', url: `${DATA}/sobjects/Account`, referenceId: 'broken', body: { AccountNumber: 'HALT-2' } },
        { method: 'POST', url: `${DATA}/sobjects/Account`, referenceId: 'third', body: { Name: 'Halted 3', AccountNumber: 'HALT-3' } },
      ]);
      expect(compositeResponse).toEqual([
        { body: [HALTED], httpHeaders: {}, httpStatusCode: 400, referenceId: 'first' },
        {
          body: [{ errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] }],
          httpHeaders: {},
          httpStatusCode: 400,
          referenceId: 'broken',
        },
        { body: [HALTED], httpHeaders: {}, httpStatusCode: 400, referenceId: 'third' },
      ]);
      expect(await accountsNumbered('HALT-')).toEqual([]);
    });

    it('skips only the subrequests that depend on a failure without allOrNone', async () => {
      const { compositeResponse } = await composite(false, [
        { method: 'POST', url: `${DATA}/sobjects/Account`, referenceId: 'broken', body: { AccountNumber: 'DEP-1' } },
        { method: 'POST', url: `${DATA}/sobjects/Contact`, referenceId: 'dependent', body: { LastName: 'Orphan', AccountId: '@{broken.id}' } },
        { method: 'POST', url: `${DATA}/sobjects/Account`, referenceId: 'independent', body: { Name: 'Independent', AccountNumber: 'DEP-3' } },
      ]);
      expect(compositeResponse.map((r) => r.httpStatusCode)).toEqual([400, 400, 201]);
      expect(compositeResponse[1]?.body).toEqual([expect.objectContaining({ errorCode: 'PROCESSING_HALTED' })]);
      expect((await accountsNumbered('DEP-')).map((a) => a.Name)).toEqual(['Independent']);
    });

    it('refuses a blob download inside Composite', async () => {
      const id = await uploadBase64(Buffer.from('not through composite'));
      const { compositeResponse } = await composite(false, [
        { method: 'GET', url: `${DATA}/sobjects/ContentVersion/${id}/VersionData`, referenceId: 'blob' },
        { method: 'GET', url: `${DATA}/sobjects/ContentVersion/${id}?fields=Title`, referenceId: 'meta' },
      ]);
      expect(compositeResponse[0]).toMatchObject({ httpStatusCode: 400, body: [expect.objectContaining({ errorCode: expect.any(String) as unknown })] });
      expect(compositeResponse[1]).toMatchObject({ httpStatusCode: 200, body: { Title: 'Report' } });
    });
  });

  describe('files', () => {
    it('stores identical bytes from base64, jsforce multipart and documentation-order multipart', async () => {
      const bytes = randomBytes(256 * 1024);
      const fields = { Title: 'Quarterly report', FirstPublishLocationId: accountId };
      const fromBase64 = await uploadBase64(bytes, fields);
      const fromJsforce = await uploadMultipart(bytes, fields);

      const documented = buildMultipartBody({
        entity: { PathOnClient: 'Report.pdf', ...fields },
        blobField: 'VersionData',
        fileName: 'Report.pdf',
        contentType: 'application/pdf',
        data: Readable.from([bytes]),
        size: bytes.length,
      });
      const answer = await postMultipart(documented);
      expect(answer).toEqual({ status: 201, json: { id: expect.stringMatching(/^068/) as unknown, success: true, errors: [] } });
      expect(documented.md5()).toBe(md5(bytes));
      const fromDocumented = (answer.json as SaveResult).id ?? '';

      for (const id of [fromBase64, fromJsforce, fromDocumented]) {
        const v = await version(id);
        expect(v).toMatchObject({
          Title: 'Quarterly report',
          ContentSize: bytes.length,
          Checksum: md5(bytes),
          FileExtension: 'pdf',
          FileType: 'PDF',
          VersionNumber: '1',
          IsLatest: true,
          VersionData: `${DATA}/sobjects/ContentVersion/${id}/VersionData`,
        });
        const links = await conn.query<LinkRecord>(`SELECT LinkedEntityId, ShareType, Visibility FROM ContentDocumentLink WHERE ContentDocumentId = '${v.ContentDocumentId}'`);
        expect(links.records.map((l) => [l.LinkedEntityId, l.ShareType, l.Visibility]).sort()).toEqual(
          [
            [accountId, 'V', 'AllUsers'],
            [sandbox.context.defaultUser.id, 'I', 'AllUsers'],
          ].sort(),
        );
        expect((await readStream(conn.sobject('ContentVersion').record(id).blob('VersionData'))).equals(bytes)).toBe(true);
      }
      const byChecksum = await conn.query(`SELECT Id FROM ContentVersion WHERE Checksum = '${md5(bytes)}' AND FirstPublishLocationId = '${accountId}'`);
      expect(byChecksum.totalSize).toBe(3);
    });

    it('adds a version through ContentDocumentId and moves the document to it', async () => {
      const first = await uploadBase64(Buffer.from('version one'), { FirstPublishLocationId: accountId });
      const documentId = (await version(first)).ContentDocumentId;
      const next = Buffer.from('version two, corrected');
      const second = await uploadMultipart(next, { ContentDocumentId: documentId, ReasonForChange: 'Corrected totals' });

      expect(await version(second)).toMatchObject({ ContentDocumentId: documentId, VersionNumber: '2', IsLatest: true, ReasonForChange: 'Corrected totals', Checksum: md5(next) });
      expect(await version(first)).toMatchObject({ VersionNumber: '1', IsLatest: false });
      const document = (await conn.sobject('ContentDocument').retrieve(documentId)) as unknown as DocumentRecord;
      expect(document).toMatchObject({ LatestPublishedVersionId: second, ContentSize: next.length });
      const history = await conn.query<{ VersionNumber: string; IsLatest: boolean }>(
        `SELECT VersionNumber, IsLatest FROM ContentVersion WHERE ContentDocumentId = '${documentId}' ORDER BY VersionNumber`,
      );
      expect(history.records.map((r) => [r.VersionNumber, r.IsLatest])).toEqual([
        ['1', false],
        ['2', true],
      ]);
      expect(await failure(uploadBase64(Buffer.from('x'), { ContentDocumentId: toId18('0695g00000ZZZZZ') }))).toMatchObject({
        errorCode: 'INVALID_CROSS_REFERENCE_KEY',
      });
    });

    it('streams bytes back and honours a Range', async () => {
      const bytes = randomBytes(64 * 1024);
      const id = await uploadBase64(bytes);
      expect((await readStream(conn.sobject('ContentVersion').record(id).blob('VersionData'))).equals(bytes)).toBe(true);

      const path = `${DATA}/sobjects/ContentVersion/${id}/VersionData`;
      const whole = await raw(path);
      expect(whole.status).toBe(200);
      expect(whole.headers.get('content-length')).toBe(String(bytes.length));
      expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);

      const part = await raw(path, { headers: { Range: 'bytes=1000-1999' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${bytes.length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true);
      const rest = await raw(path, { headers: { Range: `bytes=${bytes.length - 10}-` } });
      expect(rest.status).toBe(206);
      expect(Buffer.from(await rest.arrayBuffer()).equals(bytes.subarray(bytes.length - 10))).toBe(true);
      expect((await raw(path, { headers: { Range: `bytes=${bytes.length}-` } })).status).toBe(416);
    });

    it('refuses to delete a ContentVersion with 405', async () => {
      const id = await uploadBase64(Buffer.from('keep me'));
      const refused = await failure(conn.sobject('ContentVersion').destroy(id));
      expect(refused).toMatchObject({ errorCode: 'METHOD_NOT_ALLOWED', message: "HTTP Method 'DELETE' not allowed. Allowed are HEAD,GET,PATCH" });
      expect((await raw(`${DATA}/sobjects/ContentVersion/${id}`, { method: 'DELETE' })).status).toBe(405);
      expect((await version(id)).Id).toBe(id);
    });

    it('deletes a document with all its versions, bodies and links', async () => {
      const first = await uploadBase64(Buffer.from('to be deleted, one'), { FirstPublishLocationId: accountId });
      const documentId = (await version(first)).ContentDocumentId;
      const second = await uploadBase64(Buffer.from('to be deleted, two'), { ContentDocumentId: documentId });
      const storedBefore = (await admin.state()).fileStorageBytes;

      expect(await conn.sobject('ContentDocument').destroy(documentId)).toEqual({ id: documentId, success: true, errors: [] });
      expect((await conn.query(`SELECT Id FROM ContentVersion WHERE ContentDocumentId = '${documentId}'`)).totalSize).toBe(0);
      expect((await conn.query(`SELECT Id FROM ContentDocumentLink WHERE ContentDocumentId = '${documentId}'`)).totalSize).toBe(0);
      expect(await failure(conn.sobject('ContentDocument').retrieve(documentId))).toMatchObject({ errorCode: 'NOT_FOUND' });
      for (const id of [first, second]) {
        expect(await failure(version(id))).toMatchObject({ errorCode: 'NOT_FOUND' });
        expect((await raw(`${DATA}/sobjects/ContentVersion/${id}/VersionData`)).status).toBe(404);
      }
      expect((await admin.state()).fileStorageBytes).toBe(storedBefore - 'to be deleted, one'.length - 'to be deleted, two'.length);
    });

    it('refuses a second link between the same document and record with DUPLICATE_VALUE', async () => {
      const id = await uploadBase64(Buffer.from('linked'), { FirstPublishLocationId: accountId });
      const documentId = (await version(id)).ContentDocumentId;
      const links = conn.sobject('ContentDocumentLink');
      const duplicate = await failure(links.create({ ContentDocumentId: documentId, LinkedEntityId: accountId, ShareType: 'V' }));
      expect(duplicate).toMatchObject({ errorCode: 'DUPLICATE_VALUE' });
      expect(duplicate.message).toMatch(/^duplicate value found: /);

      const otherAccount = await createAccount({ Name: 'Second home', AccountNumber: 'LINK-2' });
      expect((await links.create({ ContentDocumentId: documentId, LinkedEntityId: otherAccount, ShareType: 'C', Visibility: 'InternalUsers' })) as SaveResult).toMatchObject({
        success: true,
      });
      const linked = await conn.query<LinkRecord>(`SELECT LinkedEntityId, ShareType, Visibility FROM ContentDocumentLink WHERE LinkedEntityId = '${otherAccount}'`);
      expect(linked.records.map((l) => [l.ShareType, l.Visibility])).toEqual([['C', 'InternalUsers']]);
    });

    it('refuses a FirstPublishLocationId that points nowhere, storing nothing', async () => {
      const before = await admin.state();
      const bytes = Buffer.from('nowhere to go');
      for (const upload of [uploadBase64, uploadMultipart]) {
        const refused = await failure(upload(bytes, { FirstPublishLocationId: UNKNOWN_ACCOUNT }));
        expect(['INVALID_CROSS_REFERENCE_KEY', 'FIELD_INTEGRITY_EXCEPTION']).toContain(refused.errorCode);
        expect(refused.data).toMatchObject({ fields: ['FirstPublishLocationId'] });
      }
      const after = await admin.state();
      expect(after.records).toEqual(before.records);
      expect(after.fileStorageBytes).toBe(before.fileStorageBytes);
    });

    it('refuses a JSON body over 52,428,800 bytes with JSON_PARSER_ERROR', async () => {
      const before = await admin.state();
      // 39.4 MB of bytes is 52.5 MB of base64: just over the limit of a non-multipart request.
      const bytes = Buffer.alloc(39_400_000, 7);
      const refused = await failure(uploadBase64(bytes));
      expect(refused).toMatchObject({
        errorCode: 'JSON_PARSER_ERROR',
        message: 'Maximum size of request reached. Maximum size of request is 52428800 bytes.',
      });
      expect((await admin.state()).records).toEqual(before.records);
    });

    it('refuses an upload beyond the file storage allocation with STORAGE_LIMIT_EXCEEDED', async () => {
      const used = (await admin.state()).fileStorageBytes;
      await admin.settings({ fileStorageMb: (used + 1000) / MB });
      const refused = await failure(uploadBase64(randomBytes(1001)));
      expect(refused).toMatchObject({ errorCode: 'STORAGE_LIMIT_EXCEEDED' });
      expect(await failure(uploadMultipart(randomBytes(1001)))).toMatchObject({ errorCode: 'STORAGE_LIMIT_EXCEEDED' });
      expect((await admin.state()).fileStorageBytes).toBe(used);

      await uploadBase64(randomBytes(1000));
      expect((await conn.limits()).FileStorageMB?.Remaining).toBe(0);
    });
  });

  describe('limits and faults', () => {
    it('refuses calls past the daily allocation with 403 REQUEST_LIMIT_EXCEEDED and the usage header', async () => {
      const used = await apiCalls();
      await admin.settings({ dailyApiLimit: used + 1 });
      await conn.sobject('Account').retrieve(accountId);
      expect(conn.limitInfo.apiUsage).toEqual({ used: used + 1, limit: used + 1 });

      expect(await failure(conn.sobject('Account').retrieve(accountId))).toMatchObject({
        name: 'REQUEST_LIMIT_EXCEEDED',
        errorCode: 'REQUEST_LIMIT_EXCEEDED',
        message: 'TotalRequests Limit exceeded.',
      });
      const res = await raw(`${DATA}/limits`);
      expect(res.status).toBe(403);
      expect(res.headers.get('sforce-limit-info')).toBe(`api-usage=${used + 1}/${used + 1}`);
      expect(await res.json()).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
      expect((await fetch(`${sandbox.url}/services/data/`)).status).toBe(200);
    });

    it('refuses a request while the long-running slots are full', async () => {
      await admin.settings({ longRunningLimit: 1, longRunningAfterMs: 50 });
      await admin.fault({ method: 'GET', path: `${DATA}/limits$`, delayMs: 1000 });
      const held = conn.limits();
      try {
        await sleep(300);
        expect(await failure(connect().sobject('Account').retrieve(accountId))).toMatchObject({
          errorCode: 'REQUEST_LIMIT_EXCEEDED',
          message: 'ConcurrentRequests (Concurrent API Requests) Limit exceeded.',
        });
      } finally {
        expect((await held).DailyApiRequests).toBeDefined();
      }
      expect(((await conn.sobject('Account').retrieve(accountId)) as unknown as AccountRecord).Id).toBe(accountId);
    });

    it('lets jsforce retry a GET through two injected 503s', async () => {
      const path = `${DATA}/sobjects/Account/${accountId}`;
      await admin.fault({ method: 'GET', path: `${path}$`, status: 503, times: 2 });
      // Every request reaches the fault check first, the injected failures included.
      const arrivals = vi.spyOn(sandbox.faults, 'take');
      onTestFinished(() => arrivals.mockRestore());
      const arrived = (): number => arrivals.mock.calls.filter((call) => call[0] === 'GET' && call[1] === path).length;
      const handledBefore = requestsTo(REST_GET);
      const countedBefore = await apiCalls();
      const started = Date.now();
      const record = (await conn.sobject('Account').retrieve(accountId)) as unknown as AccountRecord;
      const elapsed = Date.now() - started;
      expect(record.Id).toBe(accountId);
      // Two failures, each followed by jsforce's backoff (0.5 s, then 1 s), then the answer.
      expect(arrived()).toBe(3);
      expect(elapsed).toBeGreaterThanOrEqual(1450);
      // Injected failures are answered before routing and counting: only the request that got through shows.
      expect(requestsTo(REST_GET)).toBe(handledBefore + 1);
      expect(await apiCalls()).toBe(countedBefore + 1);

      // The fault is spent: the next call is answered at the first attempt.
      await conn.sobject('Account').retrieve(accountId);
      expect(arrived()).toBe(4);
      expect(requestsTo(REST_GET)).toBe(handledBefore + 2);
    });

    it('answers late with an injected delay', async () => {
      await admin.fault({ method: 'GET', path: `${DATA}/sobjects/Account/${accountId}$`, delayMs: 400 });
      const started = Date.now();
      await conn.sobject('Account').retrieve(accountId);
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    });

    it('does not retry a POST', async () => {
      await admin.fault({ method: 'POST', path: `${DATA}/sobjects/Account$`, status: 503, times: 2 });
      const first = await failure(conn.sobject('Account').create({ Name: 'Retried?', AccountNumber: 'POST-1' }));
      expect(first).toMatchObject({ errorCode: 'SERVER_UNAVAILABLE', message: 'Injected failure' });
      // The second use of the fault is still there: jsforce did not spend it on a retry.
      expect(await failure(conn.sobject('Account').create({ Name: 'Retried?', AccountNumber: 'POST-2' }))).toMatchObject({ errorCode: 'SERVER_UNAVAILABLE' });
      await createAccount({ Name: 'Retried?', AccountNumber: 'POST-3' });
      expect((await accountsNumbered('POST-')).map((a) => a.AccountNumber)).toEqual(['POST-3']);
    });

    it('refreshes an expired session once and replays the call', async () => {
      const oauth2 = new OAuth2({ clientId: DESKTOP_CLIENT_ID, redirectUri: 'http://localhost:53682/callback', loginUrl: sandbox.url, useVerifier: true });
      const authorize = await fetch(oauth2.getAuthorizationUrl({ scope: 'api refresh_token', state: 'st4te' }), { redirect: 'manual' });
      expect(authorize.status).toBe(302);
      const back = new URL(authorize.headers.get('location') ?? '').searchParams;
      expect(back.get('state')).toBe('st4te');
      const tokens = await oauth2.requestToken(back.get('code') ?? '');
      expect(tokens.refresh_token).toMatch(/^5Aep/);

      const session = new Connection({
        oauth2: { clientId: DESKTOP_CLIENT_ID, loginUrl: sandbox.url },
        instanceUrl: tokens.instance_url,
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        version: V,
      });
      const refreshed: string[] = [];
      session.on('refresh', (accessToken: string) => refreshed.push(accessToken));
      expect(((await session.sobject('Account').retrieve(accountId)) as unknown as AccountRecord).Id).toBe(accountId);

      await admin.expireTokens();
      const stale = new Connection({ instanceUrl: sandbox.url, accessToken: tokens.access_token, version: V });
      token = sandbox.oauth.issueAccessToken(sandbox.context.defaultUser.username);
      conn = connect();
      const tokenRequests = requestsTo(TOKEN_POST);
      const record = (await session.sobject('Account').retrieve(accountId)) as unknown as AccountRecord;
      expect(record.Id).toBe(accountId);
      expect(refreshed).toEqual([session.accessToken]);
      expect(session.accessToken).not.toBe(tokens.access_token);
      expect(requestsTo(TOKEN_POST)).toBe(tokenRequests + 1);

      await session.sobject('Account').retrieve(accountId);
      expect(refreshed).toHaveLength(1);
      expect(await failure(stale.limits())).toMatchObject({ name: 'INVALID_SESSION_ID', message: 'Session expired or invalid' });
    });
  });
});

describe('REST API sandbox persistence', () => {
  it('keeps records and file bytes across a restart on the same folder', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ferry-rest-persist-'));
    try {
      const bytes = randomBytes(200 * 1024);
      let accountId: string;
      let versionId: string;
      const first = await startTestOrg({ seed: 'empty', dataDir });
      try {
        const conn = new Connection({
          instanceUrl: first.sandbox.url,
          accessToken: first.sandbox.oauth.issueAccessToken(first.sandbox.context.defaultUser.username),
          version: V,
        });
        accountId = ((await conn.sobject('Account').create({ Name: 'Persistent Parts', AccountNumber: 'KEEP-1' })) as SaveResult).id ?? '';
        versionId =
          (
            (await conn
              .sobject('ContentVersion')
              .create(
                { PathOnClient: 'Kept.bin', VersionData: bytes.toString('base64'), FirstPublishLocationId: accountId },
                { multipartFileFields: { VersionData: { contentType: 'application/octet-stream', filename: 'Kept.bin' } } },
              )) as SaveResult
          ).id ?? '';
      } finally {
        await first.close();
      }

      const second = await startTestOrg({ seed: 'empty', dataDir });
      try {
        const conn = new Connection({
          instanceUrl: second.sandbox.url,
          accessToken: second.sandbox.oauth.issueAccessToken(second.sandbox.context.defaultUser.username),
          version: V,
        });
        expect(((await conn.sobject('Account').retrieve(accountId)) as unknown as AccountRecord).Name).toBe('Persistent Parts');
        const files = await conn.query<{ Id: string; Checksum: string; ContentSize: number }>(
          `SELECT Id, Checksum, ContentSize FROM ContentVersion WHERE FirstPublishLocationId = '${accountId}'`,
        );
        expect(files.records).toEqual([expect.objectContaining({ Id: versionId, Checksum: md5(bytes), ContentSize: bytes.length })]);
        expect((await readStream(conn.sobject('ContentVersion').record(versionId).blob('VersionData'))).equals(bytes)).toBe(true);
        expect((await second.admin.state()).records).toEqual({ ContentVersion: 1, ContentDocument: 1 });
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
