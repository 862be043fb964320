import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DEMO_ACCOUNTS, DEMO_DUPLICATE_ACCOUNT_NUMBER } from '../sandbox/seed/demo.js';

/** One sample file a partner left on its server, dated as the partner would have sent it. */
export interface PartnerFile {
  readonly path: string;
  readonly content: string;
  readonly sentOn: string;
}

/** The Account with this number in the demo org: invoices name their customers by it. */
function customer(accountNumber: string): string {
  const account = DEMO_ACCOUNTS.find((a) => a.accountNumber === accountNumber);
  if (account === undefined) throw new Error(`The demo org has no Account ${accountNumber}`);
  return account.name;
}

function invoice(accountNumber: string, day: string, number: number, amount: string, currency: string): PartnerFile {
  return {
    path: `invoices/INV-${accountNumber}-${day}.csv`,
    content: `invoice,account,amount,currency\nINV-${number},${accountNumber},${amount},${currency}\n`,
    sentOn: day,
  };
}

/**
 * What the SFTP partner offers: invoices that attach to their Accounts by number, one whose number two
 * Accounts share, one misnamed (the letter O for a zero: no Account has that number), one whose amount
 * a check refuses, and orders and a delivery note beside them.
 */
export const SFTP_PARTNER_FILES: ReadonlyArray<PartnerFile> = [
  invoice('ACC-10001', '2026-11-02', 1001, '1250.00', 'EUR'),
  invoice('ACC-10003', '2026-11-03', 1002, '980.50', 'EUR'),
  invoice('ACC-10007', '2026-11-04', 1003, '2310.00', 'EUR'),
  invoice(DEMO_DUPLICATE_ACCOUNT_NUMBER, '2026-11-04', 1004, '415.20', 'USD'),
  invoice('ACC-1OO05', '2026-11-05', 1005, '77.00', 'USD'),
  invoice('ACC-10022', '2026-11-05', 1006, '-75.00', 'CHF'),
  {
    path: 'orders/ORD-2026-11-04.json',
    content: `${JSON.stringify({ orders: [{ number: 'ORD-5001', account: 'ACC-10001', customer: customer('ACC-10001'), lines: 3 }] })}\n`,
    sentOn: '2026-11-04',
  },
  {
    path: 'orders/ORD-2026-11-05.json',
    content: `${JSON.stringify({ orders: [{ number: 'ORD-5002', account: 'ACC-10003', customer: customer('ACC-10003'), lines: 1 }] })}\n`,
    sentOn: '2026-11-05',
  },
  {
    path: 'delivery notes/Lieferschein Müller #17.txt',
    content: `Lieferschein 17\nKunde: ${customer('ACC-10022')} (ACC-10022)\n2 Paletten, 14 Kartons\n`,
    sentOn: '2026-11-05',
  },
];

/** What the FTP partner offers: two more invoices, a purchase order and a delivery note. */
export const FTP_PARTNER_FILES: ReadonlyArray<PartnerFile> = [
  invoice('ACC-10009', '2026-11-06', 2001, '3120.00', 'USD'),
  invoice('ACC-10021', '2026-11-06', 2002, '860.00', 'EUR'),
  {
    path: 'orders/PO-ACC-10009-4471.csv',
    content: 'po,account,product,quantity\nPO-4471,ACC-10009,Industrial Pump IP-200,4\n',
    sentOn: '2026-11-06',
  },
  {
    path: 'delivery-notes/DN-2026-11-06-0042.txt',
    content: `Delivery note 0042 for ${customer('ACC-10009')} (ACC-10009): 4 crates\n`,
    sentOn: '2026-11-06',
  },
];

/**
 * Puts each file that is missing under `root`; files already there are left as they are, whatever
 * someone has done to them since.
 */
export async function seedPartnerFiles(root: string, files: ReadonlyArray<PartnerFile>): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const file of files) {
    const local = join(root, ...file.path.split('/'));
    await mkdir(dirname(local), { recursive: true });
    try {
      await writeFile(local, file.content, { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw e;
    }
    const sent = new Date(`${file.sentOn}T09:30:00Z`);
    await utimes(local, sent, sent);
  }
}
