import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeScratch } from '../conformance/scratch.js';
import { startTestOrg, type TestOrg } from '../helpers/salesforce.js';
import { jobWorld, type JobWorld } from '../jobs/harness.js';
import {
  addFtpConnection,
  addOrgConnection,
  copyExample,
  filesUnder,
  md5,
  outcomes,
  pathsUnder,
  recordId,
  runJobCli,
  seedServerFolder,
  versionsOn,
} from './support.js';

interface OrderRow {
  readonly Id: string;
  readonly OrderNumber: string;
  readonly PoNumber: string;
  readonly Status: string;
  readonly Exported__c: boolean;
}

describe('example 10: order documents to a legacy ERP over FTP, and its status files back onto the Orders', () => {
  const servers = inject('servers');
  const ftp = servers.ftp['vsftpd-plain'];
  let world: JobWorld;
  let org: TestOrg;
  let erp: string;
  let removeScratch: () => Promise<void> = async () => {};
  let documents: Record<string, Buffer>;
  let statuses: Record<string, Buffer>;
  const order = new Map<string, OrderRow>();

  const orders = async (): Promise<Map<string, OrderRow>> => {
    const rows = await org.session().query<OrderRow>('SELECT Id, OrderNumber, PoNumber, Status, Exported__c FROM Order', 'orders');
    return new Map(rows.map((r) => [r.OrderNumber, r]));
  };
  const attach = async (orderNumber: string, names: ReadonlyArray<string>): Promise<void> => {
    const fs = org.files();
    for (const name of names) await fs.write(`Order/${order.get(orderNumber)?.Id ?? ''}/${name}`, Readable.from([documents[name] ?? Buffer.alloc(0)]));
    await fs.close();
  };

  beforeAll(async () => {
    world = await jobWorld('ex10');
    org = await startTestOrg({ seed: 'demo', port: 0 });
    await copyExample(world, '10-legacy-erp-loop');
    documents = await filesUnder(join(world.work, 'samples/order-documents'));
    statuses = await filesUnder(join(world.work, 'samples/erp-outbox'));
    const scratch = await makeScratch(ftp.home, 'ex10');
    removeScratch = scratch.remove;
    erp = scratch.path;
    await seedServerFolder(erp, { 'inbox/.keep': '', 'outbox/.keep': '' });
    await addFtpConnection(world, 'erp-ftp', ftp, scratch.name);
    await addOrgConnection(world, 'org', org);
    for (const [n, row] of await orders()) order.set(n, row);
  });
  afterAll(async () => {
    await removeScratch();
    await org?.close();
    await world?.close();
  });

  it('sends the documents of activated Orders to the ERP inbox with a header CSV each, and marks the Orders', async () => {
    expect(order.get('00000002')?.Status).toBe('Activated');
    expect(order.get('00000004')?.Status).toBe('Activated');
    expect(order.get('00000001')?.Status).toBe('Draft');
    await attach('00000002', ['order-confirmation.pdf']);
    await attach('00000004', ['order-confirmation.pdf', 'delivery-schedule.csv']);
    await attach('00000001', ['order-confirmation.pdf']);
    const job = join(world.work, 'orders-to-erp.yaml');

    const preview = await runJobCli(world, job, ['--dry-run']);
    expect(outcomes(preview).map(([, o]) => o)).toEqual(['planned', 'planned', 'planned']);
    expect(await pathsUnder(join(erp, 'inbox'))).toEqual(['.keep']);

    const result = await runJobCli(world, job);
    expect(result.status).toBe('succeeded');
    const inbox = await filesUnder(join(erp, 'inbox'));
    expect(Object.keys(inbox).sort()).toEqual([
      '.keep',
      'ORDER-00000002_order-confirmation.hdr.csv',
      'ORDER-00000002_order-confirmation.pdf',
      'ORDER-00000004_delivery-schedule.csv',
      'ORDER-00000004_delivery-schedule.hdr.csv',
      'ORDER-00000004_order-confirmation.hdr.csv',
      'ORDER-00000004_order-confirmation.pdf',
    ]);
    expect(inbox['ORDER-00000002_order-confirmation.pdf']).toEqual(documents['order-confirmation.pdf']);
    expect(inbox['ORDER-00000004_delivery-schedule.csv']).toEqual(documents['delivery-schedule.csv']);
    expect(inbox['ORDER-00000004_delivery-schedule.hdr.csv']?.toString()).toBe(
      'ORDER_NO,PO_NO,CUSTOMER_NO,CUSTOMER,EFFECTIVE,DOCUMENT,SF_ID\r\n' +
        `00000004,PO-2026-0004,ACC-10004,Adventure Works Cycles,2026-04-15,ORDER-00000004_delivery-schedule.csv,${order.get('00000004')?.Id ?? ''}\r\n`,
    );

    const after = await orders();
    expect(after.get('00000002')?.Exported__c).toBe(true);
    expect(after.get('00000004')?.Exported__c).toBe(true);
    expect(after.get('00000001')?.Exported__c).toBe(false);
    expect(after.get('00000006')?.Exported__c).toBe(false);

    expect((await runJobCli(world, job)).files).toEqual([]);
    expect(Object.keys(await filesUnder(join(erp, 'inbox')))).toHaveLength(7);
  });

  it('attaches the ERP\'s status files to the Orders they name, quarantines malformed ones, and keeps unknown orders waiting', async () => {
    // The ERP imported the inbox and answers in its outbox.
    await seedServerFolder(erp, Object.fromEntries(Object.entries(statuses).map(([name, content]) => [`outbox/${name}`, content])));
    const job = join(world.work, 'erp-status-to-orders.yaml');

    const preview = await world.ferry(['run', job, '--dry-run']);
    // The unknown order's file would fail: the preview's exit code says so, as the run's would.
    expect(preview.code, preview.err).toBe(1);
    expect(preview.out).toMatch(/STATUS-00000002\.xml \(\d+ B\): valid\n +→ order-status: STATUS-00000002\.xml → org:Order\/801\w+\/STATUS-00000002\.xml \(new file on the record\) \[record match: exact\]/);
    expect(preview.out).toMatch(/STATUS-00000004\.csv \(\d+ B\): valid\n +→ order-status: .*\[record match: exact\]/);
    expect(preview.out).toMatch(/STATUS-99999999\.xml \(\d+ B\): valid\n +→ order-status: FAILS .*No Order has OrderNumber = '99999999'.*\[record match: none\]/);
    expect(preview.out).toMatch(/STATUS-00000006\.xml \(\d+ B\): INVALID\n +xml: STATUS-00000006\.xml line \d+, column \d+: .*\n +→ quarantine/);
    expect(preview.out).toMatch(/STATUS-00000008\.xml \(\d+ B\): INVALID\n +xml: STATUS-00000008\.xml: the required element OrderStatus\/Status is missing\n +→ quarantine/);

    const result = await runJobCli(world, job);
    expect(result.status).toBe('partial');
    expect(outcomes(result)).toEqual([
      ['STATUS-00000002.xml', 'delivered'],
      ['STATUS-00000004.csv', 'delivered'],
      ['STATUS-00000006.xml', 'quarantined'],
      ['STATUS-00000008.xml', 'quarantined'],
      ['STATUS-99999999.xml', 'failed'],
    ]);
    expect(result.files.find((f) => f.path === 'STATUS-99999999.xml')?.reason).toMatch(/order-status: No Order has OrderNumber = '99999999'/);

    for (const [orderNumber, name] of [['00000002', 'STATUS-00000002.xml'], ['00000004', 'STATUS-00000004.csv']] as const) {
      const versions = await versionsOn(org, order.get(orderNumber)?.Id ?? '');
      const status = versions.filter((v) => v.PathOnClient === name);
      expect(status, `${name} on Order ${orderNumber}`).toEqual([
        expect.objectContaining({ Title: name.replace(/\.\w+$/, ''), VersionNumber: '1', FirstPublishLocationId: order.get(orderNumber)?.Id, Checksum: md5(statuses[name] ?? '') }),
      ]);
      // The documents sent in the first direction are still there, beside the status.
      expect(versions.map((v) => v.Title)).toContain('order-confirmation');
    }
    for (const orderNumber of ['00000006', '00000008']) expect(await versionsOn(org, order.get(orderNumber)?.Id ?? '')).toEqual([]);

    expect(await pathsUnder(join(erp, 'outbox'))).toEqual(['.keep', 'STATUS-99999999.xml']);
    const held = (await world.workspace.history()).journal().quarantined({ job: 'erp-status-to-orders' });
    expect(held.map((q) => q.file).sort()).toEqual(['STATUS-00000006.xml', 'STATUS-00000008.xml']);
    for (const q of held) expect(await readFile(join(q.location, q.file))).toEqual(statuses[q.file]);
  });

  it('makes a newer status for the same Order version 2 of its status file', async () => {
    const shipped = Buffer.from((statuses['STATUS-00000002.xml'] ?? '').toString().replace('<Status>CONFIRMED</Status>', '<Status>SHIPPED</Status>').replace('10:15:00', '16:40:00'));
    await seedServerFolder(erp, { 'outbox/STATUS-00000002.xml': shipped });
    const result = await runJobCli(world, join(world.work, 'erp-status-to-orders.yaml'));
    expect(outcomes(result)).toEqual([
      ['STATUS-00000002.xml', 'delivered'],
      ['STATUS-99999999.xml', 'failed'],
    ]);
    const orderId = await recordId(org, 'Order', "OrderNumber = '00000002'");
    const versions = (await versionsOn(org, orderId)).filter((v) => v.Title === 'STATUS-00000002');
    expect(versions.map((v) => [v.VersionNumber, v.Checksum])).toEqual([
      ['1', md5(statuses['STATUS-00000002.xml'] ?? '')],
      ['2', md5(shipped)],
    ]);
    expect(new Set(versions.map((v) => v.ContentDocumentId)).size).toBe(1);
    // Direction 1 does not send the status files back to the ERP: the Order is exported already.
    expect((await runJobCli(world, join(world.work, 'orders-to-erp.yaml'))).files).toEqual([]);
  });
});
