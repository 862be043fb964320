import { describe, expect, it } from 'vitest';
import { checkTemplate, renderName, renderTemplate, templateVariables, TemplateError, type TemplateVars } from '../../../src/mapping/template.js';

const vars: TemplateVars = {
  name: 'INV-10001-20261120.pdf',
  relativePath: '2026/11/INV-10001-20261120.pdf',
  captures: { id: '10001', kind: ' Invoice Copy ' },
  record: { Account: 'ACME GmbH', Owner: 'Müller & Söhne' },
  fields: { Customer: 'C-77' },
  now: new Date('2026-11-20T03:04:05Z'),
  modifiedAt: new Date('2026-11-19T23:59:58Z'),
  counter: 7,
  run: 42,
};

describe('renderTemplate', () => {
  it('fills every placeholder', () => {
    expect(renderTemplate('{name}', vars)).toBe('INV-10001-20261120.pdf');
    expect(renderTemplate('{stem}_{counter:4}{ext}', vars)).toBe('INV-10001-20261120_0007.pdf');
    expect(renderTemplate('{dir}/{stem}', vars)).toBe('2026/11/INV-10001-20261120');
    expect(renderTemplate('{capture.id}-{id}', vars)).toBe('10001-10001');
    expect(renderTemplate('{record.Account}', vars)).toBe('ACME GmbH');
    expect(renderTemplate('{field.Customer}', vars)).toBe('C-77');
    expect(renderTemplate('{date}', vars)).toBe('2026-11-20');
    expect(renderTemplate('{date:yyyyMMdd-HHmmss}_{date:yy}', vars)).toBe('20261120-030405_26');
    expect(renderTemplate('{mtime:yyyy-MM-dd HH.mm.ss}', vars)).toBe('2026-11-19 23.59.58');
    expect(renderTemplate('{mtime}', vars)).toBe('2026-11-19');
    expect(renderTemplate('run-{run}-{counter}', vars)).toBe('run-42-7');
    expect(renderTemplate('{counter:3}', { ...vars, counter: 1234 })).toBe('1234');
    expect(renderTemplate("{date:yyyy'T'HH}", vars)).toBe('2026T03');
  });

  it('applies modifiers in order', () => {
    expect(renderTemplate('{record.Account|upper}', vars)).toBe('ACME GMBH');
    expect(renderTemplate('{record.Account|lower}', vars)).toBe('acme gmbh');
    expect(renderTemplate('[{kind|trim}]', vars)).toBe('[Invoice Copy]');
    expect(renderTemplate('{kind|slug}', vars)).toBe('Invoice-Copy');
    expect(renderTemplate('{record.Owner|slug|lower}', vars)).toBe('muller-sohne');
    expect(renderTemplate('{record.Deal|slug}', { ...vars, record: { Deal: 'Fabrikam Logistics - Fleet  Expansion -- 2' } })).toBe('Fabrikam-Logistics-Fleet-Expansion-2');
  });

  it('keeps {{ and }} as literal braces', () => {
    expect(renderTemplate('{{x}}-{id}', vars)).toBe('{x}-10001');
    expect(renderTemplate('{{{id}}}', vars)).toBe('{10001}');
  });

  it('knows name parts without extension or folder', () => {
    const plain: TemplateVars = { name: 'README', now: vars.now };
    expect(renderTemplate('{stem}|{ext}|', plain).split('|')).toEqual(['README', '', '']);
    expect(renderTemplate('{ext}', { ...plain, name: 'a.tar.gz' })).toBe('.gz');
    expect(renderTemplate('{stem}', { ...plain, name: '.profile' })).toBe('.profile');
    expect(renderTemplate('{dir}/{name}', { ...plain, relativePath: 'README' })).toBe('README');
    expect(renderTemplate('out/{dir}/{name}', { ...plain, relativePath: 'README' })).toBe('out/README');
    expect(renderTemplate('processed/{dir}', { ...plain, relativePath: 'README' })).toBe('processed');
  });

  it('formats dates in the run time zone', () => {
    const ny: TemplateVars = { ...vars, timeZone: 'America/New_York' };
    // 03:04 UTC is still the previous evening in New York (EST, UTC-5).
    expect(renderTemplate('{date:yyyy-MM-dd HH.mm}', ny)).toBe('2026-11-19 22.04');
    expect(renderTemplate('{date:yyyy-MM-dd HH.mm}', { ...ny, now: new Date('2026-11-20T05:00:00Z') })).toBe('2026-11-20 00.00');
    // Summer time: UTC-4.
    expect(renderTemplate('{date:yyyyMMddHH}', { ...ny, now: new Date('2026-07-01T02:30:00Z') })).toBe('2026063022');
    expect(renderTemplate('{mtime:dd HH}', { ...vars, timeZone: 'Europe/Berlin' })).toBe('20 00');
    expect(() => renderTemplate('{date}', { ...vars, timeZone: 'Mars/Olympus' })).toThrow(TemplateError);
  });

  it('never lets a value leave the target folder', () => {
    const evil = (id: string): TemplateVars => ({ ...vars, captures: { id } });
    expect(renderTemplate('{id}', evil('../../etc/passwd'))).toBe('.._.._etc_passwd');
    expect(renderTemplate('in/{name}', { ...vars, name: '..\\..\\boot.ini' })).toBe('in/.._.._boot.ini');
    expect(renderTemplate('{record.Account}', { ...vars, record: { Account: 'a/b' } })).toBe('a_b');
    expect(() => renderTemplate('{id}/x', evil('..'))).toThrow(/"\.\." segment: a rendered path must stay inside the target folder/);
    expect(() => renderTemplate('{id}', evil('a\nb'))).toThrow(/control character/);
    expect(() => renderTemplate('{id}', evil('a\u0000b'))).toThrow(/control character/);
    expect(() => renderTemplate('x/{id}', evil(''))).toThrow(/empty path segment/);
    expect(() => renderTemplate('{dir}/{name}', { ...vars, relativePath: '../up/x.pdf' })).toThrow(TemplateError);
  });

  it('refuses templates that escape by themselves', () => {
    expect(() => renderTemplate('../x', vars)).toThrow(/"\.\." segment/);
    expect(() => renderTemplate('/etc/{name}', vars)).toThrow(/is absolute/);
    expect(() => renderTemplate('C:/x/{name}', vars)).toThrow(/is absolute/);
    expect(() => renderTemplate('a\\{name}', vars)).toThrow(/backslash/);
    expect(() => renderTemplate('a//{name}', vars)).toThrow(/empty path segment/);
    expect(() => renderTemplate('a/./{name}', vars)).toThrow(/"\." segment/);
  });

  it('names the placeholder and template when a value is missing', () => {
    expect(() => renderTemplate('{capture.po}-{name}', vars)).toThrow(
      new TemplateError('Template "{capture.po}-{name}" has no value for {capture.po}'),
    );
    expect(() => renderTemplate('{po}', { ...vars, captures: undefined })).toThrow(/no value for \{po\}/);
    expect(() => renderTemplate('{record.Missing}', vars)).toThrow(/no value for \{record.Missing\}/);
    expect(() => renderTemplate('{field.X}', { name: 'a', now: vars.now })).toThrow(/no value for \{field.X\}/);
    expect(() => renderTemplate('{mtime:yyyy}', { name: 'a', now: vars.now })).toThrow(/no value for \{mtime:yyyy\}/);
    expect(() => renderTemplate('{counter:4}', { name: 'a', now: vars.now })).toThrow(/no value for \{counter:4\}/);
    expect(() => renderTemplate('{run}', { name: 'a', now: vars.now })).toThrow(/no value for \{run\}/);
  });
});

