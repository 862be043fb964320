import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { convertFile, type Conversion } from '../../../src/mapping/convert.js';
import { MappingError } from '../../../src/mapping/fieldMapping.js';
import { FormatError } from '../../../src/mapping/records.js';
import { parseProfile, partnerProfileSchema, previewConversion, ProfileError } from '../../../src/mapping/profile.js';
import { scratch, type Scratch } from './files.js';

const now = new Date('2026-11-20T10:00:00Z');
const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

let tmp: Scratch;
beforeEach(async () => {
  tmp = await scratch();
});
afterEach(async () => {
  await tmp.remove();
});

async function convert(input: string | Buffer, conversion: Conversion): Promise<{ rows: number; bytes: Buffer; out: string }> {
  const inPath = await tmp.file('in.dat', input);
  const out = join(tmp.dir, 'out.dat');
  const result = await convertFile(inPath, out, conversion, { now });
  return { rows: result.rows, bytes: await readFile(out), out };
}

const invoices: Conversion = {
  input: { type: 'csv', delimiter: ';', encoding: 'windows-1252' },
  mapping: {
    fields: [
      { to: 'id', from: 'Rechnung', required: true },
      { to: 'customer', from: 'Kunde', transforms: ['trim', 'upper'] },
      {
        to: 'cents',
        from: 'Betrag',
        transforms: [{ number: { decimalSeparator: ',', thousandsSeparator: '.', decimals: 2 } }, { replace: { pattern: '\\.', with: '' } }],
      },
      { to: 'due', from: 'Fällig', transforms: [{ date: { from: 'dd.MM.yyyy', to: 'yyyyMMdd' } }] },
    ],
  },
  output: {
    type: 'fixed',
    encoding: 'windows-1252',
    fields: [
      { name: 'id', width: 6 },
      { name: 'customer', width: 10 },
      { name: 'cents', width: 10, align: 'right', pad: '0' },
      { name: 'due', width: 8 },
    ],
    header: ['HDR{date:yyyyMMdd}'],
    trailer: 'TRL{rows}',
  },
};

const invoiceCsv = Buffer.from('Rechnung;Kunde;Betrag;Fällig\r\n10001;ACME GmbH;1.234,50;20.11.2026\r\n10002; Müller ;99;01.12.2026\r\n', 'latin1');
const invoiceFixed = 'HDR20261120\r\n10001 ACME GMBH 000012345020261120\r\n10002 MÜLLER    000000990020261201\r\nTRL2\r\n';

describe('convertFile', () => {
  it('CSV semicolon latin1 → CSV comma UTF-8', async () => {
    const input = Buffer.from('Name;Ort;Betrag\r\nMüller;Köln;"1,50"\r\nSmith, Jr;Zürich;2\r\n', 'latin1');
    const { rows, bytes } = await convert(input, {
      input: { type: 'csv', delimiter: ';', encoding: 'latin1' },
      output: { type: 'csv' },
    });
    expect(rows).toBe(2);
    expect(bytes).toEqual(Buffer.from('Name,Ort,Betrag\r\nMüller,Köln,"1,50"\r\n"Smith, Jr",Zürich,2\r\n', 'utf8'));
  });

  it('CSV → fixed width: mapped, zero-padded, header and trailer, CRLF', async () => {
    const { rows, bytes } = await convert(invoiceCsv, invoices);
    expect(rows).toBe(2);
    expect(bytes).toEqual(Buffer.from(invoiceFixed, 'latin1'));
    expect(bytes.includes(0xdc)).toBe(true); // Ü in windows-1252
  });

  it('fixed width → CSV', async () => {
    const output = invoices.output;
    if (output.type !== 'fixed') throw new Error('fixture');
    const { rows, bytes } = await convert(Buffer.from(invoiceFixed, 'latin1'), {
      input: { ...output, trailerPattern: '^TRL' },
      mapping: {
        fields: [
          { to: 'Invoice', from: 'id' },
          { to: 'Customer', from: 'customer', transforms: ['title'] },
          { to: 'Amount', from: 'cents', transforms: [{ replace: { pattern: '(\\d\\d)$', with: '.$1' } }] },
          { to: 'Due', from: 'due', transforms: [{ date: { from: 'yyyyMMdd', to: 'yyyy-MM-dd' } }] },
        ],
      },
      output: { type: 'csv', lineEnding: 'lf' },
    });
    expect(rows).toBe(2);
    expect(bytes.toString('utf8')).toBe('Invoice,Customer,Amount,Due\n10001,Acme Gmbh,1234.50,2026-11-20\n10002,Müller,99.00,2026-12-01\n');
  });

  it('JSON with a nested records path → CSV', async () => {
    const doc = {
      meta: { count: 2 },
      data: { items: [{ id: 1, customer: { name: 'ACME' }, total: 12.5 }, { id: 2, customer: { name: 'B, Inc' }, total: null }] },
    };
    const { bytes } = await convert(JSON.stringify(doc), {
      input: { type: 'json', records: 'data.items' },
      output: { type: 'csv' },
    });
    expect(bytes.toString('utf8')).toBe('id,customer.name,total\r\n1,ACME,12.5\r\n2,"B, Inc",\r\n');
  });

  it('CSV → XML → CSV', async () => {
    const csv = 'Id,Name,Note\r\n1,A & B,"x<y"\r\n2,Ümlaut,\r\n';
    const toXml = await convert(csv, { input: { type: 'csv' }, output: { type: 'xml', root: 'Invoices', record: 'Invoice' } });
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Invoices>\n' +
      '  <Invoice>\n    <Id>1</Id>\n    <Name>A &amp; B</Name>\n    <Note>x&lt;y</Note>\n  </Invoice>\n' +
      '  <Invoice>\n    <Id>2</Id>\n    <Name>Ümlaut</Name>\n    <Note></Note>\n  </Invoice>\n</Invoices>\n';
    expect(toXml.bytes.toString('utf8')).toBe(xml);
    const back = await convert(xml, { input: { type: 'xml', root: 'Invoices', record: 'Invoice' }, output: { type: 'csv' } });
    expect(back.bytes.toString('utf8')).toBe('Id,Name,Note\r\n1,A & B,x<y\r\n2,Ümlaut,\r\n');
  });

  it('removes the partial output and rethrows on failure', async () => {
    const input = Buffer.from('Rechnung;Kunde;Betrag;Fällig\r\n10001;A;1;20.11.2026\r\n10002;B;2;31.11.2026\r\n', 'latin1');
    const out = join(tmp.dir, 'out.dat');
    const error = await convert(input, invoices).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MappingError);
    expect((error as MappingError).message).toBe('Row 2, field "due": "31.11.2026" is not a date in the format "dd.MM.yyyy"');
    expect(await exists(out)).toBe(false);

    const tooWide = Buffer.from('Rechnung;Kunde;Betrag;Fällig\r\n1234567;A;1;20.11.2026\r\n', 'latin1');
    await expect(convert(tooWide, invoices)).rejects.toThrow(FormatError);
    expect(await exists(out)).toBe(false);

    await expect(convert('a,b\n"1,2\n', { input: { type: 'csv' }, output: { type: 'json' } })).rejects.toThrow(/line 2, column 1 "a": a quoted value starts here and is never closed/);
    expect(await exists(out)).toBe(false);
  });

  it('stops when aborted', async () => {
    const inPath = await tmp.file('in.csv', 'a\n1\n');
    const out = join(tmp.dir, 'out.csv');
    const controller = new AbortController();
    controller.abort();
    await expect(convertFile(inPath, out, { input: { type: 'csv' }, output: { type: 'csv' } }, { now }, controller.signal)).rejects.toThrow(/abort/i);
    expect(await exists(out)).toBe(false);
  });
});

