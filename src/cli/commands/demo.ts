import type { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ferryPaths } from '../../config/ferryHome.js';
import { Workspace } from '../../workspace/Workspace.js';
import { print, type CliIo } from '../io.js';

/** Sample files a partner typically drops: invoices, an order feed, a delivery note with an awkward name. */
const PARTNER_FILES: Readonly<Record<string, string>> = {
  'invoices/INV-ACME-1001-2026-11-02.csv': 'invoice,account,amount,currency\nINV-1001,ACME-001,1250.00,EUR\n',
  'invoices/INV-GLOBEX-1002-2026-11-03.csv': 'invoice,account,amount,currency\nINV-1002,GLOBEX-007,980.50,EUR\n',
  'orders/ORD-2026-11-04.json': '{"orders":[{"number":"ORD-5001","account":"ACME-001","lines":3}]}\n',
  'orders/ORD-2026-11-05.json': '{"orders":[{"number":"ORD-5002","account":"INITECH-042","lines":1}]}\n',
  'delivery notes/Lieferschein Müller #17.txt': 'Delivery note 17 for Müller GmbH\n',
  'invoices/INV-INITECH-1003-2026-11-04.csv': 'invoice,account,amount,currency\nINV-1003,INITECH-042,-75.00,CHF\n',
};

/**
 * A job over the demo folders: invoices validated and sorted into folders by partner, a misnamed or
 * malformed one quarantined, so that `ferry run demo-invoices --dry-run` shows a whole run.
 */
const DEMO_JOB = `version: 1
name: demo-invoices
description: Partner invoices checked and filed by partner and month.
source:
  location: demo-partner:invoices
arrival:
  stableFor: 0s
validate:
  name: '^INV-(?<partner>[A-Z]+)-(?<number>\\d+)-(?<day>\\d{4}-\\d{2}-\\d{2})\\.csv$'
  maxSize: 1MB
  csv:
    columns:
      - { name: invoice, required: true, pattern: 'INV-\\d+' }
      - { name: account, required: true }
      - { name: amount, type: decimal, min: 0 }
      - { name: currency, enum: [EUR, USD, GBP] }
routes:
  - name: archive
    to: demo-archive:invoices/{partner}/
    rename: '{partner}_{number}_{day}.csv'
`;

export function registerDemoCommand(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('set up a demo workspace with sample partner files (no server needed)')
    .action(async () => {
      const paths = ferryPaths(io.env);
      const ws = new Workspace(paths, io.env);
      const base = join(paths.home, 'demo');
      const drop = join(base, 'partner-drop');
      const archive = join(base, 'archive');
      for (const [rel, content] of Object.entries(PARTNER_FILES)) {
        await mkdir(join(drop, rel, '..'), { recursive: true });
        await writeFile(join(drop, rel), content);
      }
      await mkdir(archive, { recursive: true });
      await ws.saveConnection({ name: 'demo-partner', kind: 'local', root: drop }, {});
      await ws.saveConnection({ name: 'demo-archive', kind: 'local', root: archive }, {});
      await mkdir(paths.jobs, { recursive: true });
      await writeFile(join(paths.jobs, 'demo-invoices.yaml'), DEMO_JOB);
      print(io, `Demo workspace ready in ${paths.home}`);
      print(io, '');
      print(io, 'Two connections were added: demo-partner (a partner drop folder) and demo-archive.');
      print(io, 'Try:');
      print(io, '  npx ferry connection list');
      print(io, '  npx ferry ls demo-partner:invoices');
      print(io, '  npx ferry copy demo-partner: demo-archive:2026-11 --recursive --dry-run');
      print(io, '  npx ferry copy demo-partner: demo-archive:2026-11 --recursive');
      print(io, '  npx ferry move demo-partner:orders demo-archive:orders --recursive --json');
      print(io, '');
      print(io, `A job was added too (${join(paths.jobs, 'demo-invoices.yaml')}):`);
      print(io, '  npx ferry run demo-invoices --dry-run   # what would happen to each invoice');
      print(io, '  npx ferry run demo-invoices             # files them by partner; the bad one goes to quarantine');
      print(io, '  npx ferry quarantine list');
    });
}
