import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ValidationConfig } from '../../../src/validation/config.js';
import { createValidator } from '../../../src/validation/validateFile.js';
import { problems, ruleResult, Staging } from './staging.js';

type CsvOptions = NonNullable<ValidationConfig['csv']>;

describe('csv rule', () => {
  let staging: Staging;
  beforeEach(async () => {
    staging = await Staging.create();
  });
  afterEach(async () => {
    await staging.remove();
  });

  const orderColumns: CsvOptions['columns'] = [
    { name: 'id', type: 'integer', required: true },
    { name: 'qty', type: 'integer', required: true, min: 1, max: 1000 },
    { name: 'currency', enum: ['EUR', 'USD'] },
    { name: 'sku', pattern: '[A-Z]{3}-\\d{4}' },
  ];

  async function check(name: string, content: string | Uint8Array, csv: CsvOptions) {
    const file = await staging.file(name, content);
    const verdict = await createValidator({ csv }, { baseDir: staging.dir }).validate(file);
    return { verdict, csv: ruleResult(verdict, 'csv') };
  }

  it('passes a valid file and counts its data rows', async () => {
    const { verdict, csv } = await check('orders.csv', 'id,qty,currency,sku\n1,5,EUR,ABC-0001\n2,7,USD,XYZ-1234\n', { columns: orderColumns });
    expect(csv).toMatchObject({ passed: true, message: 'inbox/orders.csv: 2 data rows, all valid' });
    expect(verdict).toMatchObject({ passed: true, rows: 2, reason: undefined });
  });

  it('names a misspelt column twice: as missing and as unexpected', async () => {
    const { verdict, csv } = await check('orders.csv', 'id,quantity,currency,sku\n1,5,EUR,ABC-0001\n', { columns: orderColumns });
    expect(verdict.passed).toBe(false);
    expect(problems(csv)).toEqual([
      'inbox/orders.csv line 1: the required column "qty" is missing from the header',
      'inbox/orders.csv line 1, column 2: the column "quantity" is not expected (expected columns: id, qty, currency, sku)',
    ]);
    expect(verdict.reason).toBe(csv.message);
    expect(csv.message).toContain('"qty" is missing');
  });

  it('names the place of a column the header has twice', async () => {
    const { csv } = await check('orders.csv', 'id,qty,id\n1,5,1\n', {});
    expect(csv.message).toBe('inbox/orders.csv line 1, column 3: the column "id" appears more than once in the header');
  });

  it('matches columns by header name in any order, and lets optional columns be absent', async () => {
    const { csv } = await check('orders.csv', 'qty,id\n5,1\n', { columns: orderColumns });
    expect(csv.passed).toBe(true);
  });

  it('allows extra columns only when told to', async () => {
    const content = 'id,qty,note\n1,5,hello\n';
    expect((await check('a.csv', content, { columns: orderColumns })).csv.message).toMatch(/the column "note" is not expected/);
    expect((await check('b.csv', content, { columns: orderColumns, extraColumns: 'allow' })).csv.passed).toBe(true);
  });

  it('reports a bad value with its line number and column', async () => {
    const { csv } = await check('orders.csv', 'id,qty\n1,5\n2,abc\n3,4\n', { columns: orderColumns });
    expect(csv.passed).toBe(false);
    expect(csv.message).toBe('inbox/orders.csv line 3, column 2 "qty": "abc" is not an integer');
  });

  it('checks required values, ranges, enums and patterns, each with its line', async () => {
    const content = ['id,qty,currency,sku', '1,0,EUR,ABC-0001', '2,5,GBP,ABC-0002', '3,5,EUR,abc-1', ',5,USD,ABC-0003', '5,1001,EUR,ABC-0004'].join('\n');
    const { csv } = await check('orders.csv', content, { columns: orderColumns });
    expect(problems(csv)).toEqual([
      'inbox/orders.csv line 2, column 2 "qty": 0 is less than the minimum 1',
      'inbox/orders.csv line 3, column 3 "currency": "GBP" is not one of EUR, USD',
      'inbox/orders.csv line 4, column 4 "sku": "abc-1" does not match the pattern [A-Z]{3}-\\d{4}',
      'inbox/orders.csv line 5, column 1 "id": a value is required but the field is empty',
      'inbox/orders.csv line 6, column 2 "qty": 1001 is more than the maximum 1000',
    ]);
    expect(csv.message).toMatch(/ \(and 4 more problems\)$/);
    expect(csv.details).toMatchObject({ problemCount: 5, notListed: 0 });
  });

  it('takes a pattern as a full match, not a substring', async () => {
    const { csv } = await check('orders.csv', 'sku\nXABC-00012\n', { columns: [{ name: 'sku', pattern: '[A-Z]{3}-\\d{4}' }] });
    expect(csv.message).toContain('"XABC-00012" does not match');
  });

  it.each([
    ['yyyy-MM-dd', '2024-02-29', '2023-02-29'],
    ['dd.MM.yyyy', '31.12.2024', '31.11.2024'],
    ['yyyyMMdd', '20240131', '2024-01-31'],
    ["yyyy-MM-dd'T'HH:mm:ss", '2024-01-31T23:59:59', '2024-01-31T24:00:00'],
  ])('checks dates in the format %s', async (format, good, bad) => {
    const { csv } = await check('dates.csv', `day\n${good}\n${bad}\n`, { columns: [{ name: 'day', type: 'date', format }] });
    expect(problems(csv)).toEqual([`inbox/dates.csv line 3, column 1 "day": "${bad}" is not a valid date in the format ${format}`]);
  });

  it('takes yyyy-MM-dd when a date column names no format', async () => {
    const { csv } = await check('dates.csv', 'day\n2024-01-31\n31.01.2024\n', { columns: [{ name: 'day', type: 'date' }] });
    expect(csv.message).toBe('inbox/dates.csv line 3, column 1 "day": "31.01.2024" is not a valid date in the format yyyy-MM-dd');
  });

  it('checks decimals and booleans', async () => {
    const columns: CsvOptions['columns'] = [
      { name: 'amount', type: 'decimal', min: 0 },
      { name: 'paid', type: 'boolean' },
    ];
    const { csv } = await check('pay.csv', 'amount,paid\n12.50,true\n"1,5",no\n-0.01,maybe\n', { columns });
    expect(problems(csv)).toEqual([
      'inbox/pay.csv line 3, column 1 "amount": "1,5" is not a decimal number (digits with a dot as separator)',
      'inbox/pay.csv line 4, column 1 "amount": -0.01 is less than the minimum 0',
      'inbox/pay.csv line 4, column 2 "paid": "maybe" is not a boolean (true/false, yes/no, 1/0)',
    ]);
  });

  it('checks decimals written with a comma, as many partners write them', async () => {
    const columns: CsvOptions['columns'] = [{ name: 'Preis', type: 'decimal', decimalSeparator: ',', min: 1 }];
    const { csv } = await check('preise.csv', 'Preis\n1234,50\n12.50\n0,99\n', { delimiter: ';', columns });
    expect(problems(csv)).toEqual([
      'inbox/preise.csv line 3, column 1 "Preis": "12.50" is not a decimal number (digits with a comma as separator)',
      'inbox/preise.csv line 4, column 1 "Preis": 0,99 is less than the minimum 1',
    ]);
  });

  it('enforces the minimum and maximum number of data rows', async () => {
    const content = 'id\n1\n2\n3\n';
    expect((await check('a.csv', content, { minRows: 4 })).csv.message).toBe('inbox/a.csv: 3 data rows, fewer than the minimum of 4');
    expect((await check('b.csv', content, { maxRows: 2 })).csv.message).toBe('inbox/b.csv: 3 data rows, more than the maximum of 2');
    const within = await check('c.csv', content, { minRows: 3, maxRows: 3 });
    expect(within.csv.passed).toBe(true);
    expect(within.verdict.rows).toBe(3);
  });

  describe('trailer', () => {
    const trailer = { pattern: 'TRL\\|(?<count>\\d+)', count: 'count' };

    it('accepts a trailer whose count matches, and does not count it as a row', async () => {
      const { verdict, csv } = await check('t.csv', 'id,qty\n1,5\n2,6\nTRL|2\n', { columns: orderColumns, trailer });
      expect(csv.passed).toBe(true);
      expect(verdict.rows).toBe(2);
    });

    it('fails when the declared count differs from the data rows', async () => {
      const { csv } = await check('t.csv', 'id,qty\n1,5\n2,6\n3,7\nTRL|2\n', { columns: orderColumns, trailer });
      expect(csv.message).toBe('inbox/t.csv line 5: the trailer declares 2 data rows, but the file has 3');
    });

    it('fails when the last line is not a trailer, and checks that line as data', async () => {
      const { csv, verdict } = await check('t.csv', 'id,qty\n1,5\n2,x\n', { columns: orderColumns, trailer });
      expect(problems(csv)).toEqual([
        'inbox/t.csv line 3, column 2 "qty": "x" is not an integer',
        'inbox/t.csv line 3: the last line "2,x" does not match the trailer pattern TRL\\|(?<count>\\d+)',
      ]);
      expect(verdict.rows).toBe(2);
    });

    it('fails when the file ends after the header', async () => {
      const { csv } = await check('t.csv', 'id,qty\n', { trailer });
      expect(csv.message).toBe('inbox/t.csv: the trailer line is missing; the file has no line after the header');
    });
  });

  it('reads a semicolon-separated latin1 file through iconv', async () => {
    const content = iconv.encode('id;name;city\n1;Müller;Köln\n2;Weiß;Düsseldorf\n', 'latin1');
    const columns: CsvOptions['columns'] = [{ name: 'id', type: 'integer' }, { name: 'name', enum: ['Müller', 'Weiß'] }, { name: 'city' }];
    const latin1 = await check('kunden.csv', content, { delimiter: ';', encoding: 'latin1', columns });
    expect(latin1.csv.passed).toBe(true);
    expect(latin1.verdict.rows).toBe(2);

    const asUtf8 = await check('kunden2.csv', content, { delimiter: ';', columns });
    expect(problems(asUtf8.csv)[0]).toBe('inbox/kunden2.csv line 2, column 2 "name": contains bytes that are not valid utf-8');
  });

  it('matches columns by position when there is no header', async () => {
    const columns: CsvOptions['columns'] = [{ name: 'id', type: 'integer' }, { name: 'qty', type: 'integer' }];
    const { verdict, csv } = await check('n.csv', '1,5\n2,x\n3\n4,5,6\n', { header: false, columns });
    expect(problems(csv)).toEqual([
      'inbox/n.csv line 2, column 2 "qty": "x" is not an integer',
      'inbox/n.csv line 3: 1 field, expected 2',
      'inbox/n.csv line 4: 3 fields, but only 2 columns are defined',
    ]);
    expect(verdict.rows).toBe(4);
  });

  it('skips leading lines and keeps counting lines from the top of the file', async () => {
    const { csv } = await check('s.csv', 'EXPORT 2024-01-31\nsystem: ERP\nid,qty\n1,x\n', { skipLines: 2, columns: orderColumns });
    expect(csv.message).toBe('inbox/s.csv line 4, column 2 "qty": "x" is not an integer');
  });

  it('reports the line a record starts on when a quoted field spans lines', async () => {
    const { csv } = await check('m.csv', 'id,note\n1,"two\nlines"\n\nx,ok\n', { columns: [{ name: 'id', type: 'integer' }, { name: 'note' }] });
    expect(csv.message).toBe('inbox/m.csv line 5, column 1 "id": "x" is not an integer');
  });

  it('reports rows whose field count differs from the header', async () => {
    const { csv } = await check('f.csv', 'a,b,c\n1,2,3\n1,2\n', {});
    expect(csv.message).toBe('inbox/f.csv line 3: 2 fields, but the header has 3');
  });

  it('reports a quoted value that is never closed where it opens, and stops there', async () => {
    const { csv } = await check('q.csv', 'id,note\n1,ok\n\n2,"unterminated\n3,x\n', {});
    expect(csv.passed).toBe(false);
    expect(csv.message).toBe('inbox/q.csv line 4, column 2 "note": a quoted value starts here and is never closed; the rest of the file was not checked');
  });

  it('takes a quote inside an unquoted value as part of it, and still reads quoted values with doubled quotes', async () => {
    const content = 'Location,Coordinates\nSiena,37°36\'37.8"N\nDepot,12" pipe\nYard,"the ""big"" one, north"\n';
    const columns: CsvOptions['columns'] = [{ name: 'Location' }, { name: 'Coordinates', pattern: '37°36\'37\\.8"N|12" pipe|the "big" one, north' }];
    const { verdict, csv } = await check('location_coordinates.csv', content, { columns });
    expect(csv.message).toBe('inbox/location_coordinates.csv: 3 data rows, all valid');
    expect(verdict.rows).toBe(3);
  });

  it('counts a line break of two characters inside a quoted value as one line', async () => {
    const { csv } = await check('crlf.csv', 'id,note\r\n1,"two\r\nlines"\r\n\r\nx,ok\r\n', { columns: [{ name: 'id', type: 'integer' }, { name: 'note' }] });
    expect(csv.message).toBe('inbox/crlf.csv line 5, column 1 "id": "x" is not an integer');
  });

  it('reads lines ended by CRLF and by LF in one file, as the mapping does', async () => {
    const { verdict, csv } = await check('mixed.csv', 'id,qty\r\n1,5\n2,x\r\n3,4\n', { columns: orderColumns });
    expect(problems(csv)).toEqual(['inbox/mixed.csv line 3, column 2 "qty": "x" is not an integer']);
    expect(verdict.rows).toBe(3);
  });

  it('fails an empty file that should have a header', async () => {
    const { csv } = await check('e.csv', '', {});
    expect(csv.message).toBe('inbox/e.csv: the file is empty; a header line was expected');
  });

  it('lists the first 20 problems and counts the rest', async () => {
    const rows = Array.from({ length: 35 }, (_, i) => `${i + 1},bad`);
    const { csv } = await check('many.csv', `id,qty\n${rows.join('\n')}\n`, { columns: orderColumns });
    expect(problems(csv)).toHaveLength(20);
    expect(problems(csv)[19]).toBe('inbox/many.csv line 21, column 2 "qty": "bad" is not an integer');
    expect(csv.details).toMatchObject({ problemCount: 35, notListed: 15 });
    expect(csv.message).toBe('inbox/many.csv line 2, column 2 "qty": "bad" is not an integer (and 34 more problems)');
  });

  it('streams a large file row by row', async () => {
    const lines = ['id,qty'];
    for (let i = 1; i <= 200_000; i++) lines.push(`${i},${(i % 999) + 1}`);
    lines.push('200001,oops');
    const { verdict, csv } = await check('big.csv', `${lines.join('\r\n')}\r\n`, { columns: orderColumns });
    expect(verdict.rows).toBe(200_001);
    expect(csv.message).toBe('inbox/big.csv line 200002, column 2 "qty": "oops" is not an integer');
  });

  it('refuses column rules that cannot be applied when the validator is created', () => {
    const make = (csv: CsvOptions) => () => createValidator({ csv }, { baseDir: staging.dir });
    expect(make({ columns: [{ name: 'sku', pattern: '[A-Z' }] })).toThrow(/column pattern is not a valid regular expression/);
    expect(make({ columns: [{ name: 'd', type: 'date', format: 'YYYY-MM-DD' }] })).toThrow(/"YYYY" is not understood \(use yyyy for the year\)/);
    expect(make({ columns: [{ name: 'n', min: 1 }] })).toThrow(/min and max apply only to integer and decimal columns/);
    expect(make({ encoding: 'klingon-8' })).toThrow(/not a known character encoding/);
    expect(make({ trailer: { pattern: 'TRL\\|(\\d+)', count: 'count' } })).toThrow(/no capture group named "count"/);
    expect(make({ columns: [{ name: 'a' }, { name: 'a' }] })).toThrow(/column "a" is defined twice/);
  });
});
