import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseSize, validationConfigSchema } from '../../../src/validation/config.js';
import type { ValidationConfig } from '../../../src/validation/config.js';
import { createValidator } from '../../../src/validation/validateFile.js';

describe('parseSize', () => {
  it.each([
    [1234, 1234],
    ['1234', 1234],
    ['10MB', 10_000_000],
    ['512 KiB', 524_288],
    ['2GB', 2_000_000_000],
    ['1.5 MiB', 1_572_864],
    ['3 kb', 3000],
    ['7 B', 7],
    ['1TiB', 1024 ** 4],
  ])('reads %j as %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(['', 'ten MB', '10 XB', '-1', '1e3', '10 M B'])('refuses %j with the units it knows', (text) => {
    expect(() => parseSize(text)).toThrow(/Invalid size .*expected a number of bytes or a number with a unit \(B, KB, MB, GB, TB, KiB, MiB, GiB, TiB\)/);
  });

  it('refuses negative and fractional byte counts', () => {
    expect(() => parseSize(-5)).toThrow(/whole, non-negative/);
    expect(() => parseSize(1.5)).toThrow(/whole, non-negative/);
  });
});

describe('validation config schema', () => {
  const invalid = (config: unknown): string => {
    const parsed = validationConfigSchema.safeParse(config);
    if (parsed.success) throw new Error('expected the config to be refused');
    return z.prettifyError(parsed.error);
  };

  it('accepts an empty config and a full one', () => {
    expect(validationConfigSchema.safeParse({}).success).toBe(true);
    const full: ValidationConfig = {
      minSize: 1,
      maxSize: '1GB',
      name: '(?<date>\\d{8})_.*',
      extensions: ['csv'],
      contentType: true,
      csv: { delimiter: ';', quote: '"', encoding: 'windows-1252', header: true, columns: [{ name: 'a', type: 'date', format: 'dd.MM.yyyy', required: true }], extraColumns: 'allow', minRows: 1, maxRows: 10, trailer: { pattern: 'T(?<n>\\d+)', count: 'n' }, skipLines: 1 },
      companions: ['{date}.done'],
      checksum: { algorithm: 'sha1' },
    };
    expect(validationConfigSchema.parse(full)).toEqual(full);
  });

  it('rejects unknown keys at every level', () => {
    expect(invalid({ maxsize: '1MB' })).toMatch(/Unrecognized key.*maxsize/);
    expect(invalid({ csv: { delimeter: ';' } })).toMatch(/Unrecognized key.*delimeter/);
    expect(invalid({ csv: { columns: [{ name: 'a', requried: true }] } })).toMatch(/Unrecognized key.*requried/);
  });

  it('rejects bad sizes, regular expressions and limits with their reason', () => {
    expect(invalid({ maxSize: '10 XB' })).toMatch(/Invalid size "10 XB"/);
    expect(invalid({ minSize: '2MB', maxSize: '1MB' })).toMatch(/minSize 2MB is larger than maxSize 1MB/);
    expect(invalid({ name: '(?<x>[a-z' })).toMatch(/name is not a valid regular expression/);
    expect(invalid({ csv: { minRows: 5, maxRows: 1 } })).toMatch(/minRows 5 is greater than maxRows 1/);
    expect(invalid({ xml: { requiredElements: ['Order//Number'] } })).toMatch(/element names separated by single slashes/);
  });

  it('publishes as JSON Schema with a description for every field', () => {
    const published = z.toJSONSchema(validationConfigSchema, { io: 'input' }) as { properties: Record<string, { description?: string }>; additionalProperties?: boolean };
    expect(published.additionalProperties).toBe(false);
    const keys = ['minSize', 'maxSize', 'name', 'extensions', 'contentType', 'csv', 'json', 'xml', 'companions', 'checksum'];
    expect(Object.keys(published.properties).sort()).toEqual([...keys].sort());
    for (const key of keys) expect(published.properties[key]?.description, key).toMatch(/\w{4}/);
    expect(JSON.stringify(published)).toContain('The field separator');
  });

  it('makes createValidator throw a readable error for a bad config', () => {
    expect(() => createValidator({ name: '(' }, { baseDir: '.' })).toThrow(/^Invalid validation config:\n.*name is not a valid regular expression/s);
  });
});
