import { describe, expect, it } from 'vitest';
import { compileMapping, fieldMappingSchema, MappingError, type FieldMapping, type Transform } from '../../../src/mapping/fieldMapping.js';

const now = new Date('2026-11-20T03:00:00Z');

/** Maps one value through one field with the given transforms. */
function through(value: string, transforms: Transform[], extra: Partial<FieldMapping['fields'][number]> = {}, lookups?: FieldMapping['lookups']): string {
  const map = compileMapping({ fields: [{ to: 'out', from: 'in', transforms, ...extra }], lookups }, { now });
  return map({ in: value }, 1).out ?? '';
}

function failure(run: () => unknown): MappingError {
  try {
    run();
  } catch (error) {
    if (error instanceof MappingError) return error;
    throw error;
  }
  throw new Error('expected a MappingError');
}

describe('numbers', () => {
  const german = { number: { decimalSeparator: ',', thousandsSeparator: '.' } } as const;

  it('normalise separators without touching the digits', () => {
    expect(through('1.234,50', [german])).toBe('1234.50');
    expect(through(' -1.234.567,0 ', [german])).toBe('-1234567.0');
    expect(through('123,45-', [german])).toBe('-123.45');
    expect(through('0012', [{ number: {} }])).toBe('12');
    expect(through('1 234,5', [{ number: { decimalSeparator: ',', thousandsSeparator: ' ' } }])).toBe('1234.5');
    expect(through('1\u00a0234,5', [{ number: { decimalSeparator: ',', thousandsSeparator: ' ' } }])).toBe('1234.5');
    expect(through('12345678901234567890.5', [{ number: {} }])).toBe('12345678901234567890.5');
    expect(through('', [german])).toBe('');
  });

  it('round half away from zero with no float artefacts', () => {
    const two = { number: { decimals: 2 } };
    expect(through('1.005', [two])).toBe('1.01');
    expect(through('2.675', [two])).toBe('2.68');
    expect(through('-2.675', [two])).toBe('-2.68');
    expect(through('999.995', [two])).toBe('1000.00');
    expect(through('-0.004', [two])).toBe('0.00');
    expect(through('0.1', [{ number: { decimals: 0 } }])).toBe('0');
    expect(through('2.5', [{ number: { decimals: 0 } }])).toBe('3');
    expect(through('12', [{ number: { decimals: 2, outputDecimalSeparator: ',' } }])).toBe('12,00');
    expect(through('1.234,565', [{ number: { ...german.number, decimals: 2 } }])).toBe('1234.57');
  });

  it('refuse what is not a number in the stated format', () => {
    expect(() => through('1.2.3', [german])).toThrow(MappingError);
    expect(() => through('12abc', [german])).toThrow('Row 1, field "out": "12abc" is not a number (decimal separator ",", thousands separator ".")');
    expect(() => through('1,234.50', [german])).toThrow(MappingError);
    expect(() => through('-', [german])).toThrow(MappingError);
  });
});

describe('dates', () => {
  it('reformat and refuse impossible dates', () => {
    const de = { date: { from: 'dd.MM.yyyy', to: 'yyyy-MM-dd' } };
    expect(through('20.11.2026', [de])).toBe('2026-11-20');
    expect(through('29.02.2028', [de])).toBe('2028-02-29');
    expect(through('261120', [{ date: { from: 'yyMMdd', to: 'dd/MM/yyyy' } }])).toBe('20/11/2026');
    expect(through('2026-11-20T13:45:00', [{ date: { from: "yyyy-MM-dd'T'HH:mm:ss", to: 'yyyyMMddHHmm' } }])).toBe('202611201345');
    const bad = failure(() => compileMapping({ fields: [{ to: 'Due', from: 'd', transforms: [de] }] })({ d: '31.02.2026' }, 7));
    expect(bad.message).toBe('Row 7, field "Due": "31.02.2026" is not a date in the format "dd.MM.yyyy"');
    expect(bad).toMatchObject({ rowNumber: 7, field: 'Due', value: '31.02.2026' });
    expect(() => through('2026-11-20', [de])).toThrow(/not a date/);
  });
});

describe('lookups', () => {
  const lookups = { country: { Deutschland: 'DE', Österreich: 'AT' } };

  it('map values and fall back as told', () => {
    expect(through('Österreich', [{ lookup: 'country' }], {}, lookups)).toBe('AT');
    expect(through('France', [{ lookup: 'country', fallback: 'keep' }], {}, lookups)).toBe('France');
    expect(through('France', [{ lookup: 'country', fallback: 'default' }, 'lower'], { default: 'XX' }, lookups)).toBe('XX');
    expect(() => through('France', [{ lookup: 'country', fallback: 'error' }], {}, lookups)).toThrow(
      'Row 1, field "out": "France" is not in the lookup table "country"',
    );
    // Error is the default: an unmapped partner code must not slip through unnoticed.
    expect(() => through('France', [{ lookup: 'country' }], {}, lookups)).toThrow(MappingError);
  });
});

