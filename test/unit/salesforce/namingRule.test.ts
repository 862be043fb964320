import { describe, expect, it } from 'vitest';
import { TransferError } from '../../../src/connectors/errors.js';
import { parseNamingRule, type NamingRule } from '../../../src/connectors/salesforce/namingRule.js';

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

/** Why `path` cannot be looked up by `rule`; fails the test when it can. */
function refusal(rule: NamingRule, path: string): string {
  const readings = rule.readings(path);
  if (!(readings instanceof TransferError)) throw new Error(`expected ${path} to be refused, got ${JSON.stringify(readings)}`);
  expect(readings.kind).toBe('validation');
  expect(readings.path).toBe(path);
  expect(readings.message).toContain(path);
  return readings.message;
}

describe('parseNamingRule', () => {
  it('reads the account number from an invoice name, whatever the date style', () => {
    const rule = parseNamingRule('INV-{AccountNumber}-{date}.pdf');
    expect(rule.fields).toEqual(['AccountNumber']);
    expect(rule.readings('INV-ACC-10001-2026-11-02.pdf')).toEqual([{ AccountNumber: 'ACC-10001' }]);
    expect(rule.readings('INV-ACC-10001-20261102.pdf')).toEqual([{ AccountNumber: 'ACC-10001' }]);
    expect(rule.readings('INV-ACC-10001-2026_11_02.pdf')).toEqual([{ AccountNumber: 'ACC-10001' }]);
    expect(rule.describe()).toContain('INV-{AccountNumber}-{date}.pdf');
  });

  it('refuses dates that are not dates', () => {
    const rule = parseNamingRule('INV-{AccountNumber}-{date}.pdf');
    expect(rule.readings('INV-ACC-1-2026-13-02.pdf')).toBeInstanceOf(TransferError);
    expect(rule.readings('INV-ACC-1-2026-11_02.pdf')).toBeInstanceOf(TransferError);
    expect(rule.readings('INV-ACC-1-26-11-02.pdf')).toBeInstanceOf(TransferError);
  });

  it('ignores case in literal text, extensions included, and keeps the captured spelling', () => {
    const rule = parseNamingRule('INV-{AccountNumber}-{date}.pdf');
    expect(rule.readings('inv-Acc-7-2026-01-31.PDF')).toEqual([{ AccountNumber: 'Acc-7' }]);
  });

  it('takes the record from the first folder with {**}', () => {
    const rule = parseNamingRule('{AccountNumber}/{**}');
    expect(rule.fields).toEqual(['AccountNumber']);
    expect(rule.readings('ACC-1/report.pdf')).toEqual([{ AccountNumber: 'ACC-1' }]);
    expect(rule.readings('ACC-1/2026/q1/report.pdf')).toEqual([{ AccountNumber: 'ACC-1' }]);
    expect(rule.readings('report.pdf')).toBeInstanceOf(TransferError);
  });

  it('lets {**} between slashes stand for no folder at all', () => {
    const rule = parseNamingRule('{AccountNumber}/{**}/{*}.pdf');
    expect(rule.readings('ACC-1/x.pdf')).toEqual([{ AccountNumber: 'ACC-1' }]);
    expect(rule.readings('ACC-1/a/b/x.pdf')).toEqual([{ AccountNumber: 'ACC-1' }]);
    expect(rule.readings('ACC-1/a/b/x.txt')).toBeInstanceOf(TransferError);
    expect(parseNamingRule('{**}/{OrderNumber}.csv').readings('in/2026/00000123.csv')).toEqual([{ OrderNumber: '00000123' }]);
    expect(parseNamingRule('{**}/{OrderNumber}.csv').readings('00000123.csv')).toEqual([{ OrderNumber: '00000123' }]);
  });

  it('keeps fields and {*} within one folder level', () => {
    expect(parseNamingRule('{ProductCode}.pdf').readings('a/b.pdf')).toBeInstanceOf(TransferError);
    expect(parseNamingRule('{ProductCode}-{*}.pdf').readings('P1-a/b.pdf')).toBeInstanceOf(TransferError);
    expect(parseNamingRule('{ProductCode}-{*}.pdf').readings('P1-.pdf')).toEqual([{ ProductCode: 'P1' }]);
    expect(parseNamingRule('{ProductCode}-{**}.pdf').readings('P1-a/b.pdf')).toEqual([{ ProductCode: 'P1' }]);
  });

  it('captures several fields, a custom field and a number', () => {
    const rule = parseNamingRule('{Region__c}/ORD_{OrderNumber}_{number}_{Name}.xml');
    expect(rule.fields).toEqual(['Region__c', 'OrderNumber', 'Name']);
    expect(rule.readings('EMEA/ORD_00012_7_Big_Deal.xml')).toEqual([{ Region__c: 'EMEA', OrderNumber: '00012', Name: 'Big_Deal' }]);
    expect(rule.readings('EMEA/ORD_00012_x_Big.xml')).toBeInstanceOf(TransferError);
  });

  it('requires a field used twice to carry the same value', () => {
    const rule = parseNamingRule('{AccountNumber}/{accountnumber}-{*}.pdf');
    expect(rule.fields).toEqual(['AccountNumber']);
    expect(rule.readings('ACC-1/acc-1-offer.pdf')).toEqual([{ AccountNumber: 'ACC-1' }]);
    expect(rule.readings('ACC-1/ACC-2-offer.pdf')).toBeInstanceOf(TransferError);
  });

  it('treats names of object properties as plain field names', () => {
    expect(parseNamingRule('{constructor}-{toString}.pdf').readings('a-b.pdf')).toEqual([{ constructor: 'a', toString: 'b' }]);
  });

  it('takes regular-expression characters literally', () => {
    const rule = parseNamingRule('[{Name}] (v1.0)+$.pdf');
    expect(rule.readings('[Acme] (v1.0)+$.pdf')).toEqual([{ Name: 'Acme' }]);
    expect(rule.readings('[Acme] (v1x0)+$.pdf')).toBeInstanceOf(TransferError);
  });

  it('compares composed and decomposed Unicode alike', () => {
    const rule = parseNamingRule('Müller-{AccountNumber}.pdf');
    expect(rule.readings('Mu\u0308ller-ACC-5.pdf')).toEqual([{ AccountNumber: 'ACC-5' }]);
    expect(rule.readings('MÜLLER-ACC-5.pdf')).toEqual([{ AccountNumber: 'ACC-5' }]);
  });

  it('offers every split of a name whose field holds the separator, shortest first', () => {
    const rule = parseNamingRule('INV-{AccountNumber}-{*}');
    expect(rule.readings('INV-ACC-10001-2026-11-02.pdf')).toEqual([
      { AccountNumber: 'ACC' },
      { AccountNumber: 'ACC-10001' },
      { AccountNumber: 'ACC-10001-2026' },
      { AccountNumber: 'ACC-10001-2026-11' },
    ]);
    expect(parseNamingRule('INV-{AccountNumber}_{*}.pdf').readings('INV-EU_7_Q_march.pdf')).toEqual([
      { AccountNumber: 'EU' },
      { AccountNumber: 'EU_7' },
      { AccountNumber: 'EU_7_Q' },
    ]);
  });

  it('offers each combination of several fields once, however the text between them splits', () => {
    expect(parseNamingRule('{Region__c}-{OrderNumber}.xml').readings('EU-W-00-1.xml')).toEqual([
      { Region__c: 'EU', OrderNumber: 'W-00-1' },
      { Region__c: 'EU-W', OrderNumber: '00-1' },
      { Region__c: 'EU-W-00', OrderNumber: '1' },
    ]);
    expect(parseNamingRule('{CaseNumber}-{*}-{*}.pdf').readings('C-1-a-b.pdf')).toEqual([{ CaseNumber: 'C' }, { CaseNumber: 'C-1' }]);
    expect(parseNamingRule('{AccountNumber}/{accountnumber}-{*}.pdf').readings('A-1/a-1-x-y.pdf')).toEqual([{ AccountNumber: 'A-1' }]);
  });

  it('says why a name that fits no way cannot be looked up', () => {
    expect(refusal(parseNamingRule('INV-{AccountNumber}.pdf'), 'offer.txt')).toBe('offer.txt does not match the naming rule "INV-{AccountNumber}.pdf"');
  });

  it('matches the whole path only', () => {
    const rule = parseNamingRule('INV-{AccountNumber}.pdf');
    expect(rule.readings('INV-ACC-1.pdf.bak')).toBeInstanceOf(TransferError);
    expect(rule.readings('old/INV-ACC-1.pdf')).toBeInstanceOf(TransferError);
    expect(rule.readings('INV-.pdf')).toBeInstanceOf(TransferError);
  });

  // A backtracking matcher would not finish these within the test's time limit.
  it('answers names built to make a backtracking matcher explode', () => {
    const rule = parseNamingRule('{A}-{B}-{C}-{D}-{E}-{F}-{G}-{H}.pdf');
    const deep = parseNamingRule('{A}/{**}-{B}-{**}-{C}/{D}.pdf');
    expect(refusal(rule, `${'a-'.repeat(120)}a.txt`)).toMatch(/does not match/);
    expect(refusal(deep, `x/${'a-/'.repeat(300)}a.txt`)).toMatch(/does not match/);
    expect(refusal(rule, `${'a-'.repeat(120)}a.PDF`)).toMatch(/fits the naming rule .* in more than 32 ways/);
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
