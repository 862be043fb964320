import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplesFolder, listJobTemplates, readJobTemplate } from '../../../src/jobs/templates.js';

describe('job templates', () => {
  it('are the ten example flows, titled from their README, main job file first', async () => {
    const templates = await listJobTemplates();
    expect(templates.map((t) => t.name)).toEqual([
      '01-partner-orders-to-erp',
      '02-outbound-partner-feed',
      '03-asset-orchestration',
      '04-catalog-alignment',
      '05-archive-retention',
      '06-partner-onboarding',
      '07-documents-to-salesforce',
      '08-salesforce-export',
      '09-review-loop',
      '10-legacy-erp-loop',
    ]);
    expect(templates[0]?.title).toBe('Partner orders, invoices and price lists from FTPS into the ERP and the DMS');
    expect(templates[3]).toEqual({ name: '04-catalog-alignment', title: 'Catalog alignment: supplier in, marketplaces out', jobFiles: ['inbound.job.yaml', 'outbound.job.yaml'] });
    expect(templates[7]?.jobFiles).toEqual(['job.yaml', 'archive.yaml']);
  });

  it("read a template's job file, and refuse a name or file that is not one", async () => {
    const yaml = await readJobTemplate('04-catalog-alignment', 'outbound.job.yaml');
    expect(yaml).toBe(await readFile(join(examplesFolder(), '04-catalog-alignment', 'outbound.job.yaml'), 'utf8'));
    expect(await readJobTemplate('08-salesforce-export')).toBe(await readFile(join(examplesFolder(), '08-salesforce-export', 'job.yaml'), 'utf8'));
    await expect(readJobTemplate('../05-archive-retention')).rejects.toThrow(/No job template named "..\/05-archive-retention"/);
    await expect(readJobTemplate('04-catalog-alignment', 'README.md')).rejects.toThrow(/has no job file "README.md"; it has inbound.job.yaml, outbound.job.yaml/);
  });
});
