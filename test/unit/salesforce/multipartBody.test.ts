import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { describe, expect, it } from 'vitest';
import { TransferError } from '../../../src/connectors/errors.js';
import { buildMultipartBody, type MultipartBody } from '../../../src/connectors/salesforce/multipartBody.js';

interface Part {
  readonly name: string;
  readonly mimeType: string;
  readonly fileName?: string;
  readonly content: Buffer;
}

async function collect(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Parses a body as a server would, keeping the parts in the order they arrive. */
function parse(contentType: string, raw: Buffer): Promise<Part[]> {
  return new Promise((resolve, reject) => {
    const parts: Promise<Part>[] = [];
    const parser = busboy({ headers: { 'content-type': contentType }, preservePath: true });
    parser.on('field', (name, value, info) => {
      parts.push(Promise.resolve({ name, mimeType: info.mimeType, content: Buffer.from(value, 'utf8') }));
    });
    parser.on('file', (name, stream, info) => {
      parts.push(collect(stream).then((content) => ({ name, mimeType: info.mimeType, fileName: info.filename, content })));
    });
    parser.on('close', () => resolve(Promise.all(parts)));
    parser.on('error', reject);
    parser.end(raw);
  });
}

function build(data: Buffer, extra: Partial<Parameters<typeof buildMultipartBody>[0]> = {}): MultipartBody {
  return buildMultipartBody({
    entity: { PathOnClient: 'Q1 Sales Brochure.pdf', FirstPublishLocationId: '001000000000001AAA' },
    blobField: 'VersionData',
    fileName: 'Q1 Sales Brochure.pdf',
    data: Readable.from([data]),
    size: data.length,
    ...extra,
  });
}

describe('buildMultipartBody', () => {
  it('sends the JSON part first, then the file, with an exact length and the MD5', async () => {
    const data = randomBytes(300_000);
    const body = build(data, { contentType: 'application/pdf' });
    expect(body.contentType).toMatch(/^multipart\/form-data; boundary=\S+$/);
    expect(() => body.md5()).toThrow();

    const raw = await collect(body.body);
    expect(raw.length).toBe(body.contentLength);
    expect(body.bytesSent()).toBe(data.length);
    expect(body.md5()).toBe(createHash('md5').update(data).digest('hex'));

    const parts = await parse(body.contentType, raw);
    expect(parts.map((p) => p.name)).toEqual(['entity_content', 'VersionData']);
    const [entity, file] = parts;
    expect(entity?.mimeType).toBe('application/json');
    expect(JSON.parse(entity?.content.toString('utf8') ?? '')).toEqual({
      PathOnClient: 'Q1 Sales Brochure.pdf',
      FirstPublishLocationId: '001000000000001AAA',
    });
    expect(file?.mimeType).toBe('application/pdf');
    expect(file?.fileName).toBe('Q1 Sales Brochure.pdf');
    expect(file?.content.equals(data)).toBe(true);
  });

  it('names the JSON part as asked and defaults the file type', async () => {
    const body = build(Buffer.from('x'), { entityPartName: 'ContentVersion' });
    const parts = await parse(body.contentType, await collect(body.body));
    expect(parts.map((p) => [p.name, p.mimeType])).toEqual([
      ['ContentVersion', 'application/json'],
      ['VersionData', 'application/octet-stream'],
    ]);
  });

  it('handles an empty file', async () => {
    const body = build(Buffer.alloc(0));
    const raw = await collect(body.body);
    expect(raw.length).toBe(body.contentLength);
    expect(body.md5()).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect((await parse(body.contentType, raw))[1]?.content.length).toBe(0);
  });

  it('keeps JSON that mentions boundaries and line breaks intact', async () => {
    const entity = { Description: '--FerryBoundary\r\n--\r\n\r\nContent-Type: text/plain', Title: 'Ünï 📦' };
    const body = build(Buffer.from('abc'), { entity });
    expect(entity.Description).not.toContain(body.contentType.split('=')[1]);
    const parts = await parse(body.contentType, await collect(body.body));
    expect(JSON.parse(parts[0]?.content.toString('utf8') ?? '')).toEqual(entity);
  });

  it.each([
    ['plain ASCII', 'report.pdf', 'report.pdf', false],
    ['quotes', 'say "hi".pdf', 'say _hi_.pdf', true],
    ['a backslash', 'C:\\temp\\x.pdf', 'C:_temp_x.pdf', true],
    ['CR/LF', 'evil\r\nContent-Type: text/html.pdf', 'evil__Content-Type: text/html.pdf', true],
    ['non-ASCII', 'Müller – Angebot 日本.pdf', 'M_ller _ Angebot __.pdf', true],
    ['an emoji', '📦 box.pdf', '_ box.pdf', true],
    ['RFC 5987 specials', "it's (1) 100%*.pdf", "it's (1) 100%*.pdf", false],
    ['a semicolon and equals', 'a; filename=b.pdf', 'a; filename=b.pdf', false],
  ])('encodes a file name with %s', async (_label, fileName, fallback, extended) => {
    const body = build(Buffer.from('data'), { fileName });
    const raw = await collect(body.body);
    const header = raw.toString('latin1').split('\r\n').find((l) => l.includes('name="VersionData"')) ?? '';
    expect(header).toContain(`filename="${fallback}"`);
    expect(header.includes("filename*=UTF-8''")).toBe(extended);
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    const parts = await parse(body.contentType, raw);
    expect(parts).toHaveLength(2);
    expect(parts[1]?.fileName).toBe(fileName);
    expect(parts[1]?.content.toString()).toBe('data');
  });

  it.each([
    ['more', 11],
    ['fewer', 9],
  ])('errors when the data yields %s bytes than announced, before sending the closing boundary', async (which, actual) => {
    const body = buildMultipartBody({
      entity: {},
      blobField: 'VersionData',
      fileName: 'f.bin',
      data: Readable.from([Buffer.alloc(5), Buffer.alloc(actual - 5)]),
      size: 10,
    });
    const received: Buffer[] = [];
    const error = await new Promise<unknown>((resolve) => {
      body.body.on('data', (c: Buffer) => received.push(c));
      body.body.on('error', resolve);
      body.body.on('end', () => resolve(undefined));
    });
    expect(error).toBeInstanceOf(TransferError);
    expect((error as TransferError).kind).toBe('integrity');
    expect((error as TransferError).message).toContain(which);
    const sent = Buffer.concat(received);
    expect(sent.length).toBeLessThan(body.contentLength);
    expect(sent.toString('latin1')).not.toMatch(/--\r\n$/);
    expect(() => body.md5()).toThrow();
  });

  it('passes on an error of the data', async () => {
    const data = new Readable({
      read() {
        this.destroy(new Error('disk gone'));
      },
    });
    const body = buildMultipartBody({ entity: {}, blobField: 'VersionData', fileName: 'f', data, size: 10 });
    await expect(collect(body.body)).rejects.toThrow('disk gone');
  });

  it('refuses a text stream, whose byte count is not its length', async () => {
    const body = buildMultipartBody({
      entity: {},
      blobField: 'VersionData',
      fileName: 'f',
      data: Readable.from(['text']),
      size: 4,
    });
    await expect(collect(body.body)).rejects.toThrow(TypeError);
  });

  it('refuses part names and media types that would break the headers', () => {
    expect(() => build(Buffer.alloc(1), { blobField: 'Version"Data' })).toThrow(RangeError);
    expect(() => build(Buffer.alloc(1), { entityPartName: 'a\r\nb' })).toThrow(RangeError);
    expect(() => build(Buffer.alloc(1), { contentType: 'text/plain\r\nX-Evil: 1' })).toThrow(RangeError);
    expect(() => build(Buffer.alloc(1), { size: -1 })).toThrow(RangeError);
    expect(build(Buffer.alloc(1), { contentType: 'text/plain; charset="utf-8"' }).contentLength).toBeGreaterThan(0);
  });

  it('reads the file only as fast as the body is consumed', async () => {
    const chunkSize = 64 * 1024;
    const chunks = 512; // 32 MiB
    let produced = 0;
    const data = new Readable({
      read() {
        if (produced >= chunkSize * chunks) return void this.push(null);
        produced += chunkSize;
        this.push(Buffer.alloc(chunkSize, produced & 0xff));
      },
    });
    const body = buildMultipartBody({ entity: {}, blobField: 'VersionData', fileName: 'big', data, size: chunkSize * chunks });
    let consumed = 0;
    let ahead = 0;
    for await (const chunk of body.body as AsyncIterable<Buffer>) {
      consumed += chunk.length;
      ahead = Math.max(ahead, produced - consumed);
      if (consumed % (1024 * 1024) < chunk.length) await new Promise((r) => setImmediate(r));
    }
    expect(consumed).toBe(body.contentLength);
    expect(ahead).toBeLessThan(1024 * 1024);
  });

  it('stops reading the file when the body is destroyed', async () => {
    const data = Readable.from((function* () {
      for (;;) yield Buffer.alloc(1024);
    })());
    const body = buildMultipartBody({ entity: {}, blobField: 'VersionData', fileName: 'f', data, size: 1e9 });
    for await (const _chunk of body.body as AsyncIterable<Buffer>) {
      if (body.bytesSent() > 100_000) break;
    }
    await new Promise((r) => setImmediate(r));
    expect(data.destroyed).toBe(true);
  });
});
