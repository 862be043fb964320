import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const DEMO_JOB_NAME = 'demo-invoices';

/**
 * The SFTP partner's invoices checked and filed by account: the misnamed one and the one with a refund in
 * a currency the rules do not take go to quarantine, so that `ferry run demo-invoices --dry-run` shows a
 * whole run while the demo runs.
 */
function demoJob(source: string, archive: string): string {
  return `version: 1
name: ${DEMO_JOB_NAME}
description: The partner's invoices checked and filed by account and day.
source:
  location: ${source}:invoices
arrival:
  stableFor: 0s
validate:
  name: '^INV-(?<account>ACC-\\d{5})-(?<day>\\d{4}-\\d{2}-\\d{2})\\.csv$'
  maxSize: 1MB
  csv:
    columns:
      - { name: invoice, required: true, pattern: 'INV-\\d+' }
      - { name: account, required: true }
      - { name: amount, type: decimal, min: 0 }
      - { name: currency, enum: [EUR, USD, GBP] }
routes:
  - name: archive
    to: ${JSON.stringify(`${archive}/invoices/{account}/`)}
    rename: '{account}_{day}.csv'
`;
}

/**
 * Adds the demo job unless a job file of that name is there already: someone may have changed it. It
 * reads from the `source` connection and files into the folder `archiveFolder` on this machine.
 */
export async function writeDemoJob(jobsFolder: string, source: string, archiveFolder: string): Promise<string> {
  const file = join(jobsFolder, `${DEMO_JOB_NAME}.yaml`);
  await mkdir(jobsFolder, { recursive: true });
  try {
    await writeFile(file, demoJob(source, archiveFolder), { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return file;
}
