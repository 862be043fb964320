import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_DUPLICATE_ACCOUNT_NUMBER } from '../../src/sandbox/seed/demoData.js';
import { THIS_COMPUTER } from '../../src/shared/contract/models.js';
import { NAMING_SOURCE_NAMES, type NamingTry } from '../../src/shared/contract/namingCommands.js';
import { runFerry } from '../helpers/runFerry.js';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';
import { openHost, type OpenHost } from './openHost.js';

const RULE = 'INV-{AccountNumber}-{*}';
const ACCOUNT = { connection: 'org', object: 'Account' } as const;

function tried(answer: NamingTry): Extract<NamingTry, { status: 'tried' }> {
  if (answer.status !== 'tried') throw new Error(`the rule did not parse: ${answer.message}`);
  return answer;
}

/** The naming-rule editor's core: a rule tried on a folder's names and typed ones against the sandbox org. */
describe('naming rules tried on real file names', () => {
  let host: OpenHost;
  let org: TestOrg;
  let inbox: string;

  beforeAll(async () => {
    host = await openHost('ferry-naming-');
    org = await startTestOrg({ seed: 'demo' });
    const { sandbox } = org;
    const added = await runFerry(host.home, ['connection', 'salesforce', 'org', '--login', sandbox.url, '--client-id', sandbox.jwt.clientId, '--jwt-key', sandbox.jwt.keyFile, '--username', sandbox.context.defaultUser.username]);
    expect(added.code, added.err).toBe(0);
    inbox = join(host.work, 'invoices');
    await mkdir(join(inbox, 'archive'), { recursive: true });
    for (const name of ['INV-ACC-10001-2026-11-02.csv', `INV-${DEMO_DUPLICATE_ACCOUNT_NUMBER}-2026-11-03.csv`, 'INV-ACC-1OO05-2026-11-04.csv', 'orders.csv']) {
      await writeFile(join(inbox, name), 'invoice,amount\n');
    }
  });
  afterAll(async () => {
    await host?.close();
    await org?.close();
  });

  it("applies a rule to a folder's files and to typed names: exact with the record, ambiguous with its candidates, none and not fitting", async () => {
    const answer = tried(
      await host.call('naming.try', { rule: RULE, target: ACCOUNT, source: { connection: THIS_COMPUTER, path: inbox.slice(1) }, names: ['INV-ACC-10003-x.pdf'] }),
    );
    const rows = answer.rows.map((r) => [r.name, r.from, r.match, r.record?.name ?? r.candidates.map((c) => c.name).sort().join(' | ')]);
    // In the order the window lists the folder.
    expect(rows).toEqual([
      ['INV-ACC-1OO05-2026-11-04.csv', 'source', 'none', ''],
      ['INV-ACC-10001-2026-11-02.csv', 'source', 'exact', 'Northwind Traders'],
      [`INV-${DEMO_DUPLICATE_ACCOUNT_NUMBER}-2026-11-03.csv`, 'source', 'ambiguous', 'Contoso Manufacturing | Contoso Manufacturing de México'],
      ['orders.csv', 'source', 'unreadable', ''],
      ['INV-ACC-10003-x.pdf', 'typed', 'exact', 'Fabrikam Logistics'],
    ]);
    expect(answer.fields).toEqual(['AccountNumber']);
    const [misnamed, northwind, contoso, orders] = answer.rows;
    expect(northwind?.captured).toEqual([{ AccountNumber: 'ACC-10001' }]);
    expect(contoso?.candidates.map((c) => c.matchedOn)).toEqual([{ AccountNumber: DEMO_DUPLICATE_ACCOUNT_NUMBER }, { AccountNumber: DEMO_DUPLICATE_ACCOUNT_NUMBER }]);
    expect(contoso?.reason).toMatch(/^2 Account records have AccountNumber = 'ACC-10002'/);
    // A name can be read several ways; every reading is shown, and none named a record.
    expect(misnamed?.captured).toContainEqual({ AccountNumber: 'ACC-1OO05' });
    expect(misnamed?.reason).toMatch(/^No Account has AccountNumber = /);
    expect(orders?.reason).toBe('orders.csv does not match the naming rule "INV-{AccountNumber}-{*}"');
  });

  it('gives the Salesforce ids of the records it finds', async () => {
    const answer = tried(await host.call('naming.try', { rule: RULE, target: ACCOUNT, names: ['INV-ACC-10001-a.pdf', `INV-${DEMO_DUPLICATE_ACCOUNT_NUMBER}-b.pdf`] }));
    const [northwind] = (await host.call('records.search', { connection: 'org', object: 'Account', text: 'ACC-10001', limit: 1 })).records;
    const contosos = (await host.call('records.search', { connection: 'org', object: 'Account', text: DEMO_DUPLICATE_ACCOUNT_NUMBER, limit: 5 })).records;
    expect(answer.rows[0]?.record).toEqual({ id: northwind?.id, name: 'Northwind Traders' });
    expect(answer.rows[1]?.candidates.map((c) => c.id).sort()).toEqual(contosos.map((c) => c.id).sort());
  });

  it('counts the SOQL it took, as the org counts its calls: one query for a whole batch of names', async () => {
    const names = DEMO_ACCOUNTS.flatMap((a, i) => (a.accountNumber === null ? [] : [`INV-${a.accountNumber}-${i}.pdf`]));
    const before = await org.admin.state();
    const answer = tried(await host.call('naming.try', { rule: RULE, target: ACCOUNT, names }));
    const after = await org.admin.state();
    expect(answer.cost.apiCalls).toBe(after.apiCalls - before.apiCalls);
    expect(answer.cost.queries).toBe(1);
    expect(answer.cost.recordsRead).toBe(DEMO_ACCOUNTS.filter((a) => a.accountNumber !== null).length);
    expect(answer.rows.filter((r) => r.match === 'exact')).toHaveLength(names.length - 2);
    expect(answer.cost.apiUsage?.used).toBe(after.apiCalls);
  });

  it('names where a rule that does not parse goes wrong and why, asking Salesforce nothing', async () => {
    const before = await org.admin.state();
    const answers = [];
    for (const rule of ['INV-{AccountNumber-{*}', 'INV-{AccountNumber}{date}.pdf', 'INV-{Account Number}.pdf', '']) {
      answers.push(await host.call('naming.try', { rule, target: ACCOUNT, names: ['INV-ACC-10001-a.pdf'] }));
    }
    expect(answers.map((a) => (a.status === 'invalid' ? [a.position, a.reason] : a.status))).toEqual([
      [5, '"{" does not open or close a placeholder'],
      [20, '{AccountNumber} and {date} need text between them'],
      [5, '{Account Number} is neither a field name (letters, digits and underscores) nor date, number, * or **'],
      [1, 'it is empty'],
    ]);
    expect((await org.admin.state()).apiCalls).toBe(before.apiCalls);
  });

  it('refuses a field the object does not have, and a connection that is not Salesforce, in words', async () => {
    const unknown = await host.core.invoke('naming.try', { rule: 'INV-{AcountNumber}-{*}', target: ACCOUNT, names: ['INV-ACC-10001-a.pdf'] });
    expect(unknown.ok ? undefined : unknown.error.message).toBe('the naming rule "INV-{AcountNumber}-{*}" uses {AcountNumber}, but Account has no field AcountNumber');
    const local = await host.core.invoke('naming.try', { rule: RULE, target: { connection: THIS_COMPUTER, object: 'tmp' }, names: [] });
    expect(local.ok ? undefined : [local.error.kind, local.error.message]).toEqual(['unsupported', '@computer is not a Salesforce Files connection: a naming rule finds records there']);
  });

  it(`reads at most ${NAMING_SOURCE_NAMES} of a folder's names and says how many it left out`, async () => {
    const big = join(host.work, 'big');
    await mkdir(big);
    for (let i = 0; i < NAMING_SOURCE_NAMES + 3; i++) await writeFile(join(big, `INV-ACC-${String(i).padStart(5, '0')}-x.csv`), '');
    const answer = tried(await host.call('naming.try', { rule: RULE, target: ACCOUNT, source: { connection: THIS_COMPUTER, path: big.slice(1) }, names: [] }));
    expect([answer.rows.length, answer.sourceLeftOut, answer.rows.at(-1)?.name]).toEqual([NAMING_SOURCE_NAMES, 3, `INV-ACC-00${NAMING_SOURCE_NAMES - 1}-x.csv`]);
  });
});

