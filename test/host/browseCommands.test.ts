import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THIS_COMPUTER } from '../../src/shared/contract/models.js';
import { runFerry } from '../helpers/runFerry.js';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';
import { openHost, type OpenHost } from './openHost.js';

/** The commands the dual-pane browser adds: type-ahead over a whole folder, and finding records. */
describe('the core behind the browser: type-ahead and record search', () => {
  let host: OpenHost;
  let org: TestOrg;

  beforeAll(async () => {
    host = await openHost('ferry-browse-');
    org = await startTestOrg({ seed: 'demo', sdrive: true });
    const { sandbox } = org;
    const login = ['--login', sandbox.url, '--client-id', sandbox.jwt.clientId, '--jwt-key', sandbox.jwt.keyFile, '--username', sandbox.context.defaultUser.username];
    for (const [name, extra] of [['org', []], ['drive', ['--sdrive']]] as const) {
      const added = await runFerry(host.home, ['connection', 'salesforce', name, ...login, ...extra]);
      expect(added.code, added.err).toBe(0);
    }
  });
  afterAll(async () => {
    await host?.close();
    await org?.close();
  });


  it('locates the first name starting with typed letters in the order and filter a page lists, far past the first page', async () => {
    const folder = join(host.work, 'many');
    await mkdir(folder);
    for (let i = 0; i < 600; i++) await writeFile(join(folder, `file-${String(i).padStart(4, '0')}.txt`), '');
    await writeFile(join(folder, 'Zebra.csv'), '');
    await mkdir(join(folder, 'zoo'));
    const path = folder.slice(1);
    const byName = { by: 'name', direction: 'asc' } as const;
    const zebra = await host.call('files.locate', { connection: THIS_COMPUTER, path, sort: byName, prefix: 'ze' });
    const page = await host.call('files.list', { connection: THIS_COMPUTER, path, offset: zebra.index ?? 0, limit: 1, sort: byName });
    expect([zebra.index, page.entries[0]?.name]).toEqual([601, 'Zebra.csv']);
    // Folders come first whichever way names run, so "z" finds the folder before the file.
    expect(await host.call('files.locate', { connection: THIS_COMPUTER, path, sort: byName, prefix: 'Z' })).toEqual({ index: 0 });
    expect(await host.call('files.locate', { connection: THIS_COMPUTER, path, sort: { by: 'name', direction: 'desc' }, prefix: 'FILE-0599' })).toEqual({ index: 2 });
    expect(await host.call('files.locate', { connection: THIS_COMPUTER, path, sort: byName, filter: '.txt', prefix: 'file-0300' })).toEqual({ index: 300 });
    expect(await host.call('files.locate', { connection: THIS_COMPUTER, path, sort: byName, prefix: 'nothing' })).toEqual({ index: null });
  });

  it('finds Accounts by name or by account number, each with a folder that opens that record', async () => {
    const byName = await host.call('records.search', { connection: 'org', object: 'Account', text: 'contoso', limit: 10 });
    expect(byName.records.map((r) => r.name)).toEqual(['Contoso Manufacturing', 'Contoso Manufacturing de México']);
    const byNumber = await host.call('records.search', { connection: 'org', object: 'Account', text: 'ACC-10003', limit: 10 });
    expect(byNumber.records.map((r) => [r.name, r.fields])).toEqual([['Fabrikam Logistics', { AccountNumber: 'ACC-10003' }]]);
    const [fabrikam] = byNumber.records;
    expect(fabrikam?.path).toBe(`Account/Fabrikam Logistics (${fabrikam?.id})`);
    const opened = await host.call('files.list', { connection: 'org', path: fabrikam?.path ?? '', offset: 0, limit: 10, sort: { by: 'name', direction: 'asc' } });
    expect(opened.path).toBe(fabrikam?.path);
    const limited = await host.call('records.search', { connection: 'org', object: 'Account', text: 'a', limit: 3 });
    expect(limited.records).toHaveLength(3);
  });

  it('pages through more matching records than one page holds, each once and in name order', async () => {
    const search = (offset: number, limit: number) => host.call('records.search', { connection: 'org', object: 'Account', text: 'ACC-100', limit, offset });
    const all = await search(0, 200);
    expect([all.records.length > 20, all.more]).toEqual([true, false]);
    const first = await search(0, 20);
    const second = await search(20, 20);
    expect([first.records.length, first.more]).toEqual([20, true]);
    expect([...first.records, ...second.records].map((r) => r.id)).toEqual(all.records.map((r) => r.id));
    expect(second.more).toBe(all.records.length > 40);
    const past = await search(all.records.length, 20);
    expect(past).toEqual({ records: [], more: false });
  });

  it("takes a search's wildcards and quotes as plain text", async () => {
    expect((await host.call('records.search', { connection: 'org', object: 'Account', text: "O'Brien", limit: 5 })).records.map((r) => r.name)).toEqual(["O'Brien & Sons Freight"]);
    expect((await host.call('records.search', { connection: 'org', object: 'Account', text: '%', limit: 5 })).records).toEqual([]);
  });

  it('names records known only by their id, leaving out ids of no record', async () => {
    const [northwind] = (await host.call('records.search', { connection: 'org', object: 'Account', text: 'Northwind', limit: 1 })).records;
    const id = northwind?.id ?? '';
    const unknown = `001${'0'.repeat(15)}`;
    expect(await host.call('records.names', { connection: 'org', object: 'Account', ids: [id, id.slice(0, 15), unknown] })).toEqual({ names: { [id]: 'Northwind Traders', [id.slice(0, 15)]: 'Northwind Traders' } });
  });

  it('searches the records of an S-Drive connection, whose folders hold S-Drive folders', async () => {
    const [northwind] = (await host.call('records.search', { connection: 'drive', object: 'Account', text: 'ACC-10001', limit: 5 })).records;
    expect(northwind?.name).toBe('Northwind Traders');
    const listing = await host.call('files.list', { connection: 'drive', path: northwind?.path ?? '', offset: 0, limit: 10, sort: { by: 'name', direction: 'asc' } });
    expect(listing.entries.map((e) => [e.name, e.kind])).toEqual([['Contracts', 'dir'], ['Photos', 'dir'], ['Price list 2026.csv', 'file']]);
  });

  it('refuses a search where there are no records, and one outside an object folder, in words', async () => {
    const local = await host.core.invoke('records.search', { connection: THIS_COMPUTER, object: 'tmp', text: 'x', limit: 5 });
    expect(local.ok ? undefined : [local.error.kind, local.error.message]).toEqual(['unsupported', '@computer is not a Salesforce connection: it has no records to search']);
    const deep = await host.core.invoke('records.search', { connection: 'org', object: 'Account/Northwind Traders', text: 'x', limit: 5 });
    expect(deep.ok ? undefined : [deep.error.kind, deep.error.message]).toEqual(['badRequest', 'records.search: an object folder is one name, e.g. Account (object)']);
  });
});
