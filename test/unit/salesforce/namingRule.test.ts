import { describe, expect, it } from 'vitest';
import { TransferError } from '../../../src/connectors/errors.js';
import { parseNamingRule } from '../../../src/connectors/salesforce/namingRule.js';

function templateError(template: string): TransferError {
  try {
    parseNamingRule(template);
  } catch (e) {
    expect(e).toBeInstanceOf(TransferError);
    expect((e as TransferError).kind).toBe('config');
    expect((e as TransferError).message).toContain(template);
    return e as TransferError;
  }
  throw new Error(`expected ${template} to be refused`);
}

describe('parseNamingRule', () => {
  it('reads the account number from an invoice name, whatever the date style', () => {
    const rule = parseNamingRule('INV-{AccountNumber}-{date}.pdf');
    expect(rule.fields).toEqual(['AccountNumber']);
    expect(rule.match('INV-ACC-10001-2026-11-02.pdf')).toEqual({ AccountNumber: 'ACC-10001' });
    expect(rule.match('INV-ACC-10001-20261102.pdf')).toEqual({ AccountNumber: 'ACC-10001' });
    expect(rule.match('INV-ACC-10001-2026_11_02.pdf')).toEqual({ AccountNumber: 'ACC-10001' });
    expect(rule.describe()).toContain('INV-{AccountNumber}-{date}.pdf');
  });

  it('refuses dates that are not dates', () => {
    const rule = parseNamingRule('INV-{AccountNumber}-{date}.pdf');
    expect(rule.match('INV-ACC-1-2026-13-02.pdf')).toBeUndefined();
    expect(rule.match('INV-ACC-1-2026-11_02.pdf')).toBeUndefined();
    expect(rule.match('INV-ACC-1-26-11-02.pdf')).toBeUndefined();
  });

  it('ignores case in literal text, extensions included, and keeps the captured spelling', () => {
    const rule = parseNamingRule('INV-{AccountNumber}-{date}.pdf');
    expect(rule.match('inv-Acc-7-2026-01-31.PDF')).toEqual({ AccountNumber: 'Acc-7' });
  });

  it('takes the record from the first folder with {**}', () => {
    const rule = parseNamingRule('{AccountNumber}/{**}');
    expect(rule.fields).toEqual(['AccountNumber']);
    expect(rule.match('ACC-1/report.pdf')).toEqual({ AccountNumber: 'ACC-1' });
    expect(rule.match('ACC-1/2026/q1/report.pdf')).toEqual({ AccountNumber: 'ACC-1' });
    expect(rule.match('report.pdf')).toBeUndefined();
  });

  it('lets {**} between slashes stand for no folder at all', () => {
    const rule = parseNamingRule('{AccountNumber}/{**}/{*}.pdf');
    expect(rule.match('ACC-1/x.pdf')).toEqual({ AccountNumber: 'ACC-1' });
    expect(rule.match('ACC-1/a/b/x.pdf')).toEqual({ AccountNumber: 'ACC-1' });
    expect(rule.match('ACC-1/a/b/x.txt')).toBeUndefined();
    expect(parseNamingRule('{**}/{OrderNumber}.csv').match('in/2026/00000123.csv')).toEqual({ OrderNumber: '00000123' });
    expect(parseNamingRule('{**}/{OrderNumber}.csv').match('00000123.csv')).toEqual({ OrderNumber: '00000123' });
  });

  it('keeps fields and {*} within one folder level', () => {
    expect(parseNamingRule('{ProductCode}.pdf').match('a/b.pdf')).toBeUndefined();
    expect(parseNamingRule('{ProductCode}-{*}.pdf').match('P1-a/b.pdf')).toBeUndefined();
    expect(parseNamingRule('{ProductCode}-{*}.pdf').match('P1-.pdf')).toEqual({ ProductCode: 'P1' });
    expect(parseNamingRule('{ProductCode}-{**}.pdf').match('P1-a/b.pdf')).toEqual({ ProductCode: 'P1' });
  });

  it('captures several fields, a custom field and a number', () => {
    const rule = parseNamingRule('{Region__c}/ORD_{OrderNumber}_{number}_{Name}.xml');
    expect(rule.fields).toEqual(['Region__c', 'OrderNumber', 'Name']);
    expect(rule.match('EMEA/ORD_00012_7_Big_Deal.xml')).toEqual({
      Region__c: 'EMEA',
      OrderNumber: '00012',
      Name: 'Big_Deal',
    });
    expect(rule.match('EMEA/ORD_00012_x_Big.xml')).toBeUndefined();
  });

  it('requires a field used twice to carry the same value', () => {
    const rule = parseNamingRule('{AccountNumber}/{accountnumber}-{*}.pdf');
    expect(rule.fields).toEqual(['AccountNumber']);
    expect(rule.match('ACC-1/acc-1-offer.pdf')).toEqual({ AccountNumber: 'ACC-1' });
    expect(rule.match('ACC-1/ACC-2-offer.pdf')).toBeUndefined();
  });

  it('treats names of object properties as plain field names', () => {
    expect(parseNamingRule('{constructor}-{toString}.pdf').match('a-b.pdf')).toEqual({ constructor: 'a', toString: 'b' });
  });

  it('takes regular-expression characters literally', () => {
    const rule = parseNamingRule('[{Name}] (v1.0)+$.pdf');
    expect(rule.match('[Acme] (v1.0)+$.pdf')).toEqual({ Name: 'Acme' });
    expect(rule.match('[Acme] (v1x0)+$.pdf')).toBeUndefined();
  });

  it('compares composed and decomposed Unicode alike', () => {
    const rule = parseNamingRule('Müller-{AccountNumber}.pdf');
    expect(rule.match('Mu\u0308ller-ACC-5.pdf')).toEqual({ AccountNumber: 'ACC-5' });
    expect(rule.match('MÜLLER-ACC-5.pdf')).toEqual({ AccountNumber: 'ACC-5' });
  });

  it('matches the whole path only', () => {
    const rule = parseNamingRule('INV-{AccountNumber}.pdf');
    expect(rule.match('INV-ACC-1.pdf.bak')).toBeUndefined();
    expect(rule.match('old/INV-ACC-1.pdf')).toBeUndefined();
    expect(rule.match('INV-.pdf')).toBeUndefined();
  });

  // A backtracking matcher would not finish these within the test's time limit.
  it('answers names built to make a backtracking matcher explode', () => {
    const rule = parseNamingRule('{A}-{B}-{C}-{D}-{E}-{F}-{G}-{H}.pdf');
    const deep = parseNamingRule('{A}/{**}-{B}-{**}-{C}/{D}.pdf');
    expect(rule.match(`${'a-'.repeat(120)}a.txt`)).toBeUndefined();
    expect(deep.match(`x/${'a-/'.repeat(300)}a.txt`)).toBeUndefined();
    expect(rule.match(`${'a-'.repeat(120)}a.PDF`)).toMatchObject({ A: 'a', H: 'a-'.repeat(113) + 'a' });
  });

  it.each([
    ['', /empty/],
    ['{AccountNumber}{date}.pdf', /\{AccountNumber\} and \{date\} need text between them/],
    ['{*}{Name}.pdf', /need text between/],
    ['INV-{AccountNumber.pdf', /"\{" does not open or close/],
    ['INV-AccountNumber}.pdf', /"\}" does not open or close/],
    ['INV-{}.pdf', /neither a field name/],
    ['INV-{Account Number}.pdf', /neither a field name/],
    ['INV-{1Account}.pdf', /neither a field name/],
    ['INV-{***}.pdf', /neither a field name/],
    ['INV-{Date}-{Name}.pdf', /write \{date\} in lower case/],
    ['INV-{date}.pdf', /names no field/],
    ['/abs/{Name}.pdf', /relative/],
    ['dir\\{Name}.pdf', /separate folders with \//],
  ])('refuses %j', (template, reason) => {
    expect(templateError(template).message).toMatch(reason);
  });
});
