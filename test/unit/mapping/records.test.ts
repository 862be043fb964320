import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatSpecSchema, type FormatSpec } from '../../../src/mapping/format.js';
import { FormatError, readRecords, writeRecords, type Row } from '../../../src/mapping/records.js';
import { collect, collector, scratch, type Scratch } from './files.js';

const now = new Date('2026-11-20T10:00:00Z');

async function written(rows: Row[], spec: FormatSpec): Promise<Buffer> {
  const out = collector();
  await writeRecords(rows, spec, out.stream, { now });
  return out.bytes();
}

let tmp: Scratch;
beforeEach(async () => {
  tmp = await scratch();
});
afterEach(async () => {
  await tmp.remove();
});

describe('CSV', () => {
  it('reads any delimiter, quoting and encoding', async () => {
    const path = await tmp.file('in.csv', Buffer.from('Name;City;Note\r\nMüller;Köln;"a ""b""; c"\r\n\r\nSmith, Jr;Zürich;"two\r\nlines"\r\n', 'latin1'));
    const rows = await collect(readRecords(path, { type: 'csv', delimiter: ';', encoding: 'latin1' }));
    expect(rows).toEqual([
      { Name: 'Müller', City: 'Köln', Note: 'a "b"; c' },
      { Name: 'Smith, Jr', City: 'Zürich', Note: 'two\r\nlines' },
    ]);
  });

  it('drops a UTF-8 byte order mark and names headerless columns', async () => {
    const bom = await tmp.file('bom.csv', Buffer.from('\ufeffid,n\n1,a\n', 'utf8'));
    expect(await collect(readRecords(bom, { type: 'csv' }))).toEqual([{ id: '1', n: 'a' }]);
    const bare = await tmp.file('bare.csv', 'x|1\ny|2\n');
    expect(await collect(readRecords(bare, { type: 'csv', delimiter: '|', header: false }))).toEqual([
      { 1: 'x', 2: '1' },
      { 1: 'y', 2: '2' },
    ]);
    expect(await collect(readRecords(bare, { type: 'csv', delimiter: '|', header: false, columns: ['k', 'v'] }))).toEqual([
      { k: 'x', v: '1' },
      { k: 'y', v: '2' },
    ]);
  });

  it('skips header lines and drops a trailer only when a pattern says so', async () => {
    const path = await tmp.file('t.csv', 'HDR 20261120\na,b\n1,2\nTRL,1\n');
    expect(await collect(readRecords(path, { type: 'csv', skipLines: 1, trailerPattern: '^TRL|^TRAILER' }))).toEqual([{ a: '1', b: '2' }]);
    expect(await collect(readRecords(path, { type: 'csv', headerLines: ['HDR {date:yyyyMMdd}'] }))).toEqual([
      { a: '1', b: '2' },
      { a: 'TRL', b: '1' },
    ]);
  });

  it('reports an unclosed quote at the line and column where it opens', async () => {
    const path = await tmp.file('bad.csv', 'a,b\n1,2\n\n3,"4\n5,6\n7,8\n');
    const error = await collect(readRecords(path, { type: 'csv' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect((error as FormatError).message).toBe(`${path} line 4, column 2 "b": a quoted value starts here and is never closed`);
    expect((error as FormatError).line).toBe(4);
  });

  it('takes a quote inside an unquoted value as part of it, and still reads quoted values with doubled quotes', async () => {
    const path = await tmp.file('location_coordinates.csv', 'Location,Coordinates\nSiena,37°36\'37.8"N\nDepot,12" pipe\nYard,"the ""big"" one, north"\n');
    expect(await collect(readRecords(path, { type: 'csv' }))).toEqual([
      { Location: 'Siena', Coordinates: '37°36\'37.8"N' },
      { Location: 'Depot', Coordinates: '12" pipe' },
      { Location: 'Yard', Coordinates: 'the "big" one, north' },
    ]);
  });

  it('refuses rows with the wrong number of fields, naming the line they start on', async () => {
    const path = await tmp.file('ragged.csv', 'a,b\r\n1,"two\r\nlines"\r\n3,4,5\r\n');
    await expect(collect(readRecords(path, { type: 'csv' }))).rejects.toThrow(`${path} line 4: 3 fields, expected 2 (a, b)`);
    const twice = await tmp.file('twice.csv', 'a,b,a\n1,2,3\n');
    await expect(collect(readRecords(twice, { type: 'csv' }))).rejects.toThrow(`${twice} line 1, column 3: the column "a" appears more than once in the header`);
    await expect(collect(readRecords(`${tmp.dir}/none.csv`, { type: 'csv' }))).rejects.toThrow(/ENOENT/);
  });

  it('writes RFC 4180 by default: CRLF, quotes only where needed', async () => {
    const rows = [{ id: '1', text: 'plain' }, { id: '2', text: 'has, comma "and quote"\nand line' }];
    expect((await written(rows, { type: 'csv' })).toString('utf8')).toBe(
      'id,text\r\n1,plain\r\n2,"has, comma ""and quote""\nand line"\r\n',
    );
  });

  it('writes exactly what a partner asks for', async () => {
    const spec: FormatSpec = {
      type: 'csv', delimiter: ';', quoteAll: true, lineEnding: 'lf', columns: ['b', 'a'],
      headerLines: ['H;{date:yyyyMMdd}'], trailer: 'T;{rows:4}',
    };
    const rows: Row[] = [{ a: '1', b: 'x', ignored: 'y' }, { a: '', b: 'z' }];
    expect((await written(rows, spec)).toString('utf8')).toBe('H;20261120\n"b";"a"\n"x";"1"\n"z";""\nT;0002\n');
    expect((await written([], spec)).toString('utf8')).toBe('H;20261120\n"b";"a"\nT;0000\n');
    expect((await written([{ a: '1' }], { type: 'csv', header: false, quote: '' })).toString('utf8')).toBe('1\r\n');
    await expect(written([{ a: '1;2' }], { type: 'csv', delimiter: ';', quote: '' })).rejects.toThrow(
      'Row 1: field "a" contains the delimiter or a line break, and quoting is off',
    );
    await expect(written([{ a: '1' }, { a: '2', b: '3' }], { type: 'csv' })).rejects.toThrow('Row 2: column "b" is not in the header (a)');
  });

  it('encodes byte-exactly and refuses characters the encoding lacks', async () => {
    const rows = [{ Item: '€ 5', Name: 'Grüße' }];
    expect(await written(rows, { type: 'csv', encoding: 'windows-1252', lineEnding: 'lf' })).toEqual(
      Buffer.from([...Buffer.from('Item,Name\n'), 0x80, ...Buffer.from(' 5,Gr'), 0xfc, 0xdf, ...Buffer.from('e\n')]),
    );
    expect(await written([{ Name: 'ü' }], { type: 'csv', encoding: 'latin1', header: false, lineEnding: 'lf' })).toEqual(
      Buffer.from([0xfc, 0x0a]),
    );
    await expect(written(rows, { type: 'csv', encoding: 'latin1' })).rejects.toThrow('Row 1: field "Item" has "€", which latin1 cannot represent');
    expect(await written([{ a: 'ü' }], { type: 'csv', bom: true, lineEnding: 'lf' })).toEqual(
      Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x0a, 0xc3, 0xbc, 0x0a]),
    );
    expect(await written([{ a: 'ü' }], { type: 'csv', encoding: 'utf-16le', bom: true, header: false, lineEnding: 'lf' })).toEqual(
      Buffer.from([0xff, 0xfe, 0xfc, 0x00, 0x0a, 0x00]),
    );
  });
});

describe('fixed width', () => {
  const spec: FormatSpec = {
    type: 'fixed',
    fields: [
      { name: 'id', width: 4 },
      { name: 'name', width: 8 },
      { name: 'amount', width: 7, align: 'right', pad: '0' },
    ],
    header: ['HDR{date:yyyyMMdd}'],
    trailer: 'TRL{rows:3}',
    trailerPattern: '^TRL',
  };

  it('pads, aligns and frames the rows', async () => {
    const rows = [{ id: '1', name: 'Ümit', amount: '1250' }, { id: '22', name: '', amount: '-35' }, { id: '3', name: 'Zero', amount: '0' }];
    expect((await written(rows, spec)).toString('utf8')).toBe(
      'HDR20261120\r\n1   Ümit    0001250\r\n22          -000035\r\n3   Zero    0000000\r\nTRL003\r\n',
    );
  });

  it('reads what it writes', async () => {
    const path = await tmp.file('in.txt', 'HDR20261120\r\n1   Ümit    0001250\r\n22          -000035\r\n3   Zero    0000000\r\n\r\nTRL003\r\n');
    expect(await collect(readRecords(path, spec))).toEqual([
      { id: '1', name: 'Ümit', amount: '1250' },
      { id: '22', name: '', amount: '-35' },
      { id: '3', name: 'Zero', amount: '0' },
    ]);
  });

  it('reads short lines as empty fields and refuses long ones', async () => {
    const path = await tmp.file('short.txt', '7   ab\n');
    const plain: FormatSpec = { type: 'fixed', fields: [{ name: 'id', width: 4 }, { name: 'name', width: 8 }] };
    expect(await collect(readRecords(path, plain))).toEqual([{ id: '7', name: 'ab' }]);
    const long = await tmp.file('long.txt', '7   abcdefghX\n');
    await expect(collect(readRecords(long, plain))).rejects.toThrow(`${long}: line 1 is 13 characters, the fields cover 12`);
  });

  it('never truncates: an over-long value names the field and row', async () => {
    const rows = [{ id: '1', name: 'ok', amount: '1' }, { id: '2', name: 'Much too long', amount: '1' }];
    await expect(written(rows, spec)).rejects.toThrow('Row 2: field "name" value "Much too long" is 13 characters, wider than its 8');
    await expect(written([{ id: '1', name: 'a\nb', amount: '' }], spec)).rejects.toThrow(/Row 1: field "name" contains a line break/);
  });
});

describe('JSON', () => {
  it('reads records at a dot path and flattens nested objects', async () => {
    const doc = { data: { items: [{ id: 1, customer: { name: 'ACME', vip: true }, amount: '12.50', tags: ['a'], note: null }] } };
    const path = await tmp.file('in.json', JSON.stringify(doc));
    expect(await collect(readRecords(path, { type: 'json', records: 'data.items' }))).toEqual([
      { id: '1', 'customer.name': 'ACME', 'customer.vip': 'true', amount: '12.50', tags: '["a"]', note: '' },
    ]);
    await expect(collect(readRecords(path, { type: 'json', records: 'data.rows' }))).rejects.toThrow('the document has no "data.rows"');
    await expect(collect(readRecords(path, { type: 'json' }))).rejects.toThrow('is not an array of records');
    const broken = await tmp.file('broken.json', '{"a":');
    await expect(collect(readRecords(broken, { type: 'json' }))).rejects.toThrow(/not valid JSON/);
  });

  it('writes compact or pretty, inside the records path', async () => {
    const rows = [{ id: '1', name: 'a"b' }, { id: '2', name: 'ü' }];
    expect((await written(rows, { type: 'json' })).toString()).toBe('[{"id":"1","name":"a\\"b"},{"id":"2","name":"ü"}]\n');
    expect((await written(rows, { type: 'json', records: 'data.items', pretty: true })).toString()).toBe(
      '{\n  "data": {\n    "items": [\n      {\n        "id": "1",\n        "name": "a\\"b"\n      },\n' +
        '      {\n        "id": "2",\n        "name": "ü"\n      }\n    ]\n  }\n}\n',
    );
    expect((await written([], { type: 'json', records: 'items', pretty: true })).toString()).toBe('{\n  "items": []\n}\n');
  });
});

describe('XML', () => {
  it('reads record elements under the root, values as text, attributes as @fields', async () => {
    const path = await tmp.file('in.xml', '<?xml version="1.0"?>\n<Orders><Order no="7"><Sku>00123</Sku><Note/><Text>a &amp; b</Text></Order></Orders>');
    expect(await collect(readRecords(path, { type: 'xml', root: 'Orders', record: 'Order' }))).toEqual([
      { Sku: '00123', Note: '', Text: 'a & b', '@no': '7' },
    ]);
    const empty = await tmp.file('empty.xml', '<Orders/>');
    expect(await collect(readRecords(empty, { type: 'xml', root: 'Orders', record: 'Order' }))).toEqual([]);
    await expect(collect(readRecords(path, { type: 'xml', root: 'Invoices', record: 'Invoice' }))).rejects.toThrow(
      'the document element is not <Invoices>',
    );
    const broken = await tmp.file('broken.xml', '<Orders>\n<Order></Orders>');
    await expect(collect(readRecords(broken, { type: 'xml', root: 'Orders', record: 'Order' }))).rejects.toThrow(/line 2: not valid XML/);
  });

  it('writes escaped, indented records', async () => {
    const rows = [{ '@no': '1', Name: 'A & B', Note: 'x<y\nz' }];
    expect((await written(rows, { type: 'xml', root: 'Orders', record: 'Order', encoding: 'windows-1252' })).toString('latin1')).toBe(
      '<?xml version="1.0" encoding="windows-1252"?>\n<Orders>\n  <Order no="1">\n    <Name>A &amp; B</Name>\n    <Note>x&lt;y\nz</Note>\n  </Order>\n</Orders>\n',
    );
    expect((await written([], { type: 'xml', root: 'R', record: 'I', declaration: false })).toString()).toBe('<R>\n</R>\n');
    await expect(written([{ 'Invoice No': '1' }], { type: 'xml', root: 'R', record: 'I' })).rejects.toThrow(
      'Row 1: field "Invoice No" is not a valid XML name',
    );
  });
});

describe('format specs', () => {
  it('are strict and checked', () => {
    expect(formatSpecSchema.safeParse({ type: 'csv', delimiter: ';', trailer: 'TRL{rows}' }).success).toBe(true);
    expect(formatSpecSchema.safeParse({ type: 'csv', delimiter: ';', unknown: 1 }).success).toBe(false);
    expect(formatSpecSchema.safeParse({ type: 'csv', encoding: 'klingon' }).success).toBe(false);
    expect(formatSpecSchema.safeParse({ type: 'csv', headerLines: ['{rows}'] }).success).toBe(false);
    expect(formatSpecSchema.safeParse({ type: 'csv', trailer: '{date:DD}' }).success).toBe(false);
    expect(formatSpecSchema.safeParse({ type: 'csv', trailerPattern: '(' }).success).toBe(false);
    expect(formatSpecSchema.safeParse({ type: 'csv', encoding: 'windows-1252', bom: true }).success).toBe(false);
    expect(formatSpecSchema.safeParse({ type: 'fixed', fields: [{ name: 'a', width: 0 }] }).success).toBe(false);
    expect(formatSpecSchema.safeParse({ type: 'fixed', fields: [{ name: 'a', width: 1 }, { name: 'a', width: 2 }] }).success).toBe(false);
    expect(formatSpecSchema.safeParse({ type: 'xml', root: 'a b', record: 'r' }).success).toBe(false);
    expect(formatSpecSchema.safeParse({ type: 'yaml' }).success).toBe(false);
  });
});
