import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ValidationConfig } from '../../../src/validation/config.js';
import { createValidator } from '../../../src/validation/validateFile.js';
import { ruleResult, Staging } from './staging.js';

/** A DOS stub whose e_lfanew points at a PE signature: what a Windows executable starts with. */
function windowsExecutable(): Buffer {
  const bytes = Buffer.alloc(512);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write('PE\0\0', 0x80, 'latin1');
  bytes.writeUInt16LE(0x14c, 0x84);
  return bytes;
}

/** The ELF identification bytes of a 64-bit little-endian Linux binary. */
function linuxExecutable(): Buffer {
  const bytes = Buffer.alloc(128);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01]).copy(bytes);
  return bytes;
}

const MINIMAL_PDF = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n';
const ONE_PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG_START = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);

describe('size, name and extension rules', () => {
  let staging: Staging;
  beforeEach(async () => {
    staging = await Staging.create();
  });
  afterEach(async () => {
    await staging.remove();
  });

  const validate = async (config: ValidationConfig, name: string, content: string | Uint8Array) =>
    createValidator(config, { baseDir: staging.dir }).validate(await staging.file(name, content));

  it('compares the size with limits written with units', async () => {
    const content = 'x'.repeat(2000);
    expect(ruleResult(await validate({ maxSize: '1KB' }, 'a.txt', content), 'size')).toMatchObject({
      passed: false,
      message: 'inbox/a.txt is 2 KB (2000 bytes), more than the maximum of 1 KB (1000 bytes); its content was not checked',
    });
    expect(ruleResult(await validate({ maxSize: '2 KiB' }, 'b.txt', content), 'size').passed).toBe(true);
    expect(ruleResult(await validate({ minSize: '0.5 KiB', maxSize: 2000 }, 'c.txt', content), 'size').passed).toBe(true);
    expect(ruleResult(await validate({ minSize: '10kb' }, 'd.txt', content), 'size').message).toBe(
      'inbox/d.txt is 2 KB (2000 bytes), less than the minimum of 10 KB (10000 bytes)',
    );
  });

  it('does not parse the content of a file over maxSize, but still checks everything else', async () => {
    const verdict = await validate({ maxSize: 10, extensions: ['txt'], csv: { minRows: 1 }, json: { schema: { type: 'object' } } }, 'big.csv', 'id\n1\n2\n3\n4\n5\n');
    expect(verdict.results.map((r) => r.rule)).toEqual(['size', 'extension']);
    expect(verdict.rows).toBeUndefined();
    expect(verdict.reason).toMatch(/more than the maximum/);
  });

  it('returns the named groups of a matching name as captures', async () => {
    const config = { name: '(?<partner>[A-Z]+)_(?<date>\\d{8})(?:_(?<part>\\d+))?\\.csv' };
    const verdict = await validate(config, 'ACME_20240131.csv', 'x');
    expect(verdict.passed).toBe(true);
    expect(verdict.captures).toEqual({ partner: 'ACME', date: '20240131' });
    expect(ruleResult(verdict, 'name').details).toMatchObject({ captures: { partner: 'ACME', date: '20240131' } });
  });

  it('requires the whole name to match', async () => {
    const verdict = await validate({ name: '(?<partner>[A-Z]+)_\\d{8}\\.csv' }, 'ACME_20240131.csv.exe', 'x');
    expect(verdict.passed).toBe(false);
    expect(verdict.captures).toEqual({});
    expect(verdict.reason).toBe('inbox/ACME_20240131.csv.exe: the name "ACME_20240131.csv.exe" does not match the pattern (?<partner>[A-Z]+)_\\d{8}\\.csv');
  });

  it('checks extensions case-insensitively, with or without the dot', async () => {
    const config = { extensions: ['csv', '.TXT', 'tar.gz'] };
    expect((await validate(config, 'a.CSV', 'x')).passed).toBe(true);
    expect((await validate(config, 'b.txt', 'x')).passed).toBe(true);
    expect((await validate(config, 'c.tar.gz', 'x')).passed).toBe(true);
    expect((await validate(config, 'd.pdf', 'x')).reason).toBe('inbox/d.pdf: extension .pdf is not allowed; allowed are .csv, .txt, .tar.gz');
    expect((await validate(config, 'README', 'x')).reason).toBe('inbox/README has no extension; allowed are .csv, .txt, .tar.gz');
  });
});

