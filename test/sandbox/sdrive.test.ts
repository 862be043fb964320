import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@jsforce/jsforce-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toId18 } from '../../src/sandbox/ids.js';
import { encodePolicy, type PostPolicy } from '../../src/sandbox/sdrive/policy.js';
import { BUCKET_NAME } from '../../src/sandbox/sdrive/s3.js';
import { amzDate, credentialOf, presignedGetUrl, s3Keys, sign } from '../../src/sandbox/sdrive/signing.js';
import { DEMO_ACCOUNT_NUMBERS, DEMO_SDRIVE } from '../../src/sandbox/seed/demo.js';
import { demoPriceList } from '../../src/sandbox/seed/sdriveDemo.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';

// jsforce reads the proxy variables when it loads; vi.hoisted runs before the imports above.
vi.hoisted(() => {
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete process.env[name];
});

const RESOURCE = '/services/apexrest/cg/SDrive/files';
const ACCOUNT_FILE = 'cg__AccountFile__c';
const UNKNOWN_ACCOUNT = toId18('0015g00000ZZZZZ');
const UNKNOWN_FILE = toId18('a035g00000ZZZZZ');

interface UploadRequestInfo {
  readonly fileName: string;
  readonly fileLocation: string;
  readonly fileSize: string;
  readonly fileType: string;
  readonly wipFileId: string;
  readonly signature: string;
  readonly policy: string;
  readonly timeStamp: string;
  readonly awsRegion: string;
  readonly awsCredential: string;
  readonly metadataHeaders: Record<string, string>;
  readonly s3EncryptionType: string;
  readonly uploadUrl: string;
}

interface ResultObject {
  readonly id: string;
  readonly success: boolean;
  readonly message?: string;
}

interface AccountFile {
  readonly Id: string;
  readonly cg__File_Name__c: string;
  readonly cg__WIP__c: boolean;
  readonly cg__File_Size_in_Bytes__c: number | null;
  readonly cg__Version_Id__c: string | null;
  readonly cg__Key__c: string | null;
  readonly cg__Parent_Folder_Id__c: string | null;
  readonly cg__Content_Type__c: string;
}

interface FileSpec {
  readonly fileName: string;
  readonly size?: number;
  readonly folderId?: string;
  readonly mime?: string;
}

let sandbox: Sandbox;
let conn: Connection;
let token: string;
let accountId: string;

const md5 = (bytes: Buffer | Uint8Array): string => createHash('md5').update(bytes).digest('hex');

function properties(files: ReadonlyArray<FileSpec>, relationshipFieldName = 'cg__Account__c'): object[] {
  return files.map((f) => ({
    fileName: f.fileName,
    fileLocation: f.folderId ?? '',
    description: `Uploaded by the S-Drive test: ${f.fileName}`,
    relationshipFieldName,
    fileType: f.mime ?? 'application/octet-stream',
    fileSizeInBytes: f.size === undefined ? '' : String(f.size),
  }));
}