describe('renderName', () => {
  const long: TemplateVars = { name: `${'a'.repeat(200)}.csv`, now: vars.now };

  it('renders a name of up to 255 bytes, each folder counted on its own', () => {
    expect(renderName('{stem}-{stem|upper}.csv', { ...long, name: `${'a'.repeat(125)}.csv` })).toHaveLength(255);
    expect(renderName('{stem}/{stem}{ext}', long)).toBe(`${'a'.repeat(200)}/${'a'.repeat(200)}.csv`);
  });

  it('refuses a longer name, counting UTF-8 bytes, and shows it shortened with the limit', () => {
    const error = (() => {
      try {
        return renderName('{stem}-copy-{stem}{ext}', long);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).message).toBe(
      `Template "{stem}-copy-{stem}{ext}" renders the name "${'a'.repeat(40)}…${'a'.repeat(15)}.csv" of 410 bytes; a name may have at most 255 bytes`,
    );
    // 128 characters, but 256 bytes.
    expect(() => renderName('{stem}', { name: 'ü'.repeat(128), now: vars.now })).toThrow(/of 256 bytes; a name may have at most 255 bytes/);
    expect(() => renderName('in/{stem}-{stem}/{name}', long)).toThrow(/renders the name "a+…a+" of 401 bytes/);
  });
});

describe('checkTemplate and templateVariables', () => {
  it('accepts good templates, including folder locations', () => {
    expect(checkTemplate('{stem}_{date:yyyyMMdd}{ext}')).toBeUndefined();
    expect(checkTemplate('/in/{capture.type}/')).toBeUndefined();
    expect(checkTemplate('{{literal}}')).toBeUndefined();
  });

  it('explains what is wrong', () => {
    expect(checkTemplate('{name')).toMatch(/unbalanced braces/);
    expect(checkTemplate('name}')).toMatch(/unbalanced braces/);
    expect(checkTemplate('{a{b}}')).toMatch(/unbalanced braces/);
    expect(checkTemplate('{}')).toMatch(/empty placeholder/);
    expect(checkTemplate('{foo.bar}')).toMatch(/unknown variable "foo.bar"/);
    expect(checkTemplate('{my-capture}')).toMatch(/unknown variable/);
    expect(checkTemplate('{record.}')).toMatch(/unknown variable/);
    expect(checkTemplate('{date:YYYY-MM-DD}')).toMatch(/unknown date token "YYYY"/);
    expect(checkTemplate('{date:}')).toMatch(/empty format/);
    expect(checkTemplate('{counter:x}')).toMatch(/bad counter width/);
    expect(checkTemplate('{name:yyyy}')).toMatch(/takes no format/);
    expect(checkTemplate('{name|shout}')).toMatch(/unknown modifier "\|shout"/);
    expect(checkTemplate('../{name}')).toMatch(/"\.\." segment/);
    expect(checkTemplate('a\\{name}')).toMatch(/backslash/);
  });

  it('lists the variables a template uses, captures by their full name', () => {
    expect(templateVariables('{stem}-{id}/{record.A|upper}{date:yy}{capture.id}{field.B}')).toEqual([
      'stem', 'capture.id', 'record.A', 'date', 'field.B',
    ]);
    expect(() => templateVariables('{oops')).toThrow(TemplateError);
  });
});