describe('content-type rule', () => {
  let staging: Staging;
  beforeEach(async () => {
    staging = await Staging.create();
  });
  afterEach(async () => {
    await staging.remove();
  });

  const contentType = async (name: string, content: string | Uint8Array, config: ValidationConfig = { contentType: true }) =>
    ruleResult(await createValidator(config, { baseDir: staging.dir }).validate(await staging.file(name, content)), 'content-type');

  it('fails a Windows executable named .pdf', async () => {
    expect(await contentType('invoice.pdf', windowsExecutable())).toMatchObject({
      passed: false,
      message: 'inbox/invoice.pdf: the content is exe (application/x-msdownload), not pdf as the extension says',
      details: { extension: 'pdf', detected: 'exe' },
    });
  });

  it('fails a Linux executable named .pdf', async () => {
    expect((await contentType('invoice.pdf', linuxExecutable())).message).toBe('inbox/invoice.pdf: the content is elf (application/x-elf), not pdf as the extension says');
  });

  it('passes a real PDF, PNG and JPEG', async () => {
    expect(await contentType('invoice.pdf', Buffer.from(MINIMAL_PDF, 'latin1'))).toMatchObject({ passed: true, details: { detected: 'pdf' } });
    expect((await contentType('logo.png', ONE_PIXEL_PNG)).passed).toBe(true);
    expect((await contentType('photo.JPEG', JPEG_START)).passed).toBe(true);
  });

  it('fails a PNG named .jpg and a text file named .pdf', async () => {
    expect((await contentType('photo.jpg', ONE_PIXEL_PNG)).message).toBe('inbox/photo.jpg: the content is png (image/png), not jpg as the extension says');
    expect((await contentType('fake.pdf', 'hello')).message).toBe('inbox/fake.pdf: the content is text, not pdf as the extension says');
  });

  it('wants text formats to be text in the declared encoding', async () => {
    expect((await contentType('orders.csv', 'id,qty\n1,2\n')).passed).toBe(true);
    expect((await contentType('orders.xml', '<?xml version="1.0"?><Order/>')).passed).toBe(true);
    expect((await contentType('payload.csv', windowsExecutable())).message).toBe('inbox/payload.csv: the content is exe (application/x-msdownload), not text as .csv requires');
    expect((await contentType('nul.csv', 'id,qty\n1,\0\n')).message).toBe('inbox/nul.csv: .csv should be text, but the file contains a NUL byte at offset 9, so it is binary data, not text');
    expect((await contentType('logo.csv', ONE_PIXEL_PNG)).message).toBe('inbox/logo.csv: the content is png (image/png), not text as .csv requires');
    expect((await contentType('bad.json', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]))).message).toBe(
      'inbox/bad.json: .json should be text, but the file is not valid UTF-8 text (first bad byte near offset 2)',
    );
  });

  it('uses the CSV encoding for the text check', async () => {
    const latin1 = iconv.encode('name\nMüller\n', 'latin1');
    expect((await contentType('k.csv', latin1)).passed).toBe(false);
    expect((await contentType('k2.csv', latin1, { contentType: true, csv: { encoding: 'latin1' } })).passed).toBe(true);
  });

  it('does not mistake a CSV starting with "MZ" for an executable', async () => {
    expect((await contentType('codes.csv', 'MZ_CODE,name\n1,x\n')).passed).toBe(true);
  });

  it('fails executables even under extensions it has no signature for', async () => {
    expect((await contentType('data.dat', linuxExecutable())).message).toBe('inbox/data.dat: the content is an executable, elf (application/x-elf), under .dat');
    expect((await contentType('data.dat', 'fixed width text\n')).passed).toBe(true);
  });

  it('accepts only listed types when given a list', async () => {
    const config: ValidationConfig = { contentType: ['pdf', 'png', 'jpeg'] };
    expect((await contentType('scan.bin', ONE_PIXEL_PNG, config)).passed).toBe(true);
    expect((await contentType('scan.jpg', JPEG_START, config)).passed).toBe(true);
    expect((await contentType('scan.pdf', windowsExecutable(), config)).message).toBe(
      'inbox/scan.pdf: the content is exe (application/x-msdownload), which is not one of pdf, png, jpeg',
    );
    expect((await contentType('notes.txt', 'hello', config)).passed).toBe(false);
    expect((await contentType('notes.txt', 'hello', { contentType: ['pdf', 'text'] })).passed).toBe(true);
  });
});
