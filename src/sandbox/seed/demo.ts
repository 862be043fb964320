import { deriveFields } from '../api/values.js';
import type { SandboxContext } from '../context.js';
import type { SRecord } from '../OrgStore.js';
import {
  CAMPAIGNS,
  CASE_SUBJECTS,
  DEMO_ACCOUNTS,
  DEMO_ORDER_COUNT,
  DEMO_PO_NUMBERS,
  DEMO_PRODUCTS,
  FIRST_NAMES,
  LAST_NAMES,
  LEADS,
  OPPORTUNITY_DEALS,
  OPPORTUNITY_STAGES,
} from './demoData.js';
import { seedSDriveSample } from './sdriveDemo.js';

export {
  DEMO_ACCOUNT_NUMBERS,
  DEMO_ACCOUNTS,
  DEMO_DUPLICATE_ACCOUNT_NUMBER,
  DEMO_PO_NUMBERS,
  DEMO_PRODUCT_CODES,
  DEMO_SDRIVE,
} from './demoData.js';

type Insert = (type: string, values: Record<string, unknown>) => SRecord;

/** A name reduced to what an e-mail address or a web domain may hold. */
function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

const pick = <T>(items: ReadonlyArray<T>, i: number): T => {
  const item = items[i % items.length];
  if (item === undefined) throw new Error('Cannot pick from an empty list');
  return item;
};

const isoDate = (month: number, day: number): string => `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

function seedAccounts(insert: Insert): SRecord[] {
  return DEMO_ACCOUNTS.map((a, i) =>
    insert('Account', {
      Name: a.name,
      AccountNumber: a.accountNumber,
      Industry: a.industry,
      Type: a.type,
      BillingCity: a.city,
      BillingCountry: a.country,
      Phone: `+1 555 01${String(i).padStart(2, '0')}`,
      Website: `https://www.${slug(a.name)}.example`,
    }),
  );
}

function seedContacts(insert: Insert, accounts: ReadonlyArray<SRecord>): void {
  let n = 0;
  accounts.forEach((account, i) => {
    const domain = `${slug(String(account['Name']))}.example`;
    const people = i % 3 === 0 ? 2 : 1;
    for (let p = 0; p < people; p++, n++) {
      const first = pick(FIRST_NAMES, n);
      const last = pick(LAST_NAMES, n * 5 + i);
      insert('Contact', { FirstName: first, LastName: last, Email: `${slug(first)}.${slug(last)}@${domain}`, AccountId: account.Id });
    }
  });
  const obrien = accounts.find((a) => String(a['Name']).startsWith("O'Brien"));
  if (obrien !== undefined) {
    insert('Contact', { FirstName: 'Siobhán', LastName: "O'Brien", Email: 'siobhan.obrien@obriensonsfreight.example', AccountId: obrien.Id });
  }
}

/** Stage and approval go together: deals in negotiation or won carry an approval. */
function approvalFor(stage: string, i: number): string | null {
  if (stage === 'Closed Won') return 'Approved';
  if (stage === 'Negotiation') return i % 2 === 0 ? 'Approved' : 'Submitted';
  if (stage === 'Proposal') return 'Draft';
  return stage === 'Closed Lost' ? 'Rejected' : null;
}

function seedOpportunities(insert: Insert, accounts: ReadonlyArray<SRecord>): SRecord[] {
  return accounts.slice(0, 20).map((account, i) => {
    const stage = pick(OPPORTUNITY_STAGES, i);
    return insert('Opportunity', {
      Name: `${String(account['Name'])} - ${pick(OPPORTUNITY_DEALS, i)}`,
      AccountId: account.Id,
      StageName: stage,
      CloseDate: isoDate(1 + (i % 12), 1 + ((i * 7) % 28)),
      Amount: 5000 + i * 2500,
      Approval_Status__c: approvalFor(stage, i),
    });
  });
}

const QUOTE_STATUS: Readonly<Record<string, { status: string; approval: string }>> = {
  Proposal: { status: 'Needs Review', approval: 'Submitted' },
  Negotiation: { status: 'Approved', approval: 'Approved' },
  'Closed Won': { status: 'Accepted', approval: 'Approved' },
};

function seedQuotes(insert: Insert, opportunities: ReadonlyArray<SRecord>): void {
  for (const opp of opportunities) {
    const quote = QUOTE_STATUS[String(opp['StageName'])];
    if (quote === undefined) continue;
    insert('Quote', {
      Name: `${String(opp['Name'])} Quote`,
      OpportunityId: opp.Id,
      Status: quote.status,
      ExpirationDate: opp['CloseDate'],
      Approval_Status__c: quote.approval,
    });
  }
}

function seedCases(insert: Insert, accounts: ReadonlyArray<SRecord>): void {
  CASE_SUBJECTS.forEach((subject, i) => {
    insert('Case', {
      Subject: subject,
      Status: pick(['New', 'Working', 'Escalated', 'Closed'], i),
      Priority: pick(['Low', 'Medium', 'High'], i),
      Origin: pick(['Email', 'Phone', 'Web', 'FTP'], i),
      AccountId: pick(accounts, i * 3).Id,
      Description: `${subject}. Reported by the customer's operations team.`,
    });
  });
}

function seedOrders(insert: Insert, accounts: ReadonlyArray<SRecord>): void {
  for (let i = 0; i < DEMO_ORDER_COUNT; i++) {
    insert('Order', {
      AccountId: pick(accounts, i).Id,
      Status: pick(['Draft', 'Activated', 'Shipped', 'Activated'], i),
      EffectiveDate: isoDate(1 + (i % 9), 15),
      PoNumber: DEMO_PO_NUMBERS[i],
      TotalAmount: 0,
    });
  }
}

function seedCatalogue(insert: Insert): void {
  for (const p of DEMO_PRODUCTS) {
    insert('Product2', { Name: p.name, ProductCode: p.code, Family: p.family, Description: `${p.family}: ${p.name}` });
  }
  for (const c of CAMPAIGNS) insert('Campaign', { Name: c.name, Type: c.type, Status: c.status, StartDate: c.start, EndDate: c.end });
  for (const l of LEADS) insert('Lead', { FirstName: l.first, LastName: l.last, Company: l.company, Status: l.status });
}

/**
 * Fills a new org with the same realistic records every time: accounts (with a shared account number
 * and names that quote and escape badly), their contacts, deals, quotes, cases and orders, products,
 * campaigns and leads; with S-Drive, folders and a finished file on the first account.
 */
export async function seedDemo(ctx: SandboxContext, opts: { sdrive: boolean }): Promise<void> {
  const insert: Insert = (type, values) => {
    const def = ctx.store.schema.object(type);
    if (def === undefined) throw new Error(`The sandbox schema lacks ${type}`);
    const record = ctx.store.insert(def, values, ctx.defaultUser.id);
    deriveFields(def, record);
    return record;
  };
  const accounts = seedAccounts(insert);
  seedContacts(insert, accounts);
  const opportunities = seedOpportunities(insert, accounts);
  seedQuotes(insert, opportunities);
  seedCases(insert, accounts);
  seedOrders(insert, accounts);
  seedCatalogue(insert);
  const [first] = accounts;
  if (opts.sdrive && first !== undefined) await seedSDriveSample(ctx, first.Id);
}
