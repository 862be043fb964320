import { Connection } from '@jsforce/jsforce-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DEMO_ACCOUNT_NUMBERS,
  DEMO_ACCOUNTS,
  DEMO_DUPLICATE_ACCOUNT_NUMBER,
  DEMO_PO_NUMBERS,
  DEMO_PRODUCT_CODES,
  DEMO_SDRIVE,
} from '../../src/sandbox/seed/demo.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';

// jsforce reads the proxy variables when it loads; vi.hoisted runs before the imports above.
vi.hoisted(() => {
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete process.env[name];
});

const FILE_BEARING = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case', 'Order', 'Product2', 'Campaign', 'Quote'] as const;

let sandbox: Sandbox;
let conn: Connection;

function connect(target: Sandbox): Connection {
  const accessToken = target.oauth.issueAccessToken(target.context.defaultUser.username);
  return new Connection({ instanceUrl: target.url, accessToken, version: '64.0' });
}

async function rows<T extends object>(connection: Connection, soql: string): Promise<T[]> {
  const result = await connection.query<T>(soql, { autoFetch: true, maxFetch: 10_000 });
  return result.records;
}

async function count(connection: Connection, soql: string): Promise<number> {
  return (await connection.query(soql)).totalSize;
}

/** What must come out the same from every seeding: names, numbers and codes in a fixed order. */
async function fingerprint(connection: Connection): Promise<string[]> {
  const accounts = await rows<{ Name: string; AccountNumber: string | null }>(connection, 'SELECT Name, AccountNumber FROM Account ORDER BY Name');
  const contacts = await rows<{ Name: string; Email: string }>(connection, 'SELECT Name, Email FROM Contact ORDER BY Email');
  const orders = await rows<{ OrderNumber: string; PoNumber: string }>(connection, 'SELECT OrderNumber, PoNumber FROM Order ORDER BY OrderNumber');
  const deals = await rows<{ Name: string; StageName: string; Amount: number }>(connection, 'SELECT Name, StageName, Amount FROM Opportunity ORDER BY Name');
  return [...accounts, ...contacts, ...orders, ...deals].map((r) => JSON.stringify({ ...r, attributes: undefined }));
}

beforeAll(async () => {
  sandbox = await startSandbox({ sdrive: true, seed: 'demo' });
  conn = connect(sandbox);
});

afterAll(async () => {
  await sandbox.close();
});

