import { describe, expect, it } from 'vitest';
import { normalizeId, toId18 } from '../../../src/sandbox/ids.js';
import type { SRecord } from '../../../src/sandbox/OrgStore.js';
import { buildSchema } from '../../../src/sandbox/schema.js';
import { type QueryData, type QueryOutput, SoqlError, type SoqlErrorCode, parseSoql, runSoql } from '../../../src/sandbox/soql/index.js';

const VERSION = '64.0';
const DAY_MS = 86_400_000;

/** An 18-character id of the object with this key prefix, numbered n. */
function sfId(prefix: string, n: number): string {
  return toId18(`${prefix}5g00${String(n).padStart(8, '0')}`);
}

/** A stored datetime in the format the org writes them. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

class MemoryOrg implements QueryData {
  readonly schema = buildSchema({ sdrive: false });
  readonly #byType = new Map<string, SRecord[]>();
  readonly #byId = new Map<string, { type: string; record: SRecord }>();

  add(type: string, fields: Record<string, unknown> & { Id: string }): SRecord {
    const record: SRecord = { IsDeleted: false, ...fields };
    const list = this.#byType.get(type) ?? [];
    list.push(record);
    this.#byType.set(type, list);
    this.#byId.set(fields.Id, { type, record });
    return record;
  }

  records(type: string): Iterable<SRecord> {
    return this.#byType.get(type) ?? [];
  }

  get(id: string): SRecord | undefined {
    const canonical = normalizeId(id);
    return canonical === undefined ? undefined : this.#byId.get(canonical)?.record;
  }

  typeOf(id: string): string | undefined {
    const canonical = normalizeId(id);
    return canonical === undefined ? undefined : this.#byId.get(canonical)?.type;
  }
}

const now = Date.now();
const todayStart = Math.floor(now / DAY_MS) * DAY_MS;

const USER = sfId('005', 1);
const ACME = sfId('001', 1);
const GLOBEX = sfId('001', 2);
const OBRIEN = sfId('001', 3);
const NATURAL = sfId('001', 4);
const GONE = sfId('001', 5);
const ESCAPES = sfId('001', 6);
const OLD = sfId('001', 7);
const MISSING_ACCOUNT = sfId('001', 99);
const CONTACT_ACME = sfId('003', 1);
const CONTACT_NONE = sfId('003', 2);
const CONTACT_DANGLING = sfId('003', 3);
const DEAL_1 = sfId('006', 1);
const DEAL_2 = sfId('006', 2);
const DEAL_3 = sfId('006', 3);
const CASE_1 = sfId('500', 1);
const DOC_SPEC = sfId('069', 1);
const DOC_PHOTO = sfId('069', 2);
const VER_SPEC = sfId('068', 1);
const VER_PHOTO = sfId('068', 2);
const LINK_SPEC_DEAL = sfId('06A', 1);
const LINK_SPEC_USER = sfId('06A', 2);
const LINK_PHOTO_CASE = sfId('06A', 3);
const LINK_PHOTO_ACME = sfId('06A', 4);

function buildOrg(): MemoryOrg {
  const org = new MemoryOrg();
  org.add('User', { Id: USER, Name: 'Ada Admin', Username: 'ada@example.com', Email: 'ada@example.com' });
  const account = (Id: string, fields: Record<string, unknown>): SRecord =>
    org.add('Account', { Id, Name: null, Type: null, BillingCity: null, OwnerId: USER, CreatedDate: stamp(todayStart - 30 * DAY_MS), ...fields });
  account(ACME, { Name: 'Acme Corp', Type: 'Customer', BillingCity: 'Paris', CreatedDate: '2024-01-31T10:00:00.000+0000' });
  account(GLOBEX, { Name: 'Globex', Type: 'Partner', CreatedDate: '2024-02-01T00:00:00.000+0000' });
  account(OBRIEN, { Name: "O'Brien & Sons", BillingCity: 'berlin', CreatedDate: stamp(now) });
  account(NATURAL, { Name: '100% Natural_Foods', Type: 'Prospect', BillingCity: 'Zurich', CreatedDate: stamp(todayStart - DAY_MS + 3_600_000) });
  account(GONE, { Name: 'Gone Ltd', Type: 'Customer', IsDeleted: true });
  account(ESCAPES, { Name: 'Back\\slash "quoted"\tTab\nLine' });
  account(OLD, { Name: 'Old Timer', CreatedDate: stamp(todayStart - 5 * DAY_MS) });
  org.add('Contact', { Id: CONTACT_ACME, LastName: 'Smith', AccountId: ACME });
  org.add('Contact', { Id: CONTACT_NONE, LastName: 'Jones', AccountId: null });
  org.add('Contact', { Id: CONTACT_DANGLING, LastName: 'Brown', AccountId: MISSING_ACCOUNT });
  org.add('Opportunity', { Id: DEAL_1, Name: 'Deal 1', AccountId: ACME, Amount: 5000, CloseDate: '2024-03-15', StageName: 'Closed Won', Exported__c: false });
  org.add('Opportunity', { Id: DEAL_2, Name: 'Deal 2', AccountId: GLOBEX, Amount: 120.5, CloseDate: '2024-03-01', StageName: 'Proposal', Exported__c: true });
  org.add('Opportunity', { Id: DEAL_3, Name: 'Deal 3', AccountId: ACME, Amount: null, CloseDate: '2024-04-01', StageName: 'Prospecting', Exported__c: false });
  org.add('Case', { Id: CASE_1, CaseNumber: '00001001', Subject: 'Broken pump', AccountId: GLOBEX });
  org.add('ContentDocument', { Id: DOC_SPEC, Title: 'Spec', LatestPublishedVersionId: VER_SPEC });
  org.add('ContentDocument', { Id: DOC_PHOTO, Title: 'Photo', LatestPublishedVersionId: VER_PHOTO });
  org.add('ContentVersion', { Id: VER_SPEC, Title: 'Spec', ContentDocumentId: DOC_SPEC, FirstPublishLocationId: DEAL_1, Checksum: 'abc123', IsLatest: true });
  org.add('ContentVersion', { Id: VER_PHOTO, Title: 'Photo', ContentDocumentId: DOC_PHOTO, FirstPublishLocationId: CASE_1, Checksum: 'def456', IsLatest: true });
  org.add('ContentDocumentLink', { Id: LINK_SPEC_DEAL, ContentDocumentId: DOC_SPEC, LinkedEntityId: DEAL_1, ShareType: 'V' });
  org.add('ContentDocumentLink', { Id: LINK_SPEC_USER, ContentDocumentId: DOC_SPEC, LinkedEntityId: USER, ShareType: 'I' });
  org.add('ContentDocumentLink', { Id: LINK_PHOTO_CASE, ContentDocumentId: DOC_PHOTO, LinkedEntityId: CASE_1, ShareType: 'V' });
  org.add('ContentDocumentLink', { Id: LINK_PHOTO_ACME, ContentDocumentId: DOC_PHOTO, LinkedEntityId: ACME, ShareType: 'C' });
  return org;
}

const org = buildOrg();

function query(text: string, data: QueryData = org): QueryOutput {
  return runSoql(parseSoql(text), data, { version: VERSION });
}

function ids(text: string): string[] {
  return query(text).records.map((r) => String(r['Id']));
}

function names(text: string): string[] {
  return query(text).records.map((r) => String(r['Name']));
}

function failure(text: string): SoqlError {
  try {
    query(text);
  } catch (e) {
    if (e instanceof SoqlError) return e;
    throw e;
  }
  throw new Error(`expected ${text} to fail`);
}

function expectFailure(text: string, code: SoqlErrorCode, message: string | RegExp): void {
  const error = failure(text);
  expect(error.errorCode).toBe(code);
  if (typeof message === 'string') expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
}

const url = (type: string, id: string): string => `/services/data/v${VERSION}/sobjects/${type}/${id}`;

describe('SOQL results', () => {
  it('shapes records as the REST API does, with canonical names in SELECT order', () => {
    const out = query("select name, ID, billingcity from ACCOUNT where NAME = 'acme corp'");
    expect(out.totalSize).toBe(1);
    expect(out.records).toEqual([{ attributes: { type: 'Account', url: url('Account', ACME) }, Name: 'Acme Corp', Id: ACME, BillingCity: 'Paris' }]);
    expect(Object.keys(out.records[0] ?? {})).toEqual(['attributes', 'Name', 'Id', 'BillingCity']);
  });

  it('leaves out deleted records', () => {
    expect(ids("SELECT Id FROM Account WHERE Type = 'Customer'")).toEqual([ACME]);
    expect(query('SELECT COUNT() FROM Account').totalSize).toBe(6);
  });

  it('answers COUNT() with the count and no records, within LIMIT and OFFSET', () => {
    expect(query("SELECT COUNT() FROM Opportunity WHERE AccountId = '" + ACME + "'")).toEqual({ totalSize: 2, records: [] });
    expect(query('select count() from Account limit 4').totalSize).toBe(4);
    expect(query('SELECT COUNT() FROM Account LIMIT 10 OFFSET 4').totalSize).toBe(2);
  });

  it('gives a blob field as the URL of its body, never the bytes', () => {
    expect(query(`SELECT VersionData FROM ContentVersion WHERE Id = '${VER_SPEC}'`).records[0]?.['VersionData']).toBe(
      `/services/data/v${VERSION}/sobjects/ContentVersion/${VER_SPEC}/VersionData`,
    );
  });

  it('answers null for fields a record does not carry', () => {
    expect(query(`SELECT Industry FROM Account WHERE Id = '${ACME}'`).records[0]?.['Industry']).toBeNull();
  });

  it('reads a keyword used as an object name', () => {
    expect(query('SELECT Id FROM Order ORDER BY Id').totalSize).toBe(0);
  });
});

describe('comparison operators', () => {
  it('= and != ignore case on text; != also matches nulls', () => {
    expect(ids("SELECT Id FROM Account WHERE BillingCity = 'PARIS'")).toEqual([ACME]);
    expect(ids("SELECT Id FROM Account WHERE BillingCity != 'paris'")).toEqual([GLOBEX, OBRIEN, NATURAL, ESCAPES, OLD]);
    expect(ids("SELECT Id FROM Account WHERE BillingCity <> 'Paris'")).toEqual([GLOBEX, OBRIEN, NATURAL, ESCAPES, OLD]);
  });

  it('orders numbers, and never matches null with < or >', () => {
    expect(names('SELECT Name FROM Opportunity WHERE Amount > 120.5')).toEqual(['Deal 1']);
    expect(names('SELECT Name FROM Opportunity WHERE Amount >= 120.5')).toEqual(['Deal 1', 'Deal 2']);
    expect(names('SELECT Name FROM Opportunity WHERE Amount < 5000')).toEqual(['Deal 2']);
    expect(names('SELECT Name FROM Opportunity WHERE Amount <= 5000')).toEqual(['Deal 1', 'Deal 2']);
    expect(names('SELECT Name FROM Opportunity WHERE Amount = 5000')).toEqual(['Deal 1']);
    expect(names('SELECT Name FROM Opportunity WHERE Amount > -1')).toEqual(['Deal 1', 'Deal 2']);
  });

  it('orders text without regard to case', () => {
    expect(names("SELECT Name FROM Account WHERE BillingCity < 'C'")).toEqual(["O'Brien & Sons"]);
    expect(names("SELECT Name FROM Account WHERE BillingCity >= 'paris'")).toEqual(['Acme Corp', '100% Natural_Foods']);
  });

  it('matches null, true and false', () => {
    expect(names('SELECT Name FROM Account WHERE BillingCity = null')).toEqual(['Globex', 'Back\\slash "quoted"\tTab\nLine', 'Old Timer']);
    expect(names('SELECT Name FROM Account WHERE BillingCity != NULL')).toEqual(['Acme Corp', "O'Brien & Sons", '100% Natural_Foods']);
    expect(names('SELECT Name FROM Opportunity WHERE Exported__c = TRUE')).toEqual(['Deal 2']);
    expect(names('SELECT Name FROM Opportunity WHERE Exported__c = false')).toEqual(['Deal 1', 'Deal 3']);
  });

  it('LIKE matches % and _ without regard to case', () => {
    expect(names("SELECT Name FROM Account WHERE Name LIKE 'acme%'")).toEqual(['Acme Corp']);
    expect(names("SELECT Name FROM Account WHERE Name LIKE '%LOB%'")).toEqual(['Globex']);
    expect(names("SELECT Name FROM Opportunity WHERE Name LIKE 'deal _'")).toEqual(['Deal 1', 'Deal 2', 'Deal 3']);
    expect(names("SELECT Name FROM Account WHERE Name LIKE 'Globe'")).toEqual([]);
    expect(names("SELECT Name FROM Account WHERE Name LIKE 'a.me%'")).toEqual([]);
  });

  it('LIKE takes \\% and \\_ literally', () => {
    expect(names("SELECT Name FROM Account WHERE Name LIKE '100\\% %'")).toEqual(['100% Natural_Foods']);
    expect(names("SELECT Name FROM Account WHERE Name LIKE '1_0\\%%'")).toEqual(['100% Natural_Foods']);
    expect(names("SELECT Name FROM Account WHERE Name LIKE '1\\_0%'")).toEqual([]);
    expect(names("SELECT Name FROM Account WHERE Name LIKE '%Natural\\_Foods'")).toEqual(['100% Natural_Foods']);
    expect(names("SELECT Name FROM Account WHERE Name LIKE '%Natural\\_F_ods'")).toEqual(['100% Natural_Foods']);
    expect(names("SELECT Name FROM Account WHERE Name LIKE '%\\%%'")).toEqual(['100% Natural_Foods']);
    expect(names("SELECT Name FROM Account WHERE Name LIKE '%\\_%'")).toEqual(['100% Natural_Foods']);
  });

  it('decodes backslash escapes in strings', () => {
    expect(names("SELECT Name FROM Account WHERE Name = 'O\\'Brien & Sons'")).toEqual(["O'Brien & Sons"]);
    expect(names("SELECT Name FROM Account WHERE Name = 'Back\\\\slash \\\"quoted\\\"\\tTab\\nLine'")).toEqual(['Back\\slash "quoted"\tTab\nLine']);
    expect(names("SELECT Name FROM Account WHERE Name = 'Back\\\\slash \\\"quoted\\\"\\tTab\\rLine'")).toEqual([]);
  });

  it('refuses an unknown escape', () => {
    expectFailure("SELECT Id FROM Account WHERE Name = 'a\\qb'", 'MALFORMED_QUERY', /Illegal character sequence '\\q' in string literal/);
  });

  it('IN and NOT IN, with null in the list, and NOT IN matching nulls', () => {
    expect(names("SELECT Name FROM Account WHERE BillingCity IN ('paris', 'ZURICH')")).toEqual(['Acme Corp', '100% Natural_Foods']);
    expect(names("SELECT Name FROM Account WHERE BillingCity IN ('Paris', null)")).toEqual(['Acme Corp', 'Globex', 'Back\\slash "quoted"\tTab\nLine', 'Old Timer']);
    expect(names("SELECT Name FROM Account WHERE BillingCity NOT IN ('Paris', 'Berlin', 'Zurich')")).toEqual([
      'Globex',
      'Back\\slash "quoted"\tTab\nLine',
      'Old Timer',
    ]);
    expect(names("SELECT Name FROM Account WHERE BillingCity NOT IN ('Paris', null)")).toEqual(["O'Brien & Sons", '100% Natural_Foods']);
    expect(names('SELECT Name FROM Opportunity WHERE Amount IN (120.5, 7)')).toEqual(['Deal 2']);
  });

  it('combines AND, OR, NOT and parentheses', () => {
    expect(names("SELECT Name FROM Opportunity WHERE AccountId = '" + ACME + "' AND Exported__c = false AND Amount = null")).toEqual(['Deal 3']);
    expect(names("SELECT Name FROM Opportunity WHERE StageName = 'Proposal' OR Amount = 5000")).toEqual(['Deal 1', 'Deal 2']);
    expect(names("SELECT Name FROM Opportunity WHERE NOT StageName = 'Proposal'")).toEqual(['Deal 1', 'Deal 3']);
    expect(names("SELECT Name FROM Opportunity WHERE (StageName = 'Proposal' OR Amount = 5000) AND NOT (Exported__c = true)")).toEqual(['Deal 1']);
    expect(names("SELECT Name FROM Opportunity WHERE StageName = 'Proposal' OR (Amount = 5000 AND Exported__c = true)")).toEqual(['Deal 2']);
    expect(names("SELECT Name FROM Opportunity WHERE NOT (StageName = 'Proposal' OR StageName = 'Closed Won')")).toEqual(['Deal 3']);
  });

  it('refuses AND and OR mixed without parentheses', () => {
    expectFailure(
      'SELECT Id FROM Opportunity WHERE Amount = 1 AND Amount = 2 OR Amount = 3',
      'MALFORMED_QUERY',
      "\n= 2 OR Amount =\n    ^\nERROR at Row:1:Column:60\nunexpected token: 'OR'",
    );
    expectFailure('SELECT Id FROM Case WHERE Id = null OR Id = null AND Id = null', 'MALFORMED_QUERY', /unexpected token: 'AND'$/);
  });
});

describe('dates and datetimes', () => {
  it('compares date fields with date literals', () => {
    expect(names('SELECT Name FROM Opportunity WHERE CloseDate = 2024-03-15')).toEqual(['Deal 1']);
    expect(names('SELECT Name FROM Opportunity WHERE CloseDate > 2024-03-01')).toEqual(['Deal 1', 'Deal 3']);
    expect(names('SELECT Name FROM Opportunity WHERE CloseDate >= 2024-03-01 AND CloseDate < 2024-04-01')).toEqual(['Deal 1', 'Deal 2']);
    expect(names('SELECT Name FROM Opportunity WHERE CloseDate <= 2024-03-15')).toEqual(['Deal 1', 'Deal 2']);
  });

  it('compares datetimes as instants, whatever the offset written', () => {
    expect(names('SELECT Name FROM Account WHERE CreatedDate = 2024-01-31T10:00:00Z')).toEqual(['Acme Corp']);
    expect(names('SELECT Name FROM Account WHERE CreatedDate = 2024-01-31T11:00:00+01:00')).toEqual(['Acme Corp']);
    expect(names('SELECT Name FROM Account WHERE CreatedDate = 2024-01-31T05:00:00-05:00')).toEqual(['Acme Corp']);
    expect(names('SELECT Name FROM Account WHERE CreatedDate > 2024-01-31T10:00:00Z AND CreatedDate < 2024-02-02T00:00:00Z')).toEqual(['Globex']);
    expect(names('SELECT Name FROM Account WHERE CreatedDate <= 2024-02-01T00:00:00Z')).toEqual(['Acme Corp', 'Globex']);
  });

  it('resolves TODAY, YESTERDAY and LAST_N_DAYS:n against the clock, in UTC days', () => {
    expect(names('SELECT Name FROM Account WHERE CreatedDate = TODAY')).toEqual(["O'Brien & Sons"]);
    expect(names('SELECT Name FROM Account WHERE CreatedDate = YESTERDAY')).toEqual(['100% Natural_Foods']);
    expect(names('SELECT Name FROM Account WHERE CreatedDate < YESTERDAY AND CreatedDate > 2024-12-31T00:00:00Z')).toEqual([
      'Back\\slash "quoted"\tTab\nLine',
      'Old Timer',
    ]);
    expect(names('SELECT Name FROM Account WHERE CreatedDate = LAST_N_DAYS:1')).toEqual(["O'Brien & Sons", '100% Natural_Foods']);
    expect(names('SELECT Name FROM Account WHERE CreatedDate = LAST_N_DAYS:5')).toEqual(["O'Brien & Sons", '100% Natural_Foods', 'Old Timer']);
    expect(names('SELECT Name FROM Account WHERE CreatedDate >= TODAY')).toEqual(["O'Brien & Sons"]);
  });

  it('refuses a value of the wrong type for the field', () => {
    expectFailure(
      "SELECT Id FROM Account WHERE CreatedDate > '2024-01-01'",
      'INVALID_FIELD',
      "\nSELECT Id FROM Account WHERE CreatedDate > '2024-01-01'\n                                           ^\nERROR at Row:1:Column:44\nvalue of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes",
    );
    expectFailure('SELECT Id FROM Opportunity WHERE CloseDate = 2024-03-15T00:00:00Z', 'INVALID_FIELD', /must be of type date and should not be enclosed in quotes$/);
    expectFailure('SELECT Id FROM Account WHERE Name = 5', 'INVALID_FIELD', /field 'Name' must be of type string and should be enclosed in quotes$/);
    expectFailure("SELECT Id FROM Opportunity WHERE Amount IN (1, '2')", 'INVALID_FIELD', /field 'Amount' must be of type double and should not be enclosed in quotes$/);
    expectFailure("SELECT Id FROM Opportunity WHERE Exported__c = 'true'", 'INVALID_FIELD', /must be of type boolean/);
    expectFailure('SELECT Id FROM Contact WHERE AccountId = 1', 'INVALID_FIELD', /field 'AccountId' must be of type id and should be enclosed in quotes$/);
  });

  it('refuses impossible dates and datetimes without a zone', () => {
    expectFailure('SELECT Id FROM Opportunity WHERE CloseDate = 2024-02-30', 'MALFORMED_QUERY', /unexpected token: '2024-02-30'$/);
    expectFailure('SELECT Id FROM Account WHERE CreatedDate = 2024-01-31T10:00:00', 'MALFORMED_QUERY', /unexpected token: '2024-01-31T10:00:00'$/);
  });
});

describe('ORDER BY, LIMIT and OFFSET', () => {
  it('sorts on several fields with ASC and DESC', () => {
    expect(names('SELECT Name FROM Opportunity ORDER BY Exported__c DESC, Name DESC')).toEqual(['Deal 2', 'Deal 3', 'Deal 1']);
    expect(names('SELECT Name FROM Opportunity ORDER BY Exported__c ASC, CloseDate DESC')).toEqual(['Deal 3', 'Deal 1', 'Deal 2']);
  });

  it('puts nulls first ascending and last descending unless told otherwise', () => {
    expect(names('SELECT Name FROM Opportunity ORDER BY Amount')).toEqual(['Deal 3', 'Deal 2', 'Deal 1']);
    expect(names('SELECT Name FROM Opportunity ORDER BY Amount DESC')).toEqual(['Deal 1', 'Deal 2', 'Deal 3']);
    expect(names('SELECT Name FROM Opportunity ORDER BY Amount ASC NULLS LAST')).toEqual(['Deal 2', 'Deal 1', 'Deal 3']);
    expect(names('SELECT Name FROM Opportunity ORDER BY Amount DESC NULLS FIRST')).toEqual(['Deal 3', 'Deal 1', 'Deal 2']);
  });

  it('sorts text without regard to case, and by parent fields', () => {
    expect(query('SELECT BillingCity FROM Account WHERE BillingCity != null ORDER BY BillingCity').records.map((r) => r['BillingCity'])).toEqual([
      'berlin',
      'Paris',
      'Zurich',
    ]);
    expect(names('SELECT Name FROM Opportunity ORDER BY Account.Name DESC, Name')).toEqual(['Deal 2', 'Deal 1', 'Deal 3']);
  });

  it('applies OFFSET, then LIMIT', () => {
    expect(names('SELECT Name FROM Opportunity ORDER BY Name LIMIT 2')).toEqual(['Deal 1', 'Deal 2']);
    expect(names('SELECT Name FROM Opportunity ORDER BY Name LIMIT 1 OFFSET 1')).toEqual(['Deal 2']);
    expect(names('SELECT Name FROM Opportunity ORDER BY Name OFFSET 2')).toEqual(['Deal 3']);
    expect(query('SELECT Name FROM Opportunity LIMIT 0')).toEqual({ totalSize: 0, records: [] });
  });

  it('refuses a LIMIT that is not a whole number', () => {
    expectFailure('SELECT Id FROM Account LIMIT 1.5', 'MALFORMED_QUERY', /unexpected token: '1.5'$/);
    expectFailure('SELECT Id FROM Account LIMIT -1', 'MALFORMED_QUERY', /unexpected token: '-1'$/);
  });
});

describe('relationship paths', () => {
  it('nests a parent with its own attributes, or null when the reference is empty or dangling', () => {
    const out = query('SELECT LastName, Account.Name, account.billingcity FROM Contact ORDER BY LastName');
    expect(out.records).toEqual([
      { attributes: { type: 'Contact', url: url('Contact', CONTACT_DANGLING) }, LastName: 'Brown', Account: null },
      { attributes: { type: 'Contact', url: url('Contact', CONTACT_NONE) }, LastName: 'Jones', Account: null },
      {
        attributes: { type: 'Contact', url: url('Contact', CONTACT_ACME) },
        LastName: 'Smith',
        Account: { attributes: { type: 'Account', url: url('Account', ACME) }, Name: 'Acme Corp', BillingCity: 'Paris' },
      },
    ]);
  });

  it('follows two levels of parents', () => {
    const out = query(
      `SELECT ContentDocument.Title, ContentDocument.LatestPublishedVersion.Checksum, ContentDocument.LatestPublishedVersionId FROM ContentDocumentLink WHERE LinkedEntityId = '${DEAL_1}'`,
    );
    expect(out.records).toEqual([
      {
        attributes: { type: 'ContentDocumentLink', url: url('ContentDocumentLink', LINK_SPEC_DEAL) },
        ContentDocument: {
          attributes: { type: 'ContentDocument', url: url('ContentDocument', DOC_SPEC) },
          Title: 'Spec',
          LatestPublishedVersion: { attributes: { type: 'ContentVersion', url: url('ContentVersion', VER_SPEC) }, Checksum: 'abc123' },
          LatestPublishedVersionId: VER_SPEC,
        },
      },
    ]);
  });

  it('gives a polymorphic parent its actual type, its Type and the value of its name field', () => {
    const out = query(`SELECT LinkedEntityId, LinkedEntity.Name, LinkedEntity.Type FROM ContentDocumentLink WHERE ContentDocumentId IN ('${DOC_SPEC}', '${DOC_PHOTO}')`);
    expect(out.records.map((r) => r['LinkedEntity'])).toEqual([
      { attributes: { type: 'Opportunity', url: url('Opportunity', DEAL_1) }, Name: 'Deal 1', Type: 'Opportunity' },
      { attributes: { type: 'User', url: url('User', USER) }, Name: 'Ada Admin', Type: 'User' },
      { attributes: { type: 'Case', url: url('Case', CASE_1) }, Name: '00001001', Type: 'Case' },
      { attributes: { type: 'Account', url: url('Account', ACME) }, Name: 'Acme Corp', Type: 'Account' },
    ]);
    expect(query(`SELECT FirstPublishLocation.Name FROM ContentVersion WHERE Id = '${VER_PHOTO}'`).records[0]?.['FirstPublishLocation']).toEqual({
      attributes: { type: 'Case', url: url('Case', CASE_1) },
      Name: '00001001',
    });
  });

  it('filters and sorts on polymorphic Type and Name', () => {
    expect(ids(`SELECT Id FROM ContentDocumentLink WHERE ContentDocumentId = '${DOC_PHOTO}' AND LinkedEntity.Type = 'case'`)).toEqual([LINK_PHOTO_CASE]);
    expect(ids(`SELECT Id FROM ContentDocumentLink WHERE ContentDocumentId IN ('${DOC_SPEC}', '${DOC_PHOTO}') ORDER BY LinkedEntity.Name`)).toEqual([
      LINK_PHOTO_CASE,
      LINK_PHOTO_ACME,
      LINK_SPEC_USER,
      LINK_SPEC_DEAL,
    ]);
  });

  it('reads Owner through the schema', () => {
    expect(query(`SELECT Owner.Name FROM Account WHERE Id = '${ACME}'`).records[0]?.['Owner']).toEqual({
      attributes: { type: 'User', url: url('User', USER) },
      Name: 'Ada Admin',
    });
  });
});

describe('semi-joins', () => {
  it('keeps records whose id is, or is not, selected by the subquery', () => {
    expect(names('SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact)')).toEqual(['Acme Corp']);
    expect(names("SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity WHERE StageName = 'Proposal')")).toEqual(['Globex']);
    expect(names('SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Opportunity) ORDER BY Name LIMIT 2')).toEqual([
      '100% Natural_Foods',
      'Back\\slash "quoted"\tTab\nLine',
    ]);
  });

  it('refuses a semi-join under OR, nested, or selecting the wrong thing', () => {
    expectFailure("SELECT Id FROM Account WHERE Name = 'x' OR Id IN (SELECT AccountId FROM Contact)", 'MALFORMED_QUERY', /not allowed with the 'OR' operator$/);
    expectFailure(
      'SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE AccountId IN (SELECT Id FROM Account))',
      'MALFORMED_QUERY',
      /Nesting of semi join sub-selects is not supported$/,
    );
    expectFailure('SELECT Id FROM Account WHERE Id IN (SELECT Id, AccountId FROM Contact)', 'MALFORMED_QUERY', /exactly one field$/);
    expectFailure('SELECT Id FROM Account WHERE Id IN (SELECT Id FROM Contact)', 'INVALID_FIELD', /should point to the same object type$/);
    expectFailure('SELECT Id FROM Account WHERE Name IN (SELECT AccountId FROM Contact)', 'INVALID_FIELD', /should point to the same object type$/);
  });
});

describe('the ContentDocumentLink restriction', () => {
  const restriction =
    "Implementation restriction: ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId using the equals operator or multiple Id's using the IN operator.";

  it.each([
    [`SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '${ACME}'`, [LINK_PHOTO_ACME]],
    [`SELECT Id FROM ContentDocumentLink WHERE ContentDocumentId IN ('${DOC_SPEC}')`, [LINK_SPEC_DEAL, LINK_SPEC_USER]],
    [`SELECT Id FROM ContentDocumentLink WHERE Id = '${LINK_PHOTO_CASE}'`, [LINK_PHOTO_CASE]],
    [`SELECT Id FROM ContentDocumentLink WHERE ShareType = 'V' AND (contentdocumentid = '${DOC_SPEC}' AND ShareType != 'C')`, [LINK_SPEC_DEAL]],
    ["SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId IN (SELECT Id FROM Opportunity WHERE Name LIKE 'Deal%')", [LINK_SPEC_DEAL]],
    [`SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '${ACME}' OR LinkedEntityId = '${USER}'`, 'refused'],
    [`SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId != '${ACME}'`, 'refused'],
    [`SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId NOT IN ('${ACME}')`, 'refused'],
    ['SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId NOT IN (SELECT Id FROM Account)', 'refused'],
    [`SELECT Id FROM ContentDocumentLink WHERE NOT LinkedEntityId = '${ACME}'`, 'refused'],
    ["SELECT Id FROM ContentDocumentLink WHERE ShareType = 'V'", 'refused'],
    ["SELECT Id FROM ContentDocumentLink WHERE LinkedEntity.Name = 'Acme Corp'", 'refused'],
    ['SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = null', 'refused'],
    ['SELECT Id FROM ContentDocumentLink', 'refused'],
    ['SELECT Id FROM Account WHERE Id IN (SELECT LinkedEntityId FROM ContentDocumentLink)', 'refused'],
  ] as const)('%s', (text, expected) => {
    if (expected === 'refused') expectFailure(text, 'MALFORMED_QUERY', restriction);
    else expect(ids(text)).toEqual(expected);
  });
});

describe('ids', () => {
  const id15 = (id: string): string => id.slice(0, 15);

  it('match in their 15- and 18-character forms', () => {
    expect(ids(`SELECT Id FROM Account WHERE Id = '${id15(GLOBEX)}'`)).toEqual([GLOBEX]);
    expect(ids(`SELECT Id FROM Opportunity WHERE AccountId = '${id15(ACME)}' ORDER BY Name`)).toEqual([DEAL_1, DEAL_3]);
    expect(ids(`SELECT Id FROM Account WHERE Id IN ('${id15(ACME)}', '${GLOBEX}')`)).toEqual([ACME, GLOBEX]);
    expect(ids(`SELECT Id FROM Account WHERE Id != '${id15(ACME)}' AND Id != '${GLOBEX}' LIMIT 1`)).toEqual([OBRIEN]);
  });

  it('match when a record holds the 15-character form', () => {
    const small = new MemoryOrg();
    small.add('Account', { Id: ACME, Name: 'Acme Corp' });
    small.add('Contact', { Id: CONTACT_ACME, LastName: 'Smith', AccountId: id15(ACME) });
    const contacts = (where: string): unknown[] => query(`SELECT Id FROM Contact WHERE ${where}`, small).records.map((r) => r['Id']);
    expect(contacts(`AccountId = '${ACME}'`)).toEqual([CONTACT_ACME]);
    expect(contacts(`AccountId IN ('${ACME}')`)).toEqual([CONTACT_ACME]);
    expect(query('SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact)', small).totalSize).toBe(1);
  });

  it('never match a malformed id, and are case-sensitive in 15 characters', () => {
    expect(ids("SELECT Id FROM Account WHERE Id = 'not-an-id'")).toEqual([]);
    expect(ids(`SELECT Id FROM Account WHERE Id = '${id15(ACME).replace('g', 'G')}'`)).toEqual([]);
  });
});

describe('errors', () => {
  it('refuses an unknown object with INVALID_TYPE', () => {
    expectFailure(
      'SELECT Id FROM Foo',
      'INVALID_TYPE',
      "\nSELECT Id FROM Foo\n               ^\nERROR at Row:1:Column:16\nsObject type 'Foo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
    );
  });

  it('refuses an unknown field with INVALID_FIELD, pointing at it', () => {
    expectFailure(
      'SELECT Id, Foo FROM Account',
      'INVALID_FIELD',
      "\nSELECT Id, Foo FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column 'Foo' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    );
    expectFailure('SELECT Id FROM Contact WHERE Account.Foo = null', 'INVALID_FIELD', /No such column 'Foo' on entity 'Account'\./);
    expectFailure(`SELECT LinkedEntity.Foo FROM ContentDocumentLink WHERE LinkedEntityId = '${ACME}'`, 'INVALID_FIELD', /No such column 'Foo' on entity 'Name'\./);
    expectFailure('SELECT Id FROM Account ORDER BY Bogus__c', 'INVALID_FIELD', /No such column 'Bogus__c' on entity 'Account'\./);
  });

  it('refuses an unknown relationship', () => {
    expectFailure(
      'SELECT Foo.Name FROM Contact',
      'INVALID_FIELD',
      "\nSELECT Foo.Name FROM Contact\n       ^\nERROR at Row:1:Column:8\nDidn't understand relationship 'Foo' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
    );
    expectFailure('SELECT AccountId.Name FROM Contact', 'INVALID_FIELD', /Didn't understand relationship 'AccountId' in field path\./);
    expectFailure(`SELECT LinkedEntity.Owner.Name FROM ContentDocumentLink WHERE LinkedEntityId = '${ACME}'`, 'INVALID_FIELD', /relationship 'Owner'/);
  });

  it('quotes only the neighbourhood of the error in a long query, and counts rows', () => {
    expectFailure(
      'SELECT Id, Name, BillingCity, Phone, Website, Bogus, Industry, Type FROM Account',
      'INVALID_FIELD',
      /^\nPhone, Website, Bogus, Industry\n {16}\^\nERROR at Row:1:Column:47\nNo such column 'Bogus'/,
    );
    expectFailure('SELECT Id\nFROM Account\n  WHERE Nme = null', 'INVALID_FIELD', /^\n {2}WHERE Nme = null\n {8}\^\nERROR at Row:3:Column:9\nNo such column 'Nme'/);
  });

  it('refuses syntax errors with the unexpected token', () => {
    expectFailure(
      'SELECT Id FRM Account',
      'MALFORMED_QUERY',
      "\nSELECT Id FRM Account\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FRM'",
    );
    expectFailure('SELECT Id FROM Account WHERE', 'MALFORMED_QUERY', /ERROR at Row:1:Column:29\nunexpected token: '<EOF>'$/);
    expectFailure('SELECT Id FROM Account WHERE Name = "x"', 'MALFORMED_QUERY', /unexpected token: '"'$/);
    expectFailure("SELECT Id FROM Account WHERE Name = 'x", 'MALFORMED_QUERY', /unterminated string literal/);
    expectFailure('SELECT Id FROM Account LIMIT 5 OFFSET', 'MALFORMED_QUERY', /unexpected token: '<EOF>'$/);
    expectFailure('SELECT FROM Account', 'MALFORMED_QUERY', /unexpected token: 'FROM'$/);
    expectFailure('SELECT COUNT(), Name FROM Account', 'MALFORMED_QUERY', /unexpected token: ','$/);
  });

  it('refuses what the subset leaves out', () => {
    expectFailure('SELECT SUM(Amount) FROM Opportunity', 'MALFORMED_QUERY', /ERROR at Row:1:Column:8\nThe aggregate function SUM\(\) with arguments is not supported/);
    expectFailure('SELECT COUNT(Id) FROM Opportunity', 'MALFORMED_QUERY', /aggregate function COUNT\(\)/);
    expectFailure('SELECT StageName FROM Opportunity GROUP BY StageName', 'MALFORMED_QUERY', /GROUP BY is not supported/);
    expectFailure('SELECT Id, (SELECT Id FROM Contacts) FROM Account', 'MALFORMED_QUERY', /child relationship subquery is not supported/);
    expectFailure('SELECT TYPEOF What WHEN Account THEN Name END FROM Task', 'MALFORMED_QUERY', /TYPEOF is not supported/);
  });

  it('refuses a field selected twice, whatever its casing', () => {
    expectFailure('SELECT Id, Name, NAME FROM Account', 'INVALID_FIELD', /Column:18\nduplicate field selected: Name$/);
    expectFailure('SELECT Account.Name, account.NAME FROM Contact', 'INVALID_FIELD', /duplicate field selected: Name$/);
    expect(query('SELECT Name, Account.Name FROM Contact LIMIT 1').totalSize).toBe(1);
  });

  it('refuses filtering or sorting on a blob field', () => {
    expectFailure('SELECT Id FROM ContentVersion WHERE VersionData = null', 'INVALID_FIELD', /field 'VersionData' can not be filtered in a query call$/);
    expectFailure('SELECT Id FROM ContentVersion ORDER BY VersionData', 'INVALID_FIELD', /field 'VersionData' can not be sorted in a query call$/);
  });

  it('keeps syntax apart from the schema: parsing alone accepts unknown names', () => {
    expect(parseSoql('SELECT Foo FROM Bar').from.name).toBe('Bar');
  });
});

describe('scale', () => {
  const big = new MemoryOrg();
  const accountIds: string[] = [];
  for (let n = 1; n <= 10_000; n++) {
    const Id = sfId('001', n);
    accountIds.push(Id);
    big.add('Account', { Id, Name: `Account ${String(n).padStart(5, '0')}`, BillingCity: n % 3 === 0 ? null : `City ${n % 7}`, Type: 'Customer' });
  }

  it('answers Id IN with hundreds of ids over 10,000 records', () => {
    const wanted = accountIds.filter((_, i) => i % 20 === 0);
    const list = wanted.map((id, i) => `'${i % 2 === 0 ? id.slice(0, 15) : id}'`).join(', ');
    const out = query(`SELECT Id, Name FROM Account WHERE Id IN (${list})`, big);
    expect(out.totalSize).toBe(500);
    expect(out.records.map((r) => r['Id'])).toEqual(wanted);
  });

  it('filters and sorts 10,000 records', () => {
    const out = query("SELECT Id, Name FROM Account WHERE Name LIKE 'account%' ORDER BY BillingCity DESC NULLS LAST, Name LIMIT 3", big);
    expect(out.records.map((r) => r['Name'])).toEqual(['Account 00013', 'Account 00020', 'Account 00034']);
  });
});