/** The resource over plain fetch, for the statuses jsforce would turn into exceptions. */
async function apex(method: string, query: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${sandbox.url}${RESOURCE}${query}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

async function initialize(files: ReadonlyArray<FileSpec>, parentId = accountId, fileType = ACCOUNT_FILE): Promise<UploadRequestInfo[]> {
  const relationship = fileType === ACCOUNT_FILE ? 'cg__Account__c' : 'Parent__c';
  const answer = await conn.apex.post<{ uploadRequestInfo: UploadRequestInfo[] }>(RESOURCE.replace('/services/apexrest', ''), {
    objectId: parentId,
    fileType,
    fileProperties: properties(files, relationship),
  });
  return answer.uploadRequestInfo;
}

type Field = readonly [string, string];

/** The form fields the vendor's documentation maps from one uploadRequestInfo entry. */
function formFields(info: UploadRequestInfo): Field[] {
  return [
    ['key', info.fileLocation],
    ['Content-Type', info.fileType],
    ['Content-Disposition', `attachment; filename="${info.fileName}"`],
    ['x-amz-server-side-encryption', info.s3EncryptionType],
    ['x-amz-algorithm', 'AWS4-HMAC-SHA256'],
    ['x-amz-credential', info.awsCredential],
    ['x-amz-date', info.timeStamp],
    ['policy', info.policy],
    ['x-amz-signature', info.signature],
  ];
}

/** A multipart/form-data body built by hand, so that the order of the parts is exactly as given. */
function multipart(before: ReadonlyArray<Field>, file: Buffer, after: ReadonlyArray<Field> = []): { body: Buffer; type: string } {
  const boundary = `----ferry-test-${randomBytes(8).toString('hex')}`;
  const field = ([name, value]: Field): string => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const body = Buffer.concat([
    Buffer.from(before.map(field).join('')),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="upload.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file,
    Buffer.from(`\r\n${after.map(field).join('')}--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

async function postToS3(url: string, fields: ReadonlyArray<Field>, file: Buffer, after: ReadonlyArray<Field> = []): Promise<Response> {
  const { body, type } = multipart(fields, file, after);
  return fetch(url, { method: 'POST', headers: { 'Content-Type': type }, body: new Uint8Array(body) });
}

const upload = (info: UploadRequestInfo, file: Buffer): Promise<Response> => postToS3(info.uploadUrl, formFields(info), file);

async function complete(wipIds: ReadonlyArray<string>, versionIds?: ReadonlyArray<string>): Promise<ResultObject[]> {
  const body = versionIds === undefined ? { wipIds } : { wipIds, versionIds };
  const answer = await conn.apex.put<{ resultObjects: ResultObject[] }>('/cg/SDrive/files', body);
  return answer.resultObjects;
}

async function fileUrl(fileId: string, parentId = accountId, timeValue = 300): Promise<string> {
  const answer = await conn.apex.get<{ fileUrls: string[] }>(`/cg/SDrive/files?fileObjectId=${fileId}&parentId=${parentId}&timeValue=${timeValue}`);
  expect(answer.fileUrls).toHaveLength(1);
  return answer.fileUrls[0] ?? '';
}

async function accountFile(id: string): Promise<AccountFile | undefined> {
  const result = await conn.query<AccountFile>(
    `SELECT Id, cg__File_Name__c, cg__WIP__c, cg__File_Size_in_Bytes__c, cg__Version_Id__c, cg__Key__c, cg__Parent_Folder_Id__c, cg__Content_Type__c FROM ${ACCOUNT_FILE} WHERE Id = '${id}'`,
  );
  return result.records[0];
}

function s3Code(xml: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
}

/** Initializes, uploads and completes one file; returns its record id. */
async function storeFile(spec: FileSpec, bytes: Buffer): Promise<string> {
  const [info] = await initialize([{ size: bytes.length, ...spec }]);
  if (info === undefined) throw new Error('initialize answered no file');
  expect((await upload(info, bytes)).status).toBe(204);
  expect(await complete([info.wipFileId])).toEqual([{ id: info.wipFileId, success: true }]);
  return info.wipFileId;
}

beforeAll(async () => {
  sandbox = await startSandbox({ sdrive: true, seed: 'demo' });
  token = sandbox.oauth.issueAccessToken(sandbox.context.defaultUser.username);
  conn = new Connection({ instanceUrl: sandbox.url, accessToken: token, version: '64.0' });
  const accounts = await conn.query<{ Id: string }>(`SELECT Id FROM Account WHERE AccountNumber = '${DEMO_SDRIVE.accountNumber}'`);
  accountId = accounts.records[0]?.Id ?? '';
});

afterAll(async () => {
  await sandbox.close();
});

describe('S-Drive upload round trip', () => {
  it('initializes, uploads to S3, completes and downloads the same bytes', async () => {
    const bytes = randomBytes(300_000);
    const [info] = await initialize([{ fileName: 'Delivery note 4711.pdf', size: bytes.length, mime: 'application/pdf' }]);
    if (info === undefined) throw new Error('no upload info');
    expect(info).toMatchObject({
      fileName: 'Delivery note 4711.pdf',
      fileSize: String(bytes.length),
      fileType: 'application/pdf',
      awsRegion: 'us-east-1',
      metadataHeaders: {},
      s3EncryptionType: 'AES256',
      uploadUrl: `${sandbox.url}/s3/${BUCKET_NAME}`,
    });
    expect(info.timeStamp).toMatch(/^\d{8}T\d{6}Z$/);
    expect(info.awsCredential).toMatch(new RegExp(`^AKIA[A-Z2-7]{16}/${info.timeStamp.slice(0, 8)}/us-east-1/s3/aws4_request$`));
    expect(info.fileLocation).toBe(`${accountId.slice(0, 15)}/${info.wipFileId.slice(0, 15)}/Delivery_note_4711.pdf`);
    const policy = JSON.parse(Buffer.from(info.policy, 'base64').toString('utf8')) as PostPolicy;
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: BUCKET_NAME },
        ['eq', '$key', info.fileLocation],
        { acl: 'private' },
        { 'x-amz-server-side-encryption': 'AES256' },
        ['content-length-range', 0, bytes.length],
        ['starts-with', '$Content-Type', ''],
      ]),
    );
    const expiresIn = Date.parse(policy.expiration) - Date.now();
    expect(expiresIn).toBeGreaterThan(14 * 60 * 1000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60 * 1000);

    const wip = await accountFile(info.wipFileId);
    expect(wip).toMatchObject({ cg__WIP__c: true, cg__File_Name__c: 'Delivery note 4711.pdf', cg__Key__c: info.fileLocation, cg__Content_Type__c: 'application/pdf' });

    const uploaded = await upload(info, bytes);
    expect(uploaded.status).toBe(204);
    expect(uploaded.headers.get('etag')).toBe(`"${md5(bytes)}"`);
    const versionId = uploaded.headers.get('x-amz-version-id') ?? '';
    expect(versionId).not.toBe('');
    expect(uploaded.headers.get('sforce-limit-info')).toBeNull();

    expect(await complete([info.wipFileId], [versionId])).toEqual([{ id: info.wipFileId, success: true }]);
    expect(await accountFile(info.wipFileId)).toMatchObject({ cg__WIP__c: false, cg__File_Size_in_Bytes__c: bytes.length, cg__Version_Id__c: versionId });

    const url = await fileUrl(info.wipFileId);
    expect(url.startsWith(`${sandbox.url}/s3/${BUCKET_NAME}/${info.fileLocation}?`)).toBe(true);
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-length')).toBe(String(bytes.length));
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('etag')).toBe(`"${md5(bytes)}"`);
    expect(md5(Buffer.from(await download.arrayBuffer()))).toBe(md5(bytes));

    const part = await fetch(url, { headers: { Range: 'bytes=1000-1999' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(1000, 2000));
    const tail = await fetch(url, { headers: { Range: `bytes=${bytes.length - 10}-` } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(bytes.subarray(bytes.length - 10));
    const beyond = await fetch(url, { headers: { Range: `bytes=${bytes.length}-` } });
    expect(beyond.status).toBe(416);
    await beyond.text();
  });

  it('uploads several files in one batch and completes them in one call', async () => {
    const a = Buffer.from('first file\n');
    const b = Buffer.from('second file, a little longer\n');
    const infos = await initialize([
      { fileName: 'batch-a.txt', size: a.length, mime: 'text/plain' },
      { fileName: 'batch-b.txt', size: b.length, mime: 'text/plain' },
    ]);
    expect(infos.map((i) => i.fileName)).toEqual(['batch-a.txt', 'batch-b.txt']);
    const [infoA, infoB] = infos;
    if (infoA === undefined || infoB === undefined) throw new Error('two files expected');
    expect((await upload(infoA, a)).status).toBe(204);
    expect((await upload(infoB, b)).status).toBe(204);
    const results = await complete([infoA.wipFileId, infoB.wipFileId]);
    expect(results.every((r) => r.success)).toBe(true);
    const links = await conn.apex.get<{ fileUrls: string[] }>(
      `/cg/SDrive/files?fileObjectId=${infoA.wipFileId},${infoB.wipFileId}&parentId=${accountId},${accountId}&timeValue=60`,
    );
    const bodies = await Promise.all(links.fileUrls.map(async (u) => (await fetch(u)).text()));
    expect(bodies).toEqual([a.toString(), b.toString()]);
  });

  it('accepts repeated query parameters and passes response overrides into the link', async () => {
    const id = await storeFile({ fileName: 'override.txt', mime: 'text/plain' }, Buffer.from('override me'));
    const answer = await apex(
      'GET',
      `?fileObjectId=${id}&parentId=${accountId}&timeValue=60&response-content-disposition=${encodeURIComponent('attachment; filename="x.txt"')}`,
    );
    expect(answer.status).toBe(200);
    const [url] = (answer.json as { fileUrls: string[] }).fileUrls;
    const res = await fetch(url ?? '');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="x.txt"');
    expect(await res.text()).toBe('override me');
    const repeated = await apex('GET', `?fileObjectId=${id}&fileObjectId=${id}&parentId=${accountId}&parentId=${accountId}`);
    expect((repeated.json as { fileUrls: string[] }).fileUrls).toHaveLength(2);
  });

  it('works the same on a custom file object whose fields carry no namespace', async () => {
    const orders = await conn.query<{ Id: string }>('SELECT Id FROM Order WHERE PoNumber = \'PO-2026-0001\'');
    const orderId = orders.records[0]?.Id ?? '';
    const bytes = Buffer.from('order confirmation');
    const [info] = await initialize([{ fileName: 'confirmation.txt', size: bytes.length, mime: 'text/plain' }], orderId, 'OrderFile__c');
    if (info === undefined) throw new Error('no upload info');
    expect((await upload(info, bytes)).status).toBe(204);
    expect(await complete([info.wipFileId])).toEqual([{ id: info.wipFileId, success: true }]);
    const rows = await conn.query<{ WIP__c: boolean; File_Size_in_Bytes__c: number; Parent__c: string }>(
      `SELECT WIP__c, File_Size_in_Bytes__c, Parent__c FROM OrderFile__c WHERE Id = '${info.wipFileId}'`,
    );
    expect(rows.records[0]).toMatchObject({ WIP__c: false, File_Size_in_Bytes__c: bytes.length, Parent__c: orderId });
    expect(await (await fetch(await fileUrl(info.wipFileId, orderId))).text()).toBe('order confirmation');
  });

  it('serves the seeded sample file', async () => {
    const rows = await conn.query<{ Id: string }>(`SELECT Id FROM ${ACCOUNT_FILE} WHERE cg__File_Name__c = '${DEMO_SDRIVE.file.name}'`);
    const id = rows.records[0]?.Id ?? '';
    const res = await fetch(await fileUrl(id));
    expect(res.headers.get('content-type')).toBe(DEMO_SDRIVE.file.contentType);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(demoPriceList());
  });

  it('replaces an object uploaded twice to the same key with a new version', async () => {
    const [info] = await initialize([{ fileName: 'twice.txt' }]);
    if (info === undefined) throw new Error('no upload info');
    const first = await upload(info, Buffer.from('first'));
    const second = await upload(info, Buffer.from('second'));
    expect(second.status).toBe(204);
    expect(second.headers.get('x-amz-version-id')).not.toBe(first.headers.get('x-amz-version-id'));
    expect(await complete([info.wipFileId])).toEqual([{ id: info.wipFileId, success: true }]);
    expect(await accountFile(info.wipFileId)).toMatchObject({ cg__File_Size_in_Bytes__c: 6, cg__Version_Id__c: second.headers.get('x-amz-version-id') });
    expect(await (await fetch(await fileUrl(info.wipFileId))).text()).toBe('second');
  });

  it('answers a repeated complete call with success and leaves the file as it was', async () => {
    const id = await storeFile({ fileName: 'complete-twice.txt' }, Buffer.from('once'));
    expect(await complete([id])).toEqual([{ id, success: true }]);
    expect(await accountFile(id)).toMatchObject({ cg__WIP__c: false, cg__File_Size_in_Bytes__c: 4 });
  });
});

describe('S3 refusals', () => {
  async function freshUpload(name: string, size = 5): Promise<UploadRequestInfo> {
    const [info] = await initialize([{ fileName: name, size }]);
    if (info === undefined) throw new Error('no upload info');
    return info;
  }

  const replace = (fields: ReadonlyArray<Field>, name: string, value: string): Field[] => fields.map(([n, v]) => [n, n === name ? value : v] as const);

  it('refuses an expired presigned link with 403 AccessDenied', async () => {
    const id = await storeFile({ fileName: 'expired-link.txt' }, Buffer.from('old'));
    const file = await accountFile(id);
    const url = presignedGetUrl(s3Keys(sandbox.context.store), {
      baseUrl: sandbox.url,
      bucket: BUCKET_NAME,
      key: file?.cg__Key__c ?? '',
      expiresSeconds: 60,
      issuedAt: new Date(Date.now() - 10 * 60 * 1000),
    });
    const res = await fetch(url);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/xml');
    const xml = await res.text();
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(s3Code(xml)).toBe('AccessDenied');
    expect(xml).toContain('Request has expired');
  });

  it('refuses a link whose signature or expiry was altered', async () => {
    const id = await storeFile({ fileName: 'tampered-link.txt' }, Buffer.from('secret'));
    const url = await fileUrl(id, accountId, 60);
    const last = url.slice(-1);
    const badSignature = await fetch(url.slice(0, -1) + (last === '0' ? '1' : '0'));
    expect(badSignature.status).toBe(403);
    expect(s3Code(await badSignature.text())).toBe('SignatureDoesNotMatch');
    const longer = await fetch(url.replace('X-Amz-Expires=60', 'X-Amz-Expires=600000'));
    expect(longer.status).toBe(403);
    expect(s3Code(await longer.text())).toBe('SignatureDoesNotMatch');
    const unsigned = await fetch(url.slice(0, url.indexOf('?')));
    expect(unsigned.status).toBe(403);
    expect(s3Code(await unsigned.text())).toBe('AccessDenied');
  });

  it('answers 404 NoSuchKey for a signed link to a missing object', async () => {
    const url = presignedGetUrl(s3Keys(sandbox.context.store), {
      baseUrl: sandbox.url,
      bucket: BUCKET_NAME,
      key: 'no/such/object.txt',
      expiresSeconds: 60,
      issuedAt: new Date(),
    });
    const res = await fetch(url);
    expect(res.status).toBe(404);
    expect(s3Code(await res.text())).toBe('NoSuchKey');
  });

  it('refuses an upload with a wrong signature', async () => {
    const info = await freshUpload('bad-signature.txt');
    const res = await postToS3(info.uploadUrl, replace(formFields(info), 'x-amz-signature', '0'.repeat(64)), Buffer.from('hello'));
    expect(res.status).toBe(403);
    expect(s3Code(await res.text())).toBe('SignatureDoesNotMatch');
  });

  it('refuses an upload to another key than the policy names', async () => {
    const info = await freshUpload('key-mismatch.txt');
    const res = await postToS3(info.uploadUrl, replace(formFields(info), 'key', `${info.fileLocation}.other`), Buffer.from('hello'));
    expect(res.status).toBe(403);
    const xml = await res.text();
    expect(s3Code(xml)).toBe('AccessDenied');
    expect(xml).toContain('$key');
  });

  /** Form fields under a policy written here rather than by the initialize call. */
  function ownPolicy(key: string, issued: Date, conditions: PostPolicy['conditions']): Field[] {
    const keys = s3Keys(sandbox.context.store);
    const date = amzDate(issued);
    const credential = credentialOf(keys, date);
    const policy = encodePolicy({
      expiration: new Date(issued.getTime() + 15 * 60 * 1000).toISOString(),
      conditions: [{ bucket: BUCKET_NAME }, ['eq', '$key', key], { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' }, { 'x-amz-credential': credential }, { 'x-amz-date': date }, ...conditions],
    });
    return [
      ['key', key],
      ['x-amz-algorithm', 'AWS4-HMAC-SHA256'],
      ['x-amz-credential', credential],
      ['x-amz-date', date],
      ['policy', policy],
      ['x-amz-signature', sign(keys, date, policy)],
    ];
  }

  it('refuses an upload under an expired policy', async () => {
    const info = await freshUpload('expired-policy.txt');
    const res = await postToS3(info.uploadUrl, ownPolicy(info.fileLocation, new Date(Date.now() - 20 * 60 * 1000), []), Buffer.from('hello'));
    expect(res.status).toBe(403);
    const xml = await res.text();
    expect(s3Code(xml)).toBe('AccessDenied');
    expect(xml).toContain('Policy expired');
  });

  it('keeps the metadata fields a policy allows and answers them on download', async () => {
    const info = await freshUpload('metadata.txt');
    const fields = ownPolicy(info.fileLocation, new Date(), [['starts-with', '$x-amz-meta-origin', '']]);
    const res = await postToS3(info.uploadUrl, [...fields, ['x-amz-meta-origin', 'ftp://partner']], Buffer.from('hello'));
    expect(res.status).toBe(204);
    expect(await complete([info.wipFileId])).toEqual([{ id: info.wipFileId, success: true }]);
    const download = await fetch(await fileUrl(info.wipFileId));
    expect(download.headers.get('x-amz-meta-origin')).toBe('ftp://partner');
    expect(download.headers.get('content-type')).toBe('binary/octet-stream');
    expect(await download.text()).toBe('hello');
  });

  it('refuses a field the policy does not name, but ignores fields after the file', async () => {
    const info = await freshUpload('extra-fields.txt');
    const extra = await postToS3(info.uploadUrl, [['x-amz-meta-origin', 'ftp'], ...formFields(info)], Buffer.from('hello'));
    expect(extra.status).toBe(403);
    expect(await extra.text()).toContain('Extra input fields: x-amz-meta-origin');
    const late = await postToS3(info.uploadUrl, formFields(info), Buffer.from('hello'), [['x-amz-meta-origin', 'ftp'], ['key', 'somewhere/else']]);
    expect(late.status).toBe(204);
    expect(await complete([info.wipFileId])).toEqual([{ id: info.wipFileId, success: true }]);
  });

  it('refuses a body larger than the declared size with 400 EntityTooLarge', async () => {
    const info = await freshUpload('too-large.txt', 10);
    const storedBefore = sandbox.context.store.blobBytes;
    const slightly = await postToS3(info.uploadUrl, formFields(info), Buffer.alloc(11, 1));
    expect(slightly.status).toBe(400);
    expect(s3Code(await slightly.text())).toBe('EntityTooLarge');
    const far = await postToS3(info.uploadUrl, formFields(info), Buffer.alloc(8 * 1024 * 1024, 1));
    expect(far.status).toBe(400);
    expect(s3Code(await far.text())).toBe('EntityTooLarge');
    expect(sandbox.context.store.blobBytes).toBe(storedBefore);
    expect(await complete([info.wipFileId])).toEqual([{ id: info.wipFileId, success: false, message: 'The file has not been uploaded' }]);
  });

  it('refuses a missing field, a missing file and a bucket that does not exist', async () => {
    const info = await freshUpload('malformed.txt');
    const noPolicy = await postToS3(info.uploadUrl, formFields(info).filter(([n]) => n !== 'policy'), Buffer.from('hello'));
    expect(noPolicy.status).toBe(400);
    expect(s3Code(await noPolicy.text())).toBe('InvalidArgument');
    const urlEncoded = await fetch(info.uploadUrl, { method: 'POST', body: new URLSearchParams(formFields(info).map(([n, v]) => [n, v])) });
    expect(urlEncoded.status).toBe(400);
    expect(s3Code(await urlEncoded.text())).toBe('MalformedPOSTRequest');
    const form = new FormData();
    for (const [name, value] of formFields(info)) form.append(name, value);
    const noFile = await fetch(info.uploadUrl, { method: 'POST', body: form });
    expect(noFile.status).toBe(400);
    expect(await noFile.text()).toContain('POST requires exactly one file upload per request.');
    const otherBucket = await postToS3(`${sandbox.url}/s3/another-bucket`, formFields(info), Buffer.from('hello'));
    expect(otherBucket.status).toBe(404);
    expect(s3Code(await otherBucket.text())).toBe('NoSuchBucket');
  });
});

describe('S-Drive resource rules', () => {
  it('refuses a name that already exists in the target folder', async () => {
    await storeFile({ fileName: 'Duplicate.txt' }, Buffer.from('one'));
    const again = await apex('POST', '', { objectId: accountId, fileType: ACCOUNT_FILE, fileProperties: properties([{ fileName: 'duplicate.TXT' }]) });
    expect(again.status).toBe(422);
    expect(again.json).toEqual([{ errorCode: 'INVALID_INPUT', message: 'A file with the same name exists in the target folder (duplicate.TXT)' }]);
    const twiceInOneCall = await apex('POST', '', {
      objectId: accountId,
      fileType: ACCOUNT_FILE,
      fileProperties: properties([{ fileName: 'pair.txt' }, { fileName: 'pair.txt' }]),
    });
    expect(twiceInOneCall.status).toBe(422);
  });

  it('lets an unfinished upload of a name be started again, but completes only one of them', async () => {
    const [first] = await initialize([{ fileName: 'race.txt' }]);
    const [second] = await initialize([{ fileName: 'race.txt' }]);
    if (first === undefined || second === undefined) throw new Error('no upload info');
    expect((await upload(first, Buffer.from('a'))).status).toBe(204);
    expect((await upload(second, Buffer.from('b'))).status).toBe(204);
    expect(await complete([first.wipFileId])).toEqual([{ id: first.wipFileId, success: true }]);
    expect(await complete([second.wipFileId])).toEqual([
      { id: second.wipFileId, success: false, message: 'A file with the same name exists in the target folder (race.txt)' },
    ]);
  });

  it('reports success false when completing before the upload', async () => {
    const [info] = await initialize([{ fileName: 'not-yet.txt' }]);
    if (info === undefined) throw new Error('no upload info');
    expect(await complete([info.wipFileId])).toEqual([{ id: info.wipFileId, success: false, message: 'The file has not been uploaded' }]);
    expect(await accountFile(info.wipFileId)).toMatchObject({ cg__WIP__c: true });
  });

  it('answers 404 for unknown ids and 412 for missing fields', async () => {
    const unknownParent = await apex('POST', '', { objectId: UNKNOWN_ACCOUNT, fileType: ACCOUNT_FILE, fileProperties: properties([{ fileName: 'x.txt' }]) });
    expect(unknownParent.status).toBe(404);
    const missing = await apex('POST', '', { objectId: accountId, fileProperties: [{ fileName: 'x.txt' }] });
    expect(missing.status).toBe(412);
    expect(missing.json).toEqual([
      expect.objectContaining({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['fileType', 'fileProperties[0].relationshipFieldName'] }),
    ]);
    const unknownWip = await apex('PUT', '', { wipIds: [UNKNOWN_FILE] });
    expect(unknownWip.status).toBe(404);
    const noWip = await apex('PUT', '', {});
    expect(noWip.status).toBe(412);
    const unknownFile = await apex('GET', `?fileObjectId=${UNKNOWN_FILE}&parentId=${accountId}`);
    expect(unknownFile.status).toBe(404);
  });

  it('answers 422 for a file object or relationship field that does not fit the record', async () => {
    const notAFileObject = await apex('POST', '', { objectId: accountId, fileType: 'Account', fileProperties: properties([{ fileName: 'x.txt' }]) });
    expect(notAFileObject.status).toBe(422);
    const wrongObject = await apex('POST', '', {
      objectId: accountId,
      fileType: 'cg__CaseFile__c',
      fileProperties: properties([{ fileName: 'x.txt' }], 'cg__Case__c'),
    });
    expect(wrongObject.status).toBe(422);
    const wrongField = await apex('POST', '', { objectId: accountId, fileType: ACCOUNT_FILE, fileProperties: properties([{ fileName: 'x.txt' }], 'Parent__c') });
    expect(wrongField.status).toBe(422);
    const notAFolder = await apex('POST', '', {
      objectId: accountId,
      fileType: ACCOUNT_FILE,
      fileProperties: properties([{ fileName: 'x.txt', folderId: accountId }]),
    });
    expect(notAFolder.status).toBe(422);
  });

  it('never hands out a link to an unfinished file or a folder, and checks the parents', async () => {
    const [info] = await initialize([{ fileName: 'wip-link.txt' }]);
    if (info === undefined) throw new Error('no upload info');
    expect((await upload(info, Buffer.from('hello'))).status).toBe(204);
    const wip = await apex('GET', `?fileObjectId=${info.wipFileId}&parentId=${accountId}&timeValue=60`);
    expect(wip.status).toBe(422);
    const folders = await conn.query<{ Id: string }>(`SELECT Id FROM ${ACCOUNT_FILE} WHERE cg__Content_Type__c = 'Folder' AND cg__Account__c = '${accountId}'`);
    const folderId = folders.records[0]?.Id ?? '';
    expect((await apex('GET', `?fileObjectId=${folderId}&parentId=${accountId}`)).status).toBe(422);
    const done = await storeFile({ fileName: 'parent-check.txt' }, Buffer.from('x'));
    expect((await apex('GET', `?fileObjectId=${done},${done}&parentId=${accountId}`)).status).toBe(422);
    const others = await conn.query<{ Id: string }>(`SELECT Id FROM Account WHERE AccountNumber = '${DEMO_ACCOUNT_NUMBERS[4] ?? ''}'`);
    expect((await apex('GET', `?fileObjectId=${done}&parentId=${others.records[0]?.Id ?? ''}`)).status).toBe(422);
    expect((await apex('GET', `?fileObjectId=${done}&parentId=${accountId}&timeValue=0`)).status).toBe(422);
  });

  it('refuses the resource without a token', async () => {
    const res = await fetch(`${sandbox.url}${RESOURCE}?fileObjectId=x&parentId=y`);
    expect(res.status).toBe(401);
    await res.text();
  });
});

describe('S-Drive folders and deletion', () => {
  async function folder(name: string, parentFolder: string | null = null): Promise<string> {
    const created = await conn.sobject(ACCOUNT_FILE).create({
      cg__Account__c: accountId,
      cg__File_Name__c: name,
      cg__Content_Type__c: 'Folder',
      cg__WIP__c: false,
      cg__Parent_Folder_Id__c: parentFolder,
    });
    if (!created.success) throw new Error(`folder ${name} was not created`);
    return created.id;
  }

  it('uploads into a folder, allows the same name elsewhere and refuses mixed folders', async () => {
    const reports = await folder('Reports');
    const id = await storeFile({ fileName: 'Duplicate.txt', folderId: reports }, Buffer.from('in a folder'));
    expect(await accountFile(id)).toMatchObject({ cg__Parent_Folder_Id__c: reports });
    const mixed = await apex('POST', '', {
      objectId: accountId,
      fileType: ACCOUNT_FILE,
      fileProperties: properties([{ fileName: 'm1.txt', folderId: reports }, { fileName: 'm2.txt' }]),
    });
    expect(mixed.status).toBe(422);
    expect(mixed.json).toEqual([
      { errorCode: 'INVALID_INPUT', message: 'Parent Folder IDs must be the same for all file records that are being uploaded' },
    ]);
  });

  it('deletes a file with its stored object', async () => {
    const id = await storeFile({ fileName: 'delete-me.txt' }, Buffer.from('bye'));
    const url = await fileUrl(id);
    const answer = await conn.apex.delete<{ resultObjects: ResultObject[] }>(`/cg/SDrive/files?objectId=${accountId}&fileObjectId=${id}`);
    expect(answer.resultObjects).toEqual([{ id, success: true }]);
    expect(await accountFile(id)).toBeUndefined();
    const gone = await fetch(url);
    expect(gone.status).toBe(404);
    expect(s3Code(await gone.text())).toBe('NoSuchKey');
    expect((await apex('DELETE', `?objectId=${accountId}&fileObjectId=${id}`)).status).toBe(404);
  });

  it('deletes a folder with everything in it', async () => {
    const outer = await folder('Archive');
    const inner = await folder('2025', outer);
    const nested = await storeFile({ fileName: 'old.txt', folderId: inner }, Buffer.from('old'));
    const url = await fileUrl(nested);
    const outside = await storeFile({ fileName: 'keep.txt' }, Buffer.from('keep'));
    const wrongParent = await apex('DELETE', `?objectId=${sandbox.context.defaultUser.id}&fileObjectId=${outer}`);
    expect(wrongParent.status).toBe(422);
    const answer = await apex('DELETE', `?objectId=${accountId}&fileObjectId=${outer}`);
    expect(answer).toEqual({ status: 200, json: { resultObjects: [{ id: outer, success: true }] } });
    for (const id of [outer, inner, nested]) expect(await accountFile(id)).toBeUndefined();
    expect((await fetch(url)).status).toBe(404);
    expect(await accountFile(outside)).toBeDefined();
  });
});

describe('S-Drive persistence', () => {
  it('keeps uploaded objects and the signing key across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ferry-sdrive-'));
    try {
      const first = await startSandbox({ sdrive: true, seed: 'demo', dataDir });
      const firstToken = first.oauth.issueAccessToken(first.context.defaultUser.username);
      const before = await fetch(`${first.url}/services/data/v64.0/query?q=${encodeURIComponent(`SELECT Id, cg__Account__c FROM ${ACCOUNT_FILE} WHERE cg__File_Name__c = '${DEMO_SDRIVE.file.name}'`)}`, {
        headers: { Authorization: `Bearer ${firstToken}` },
      });
      const [row] = ((await before.json()) as { records: Array<{ Id: string; cg__Account__c: string }> }).records;
      await first.close();

      const second = await startSandbox({ sdrive: true, seed: 'demo', dataDir });
      try {
        const secondToken = second.oauth.issueAccessToken(second.context.defaultUser.username);
        const links = await fetch(`${second.url}${RESOURCE}?fileObjectId=${row?.Id ?? ''}&parentId=${row?.cg__Account__c ?? ''}`, {
          headers: { Authorization: `Bearer ${secondToken}` },
        });
        expect(links.status).toBe(200);
        const [url] = ((await links.json()) as { fileUrls: string[] }).fileUrls;
        const res = await fetch(url ?? '');
        expect(Buffer.from(await res.arrayBuffer())).toEqual(demoPriceList());
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