describe('demo seed', () => {
  it('has every account number, and one of them on two accounts', async () => {
    const accounts = await rows<{ Name: string; AccountNumber: string | null }>(conn, 'SELECT Name, AccountNumber FROM Account');
    expect(accounts).toHaveLength(DEMO_ACCOUNTS.length);
    expect(DEMO_ACCOUNT_NUMBERS).toHaveLength(30);
    expect(DEMO_ACCOUNT_NUMBERS[0]).toBe('ACC-10001');
    const numbers = new Set(accounts.map((a) => a.AccountNumber));
    for (const n of DEMO_ACCOUNT_NUMBERS) expect(numbers.has(n)).toBe(true);
    const shared = await rows<{ Name: string }>(conn, `SELECT Name FROM Account WHERE AccountNumber = '${DEMO_DUPLICATE_ACCOUNT_NUMBER}'`);
    expect(shared).toHaveLength(2);
    expect(await count(conn, 'SELECT COUNT() FROM Account WHERE AccountNumber = null')).toBeGreaterThan(0);
  });

  it('has account names with apostrophes and ampersands that SOQL can still find', async () => {
    const names = DEMO_ACCOUNTS.map((a) => a.name);
    const awkward = names.filter((n) => n.includes("'") && n.includes('&'));
    expect(awkward.length).toBeGreaterThan(0);
    for (const name of awkward) {
      const found = await rows<{ Name: string }>(conn, `SELECT Name FROM Account WHERE Name = '${name.replace(/'/g, "\\'")}'`);
      expect(found).toEqual([expect.objectContaining({ Name: name })]);
    }
  });

  it('has products with their codes', async () => {
    const products = await rows<{ ProductCode: string; Name: string }>(conn, "SELECT ProductCode, Name FROM Product2 WHERE ProductCode LIKE 'PRD-%' ORDER BY ProductCode");
    expect(products.map((p) => p.ProductCode)).toEqual(DEMO_PRODUCT_CODES);
    expect(DEMO_PRODUCT_CODES).toHaveLength(20);
    expect(DEMO_PRODUCT_CODES[0]).toBe('PRD-1001');
  });

  it('has orders with purchase order numbers and auto-numbered order numbers', async () => {
    const orders = await rows<{ OrderNumber: string; PoNumber: string; AccountId: string }>(conn, 'SELECT OrderNumber, PoNumber, AccountId FROM Order ORDER BY PoNumber');
    expect(orders.map((o) => o.PoNumber)).toEqual(DEMO_PO_NUMBERS);
    expect(new Set(orders.map((o) => o.OrderNumber)).size).toBe(orders.length);
    for (const o of orders) {
      expect(o.OrderNumber).toMatch(/^\d{8}$/);
      expect(o.AccountId).toMatch(/^001/);
    }
  });

  it('has approved and won opportunities, with quotes', async () => {
    expect(await count(conn, "SELECT COUNT() FROM Opportunity WHERE Approval_Status__c = 'Approved'")).toBeGreaterThan(0);
    expect(await count(conn, "SELECT COUNT() FROM Opportunity WHERE StageName = 'Closed Won' AND IsClosed = true")).toBeGreaterThan(0);
    expect(await count(conn, "SELECT COUNT() FROM Quote WHERE Approval_Status__c = 'Approved'")).toBeGreaterThan(0);
  });

  it('populates every object that can carry files, contacts with their derived names', async () => {
    for (const type of FILE_BEARING) expect(await count(conn, `SELECT COUNT() FROM ${type}`), type).toBeGreaterThan(0);
    const contacts = await rows<{ Name: string; FirstName: string; LastName: string; AccountId: string }>(conn, 'SELECT Name, FirstName, LastName, AccountId FROM Contact');
    for (const c of contacts) {
      expect(c.Name).toBe(`${c.FirstName} ${c.LastName}`);
      expect(c.AccountId).toMatch(/^001/);
    }
  });

  it('puts S-Drive folders and one finished file on the first account', async () => {
    const [first] = await rows<{ Id: string }>(conn, `SELECT Id FROM Account WHERE AccountNumber = '${DEMO_SDRIVE.accountNumber}'`);
    const files = await rows<{ cg__File_Name__c: string; cg__Content_Type__c: string; cg__WIP__c: boolean; cg__File_Size_in_Bytes__c: number | null }>(
      conn,
      `SELECT cg__File_Name__c, cg__Content_Type__c, cg__WIP__c, cg__File_Size_in_Bytes__c FROM cg__AccountFile__c WHERE cg__Account__c = '${first?.Id ?? ''}' ORDER BY cg__File_Name__c`,
    );
    expect(files.every((f) => !f.cg__WIP__c)).toBe(true);
    expect(files.filter((f) => f.cg__Content_Type__c === 'Folder').map((f) => f.cg__File_Name__c)).toEqual([...DEMO_SDRIVE.folders]);
    const [file] = files.filter((f) => f.cg__Content_Type__c !== 'Folder');
    expect(file).toMatchObject({ cg__File_Name__c: DEMO_SDRIVE.file.name, cg__Content_Type__c: DEMO_SDRIVE.file.contentType });
    expect(file?.cg__File_Size_in_Bytes__c).toBeGreaterThan(0);
  });

  it('seeds the same records every time, and the S-Drive sample only when asked', async () => {
    const other = await startSandbox({ seed: 'demo' });
    try {
      const otherConn = connect(other);
      expect(await fingerprint(otherConn)).toEqual(await fingerprint(conn));
      const described = await fetch(`${other.url}/services/data/v64.0/sobjects/cg__AccountFile__c/describe`, {
        headers: { Authorization: `Bearer ${otherConn.accessToken ?? ''}` },
      });
      expect(described.status).toBe(404);
      await described.text();
    } finally {
      await other.close();
    }
  });
});