describe('partner profiles', () => {
  const profile = { partner: 'ACME', description: 'Invoices', inbound: invoices, outbound: { input: { type: 'json' }, output: { type: 'csv' } } };

  it('parse when valid', () => {
    expect(parseProfile(JSON.parse(JSON.stringify(profile)), 'acme.yaml')).toMatchObject({ partner: 'ACME', outbound: { output: { type: 'csv' } } });
  });

  it('name the file and the path of each problem', () => {
    const bad = { ...profile, inbound: { ...invoices, output: { type: 'fixed', fields: [{ name: 'id', width: -1 }] } }, colour: 'red' };
    expect(() => parseProfile(bad, '/etc/ferry/partners/acme.yaml')).toThrow(ProfileError);
    const message = (() => {
      try {
        parseProfile(bad, '/etc/ferry/partners/acme.yaml');
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/^Partner profile \/etc\/ferry\/partners\/acme\.yaml is not valid: /);
    expect(message).toContain('inbound.output.fields[0].width: ');
    expect(message).toContain('colour');
    expect(() => parseProfile({ partner: '' }, 'p.json')).toThrow(/p\.json.*partner: /);
  });

  it('publish a JSON Schema with descriptions', () => {
    const schema = JSON.stringify(z.toJSONSchema(partnerProfileSchema, { io: 'input' }));
    expect(schema).toContain('Dot path to the array of records');
    expect(schema).toContain('rounded half away from zero');
  });

  it('preview a sample: first rows and every row error', async () => {
    const sample = await tmp.file(
      'sample.csv',
      Buffer.from('Rechnung;Kunde;Betrag;Fällig\r\n1;A;1;20.11.2026\r\n2;B;x;21.11.2026\r\n3;C;3;22.11.2026\r\n4;D;4;23.11.2026\r\n12345678;E;5;24.11.2026\r\n', 'latin1'),
    );
    const preview = await previewConversion(sample, invoices, now, 2);
    expect(preview.rows).toEqual([
      { id: '1', customer: 'A', cents: '100', due: '20261120' },
      { id: '3', customer: 'C', cents: '300', due: '20261122' },
    ]);
    expect(preview.errors).toEqual([
      'Row 2, field "cents": "x" is not a number (decimal separator ",", thousands separator ".")',
      'Row 5: field "id" value "12345678" is 8 characters, wider than its 6',
    ]);
  });

  it('preview reports unknown columns and unreadable samples', async () => {
    const sample = await tmp.file('other.csv', 'Invoice;Customer\r\n1;A\r\n');
    const preview = await previewConversion(sample, invoices, now);
    expect(preview.errors[0]).toBe('The mapping reads column "Rechnung", which the sample does not have (it has Invoice, Customer)');
    const broken = await tmp.file('broken.csv', 'a\n"1\n');
    expect((await previewConversion(broken, { input: { type: 'csv' }, output: { type: 'csv' } }, now)).errors).toEqual([
      `${broken} line 2, column 1 "a": a quoted value starts here and is never closed`,
    ]);
  });
});