describe("naming rules in jobs' routes", () => {
  let host: OpenHost;
  const JOB = `version: 1
# Invoices from the partner, filed on their Account.
name: invoices
source:
  location: partner:/outbox   # the partner's drop folder
routes:
  - name: to-accounts
    to: org:Account/
    # Account numbers like ACC-10001 hold a dash: the rule lets the records decide.
    attachBy: 'INV-{AccountNumber}-{*}'
  - name: archive
    to: ./archive
`;

  beforeAll(async () => {
    host = await openHost('ferry-naming-jobs-');
    await mkdir(host.workspace.paths.jobs, { recursive: true });
    await writeFile(join(host.workspace.paths.jobs, 'invoices.yaml'), JOB);
    await writeFile(join(host.workspace.paths.jobs, 'broken.yaml'), 'version: 1\nname: broken\n');
  });
  afterAll(async () => {
    await host?.close();
  });

  it('lists the routes that attach by a rule, with their source and target, and the job files that do not load', async () => {
    const { routes, unreadable } = await host.call('naming.routes', {});
    expect(routes).toEqual([
      { file: 'invoices.yaml', job: 'invoices', route: 'to-accounts', rule: 'INV-{AccountNumber}-{*}', target: { connection: 'org', object: 'Account' }, source: { connection: 'partner', path: 'outbox' } },
    ]);
    expect(unreadable.map((u) => u.file)).toEqual(['broken.yaml']);
    expect(unreadable[0]?.reason).toMatch(/source/);
  });

  it('saves a rule into its route, keeping every comment and the quoting, and refuses one a run would refuse', async () => {
    const saved = await host.call('naming.save', { file: 'invoices.yaml', route: 'to-accounts', rule: 'INV-{AccountNumber}-{date}.csv' });
    expect(saved.route.rule).toBe('INV-{AccountNumber}-{date}.csv');
    const file = join(host.workspace.paths.jobs, 'invoices.yaml');
    expect(await readFile(file, 'utf8')).toBe(JOB.replace("attachBy: 'INV-{AccountNumber}-{*}'", "attachBy: 'INV-{AccountNumber}-{date}.csv'"));
    const bad = await host.core.invoke('naming.save', { file: 'invoices.yaml', route: 'to-accounts', rule: 'INV-{AccountNumber' });
    expect(bad.ok ? undefined : bad.error.message).toMatch(/routes\[0\]\.attachBy: The naming rule "INV-\{AccountNumber" is invalid at character 5/);
    const outside = await host.core.invoke('naming.save', { file: '../settings.yaml', route: 'to-accounts', rule: RULE });
    expect(outside.ok ? undefined : outside.error.message).toBe('"../settings.yaml" is not the name of a YAML job file in the jobs folder');
    const noRule = await host.core.invoke('naming.save', { file: 'invoices.yaml', route: 'archive', rule: RULE });
    expect(noRule.ok ? undefined : noRule.error.message).toBe('The route "archive" of invoices.yaml attaches by no naming rule');
    expect((await host.call('naming.routes', {})).routes[0]?.rule).toBe('INV-{AccountNumber}-{date}.csv');
  });
});