describe('text transforms', () => {
  it('apply in order', () => {
    expect(through('  aBc ', ['trim', 'upper'])).toBe('ABC');
    expect(through('ÄBC', ['lower'])).toBe('äbc');
    expect(through('jean-luc mÜLLER', ['title'])).toBe('Jean-Luc Müller');
    expect(through('42', [{ pad: { width: 6, char: '0' } }])).toBe('000042');
    expect(through('ab', [{ pad: { width: 4, side: 'right' } }])).toBe('ab  ');
    expect(through('abcdef', [{ pad: { width: 3 } }])).toBe('abcdef');
    expect(through('Grüße aus Köln', [{ truncate: 5 }])).toBe('Grüße');
    expect(through('DE-123-45', [{ replace: { pattern: '^([A-Z]{2})-(\\d+)-(\\d+)$', with: '$2$3$1' } }])).toBe('12345DE');
    expect(through('a.b.c', [{ replace: { pattern: '\\.', with: '' } }])).toBe('abc');
  });
});

describe('fields', () => {
  it('come from a column, a template over the row, or a default', () => {
    const map = compileMapping(
      {
        fields: [
          { to: 'Name', value: '{First} {Last|upper}' },
          { to: 'Stamp', value: '{date:yyyyMMdd}-{field.date}' },
          { to: 'Country', from: 'Land', default: 'DE' },
          { to: 'Note', from: 'Missing' },
          { to: 'Fixed', default: 'F' },
        ],
      },
      { now, timeZone: 'America/New_York' },
    );
    expect(map({ First: 'Ada', Last: 'Lovelace', date: 'x', Land: ' ' }, 1)).toEqual({
      Name: 'Ada LOVELACE', Stamp: '20261119-x', Country: 'DE', Note: '', Fixed: 'F',
    });
    expect(Object.keys(map({}, 1))).toEqual(['Name', 'Stamp', 'Country', 'Note', 'Fixed']);
  });

  it('report a required value that is missing, naming the row', () => {
    const map = compileMapping({ fields: [{ to: 'InvoiceNo', from: 'Nr', transforms: ['trim'], required: true }] });
    expect(map({ Nr: ' 10001 ' }, 3)).toEqual({ InvoiceNo: '10001' });
    const error = failure(() => map({ Nr: '   ' }, 4));
    expect(error.message).toBe('Row 4, field "InvoiceNo": "   " is required but empty');
    expect(error.rowNumber).toBe(4);
  });
});

describe('fieldMappingSchema', () => {
  it('is strict and checks references', () => {
    const ok = { fields: [{ to: 'a', from: 'b', transforms: ['trim', { lookup: 't', fallback: 'keep' }] }], lookups: { t: { x: 'y' } } };
    expect(fieldMappingSchema.safeParse(ok).success).toBe(true);
    const issues = (value: unknown): string[] => {
      const result = fieldMappingSchema.safeParse(value);
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ fields: [{ to: 'a', transforms: [{ lookup: 'nope' }] }] })).toEqual(['fields.0.transforms.0.lookup: no lookup table "nope"']);
    expect(issues({ fields: [{ to: 'a', transforms: [{ lookup: 't', fallback: 'default' }] }], lookups: { t: {} } })).toEqual([
      'fields.0.transforms.0.lookup: fallback "default" needs a default on the field',
    ]);
    expect(issues({ fields: [{ to: 'a' }, { to: 'a' }] })).toEqual(['fields.1.to: "a" is mapped twice']);
    expect(issues({ fields: [{ to: 'a', from: 'b', value: '{c}' }] })).toEqual(['fields.0: use either `from` or `value`, not both']);
    expect(issues({ fields: [{ to: 'a', from: 'b', colour: 'red' }] })).toHaveLength(1);
    expect(issues({ fields: [{ to: 'a', value: '{date:DD}' }] })[0]).toMatch(/unknown date token "DD"/);
    expect(issues({ fields: [{ to: 'a', transforms: [{ date: { from: 'dd.mm.YYYY', to: 'yyyy' } }] }] })[0]).toMatch(/unknown date token/);
    expect(issues({ fields: [{ to: 'a', transforms: [{ number: { decimalSeparator: '.', thousandsSeparator: '.' } }] }] })).toHaveLength(1);
    expect(issues({ fields: [{ to: 'a', transforms: [{ replace: { pattern: '(', with: '' } }] }] })).toHaveLength(1);
    expect(issues({ fields: [{ to: 'a', transforms: ['shout'] }] })).toHaveLength(1);
    expect(issues({ fields: [] })).toHaveLength(1);
  });
});
