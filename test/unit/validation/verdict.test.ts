import { execFileSync } from 'node:child_process';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ValidationConfig } from '../../../src/validation/config.js';
import { createValidator, RULE_IDS } from '../../../src/validation/validateFile.js';
import { Staging } from './staging.js';

describe('validation verdict', () => {
  let staging: Staging;
  beforeEach(async () => {
    staging = await Staging.create();
  });
  afterEach(async () => {
    await staging.remove();
  });

  const config: ValidationConfig = {
    minSize: '1 KB',
    maxSize: '1 MB',
    name: 'ORD_(?<date>\\d{8})\\.csv',
    extensions: ['csv'],
    contentType: true,
    companions: ['{stem}.done'],
    checksum: { algorithm: 'sha256' },
    csv: { columns: [{ name: 'id', type: 'integer', required: true }], trailer: { pattern: 'TRL;(?<count>\\d+)', count: 'count' } },
  };

  it('reports every problem of a file at once, in a stable order', async () => {
    const file = await staging.file('orders.txt', 'id\nx\n', { manifest: new Map() });
    const verdict = await createValidator(config, { baseDir: staging.dir }).validate(file);
    expect(verdict.passed).toBe(false);
    expect(verdict.results.map((r) => [r.rule, r.passed])).toEqual([
      ['size', false],
      ['name', false],
      ['extension', false],
      ['companions', false],
      ['content-type', true],
      ['checksum', false],
      ['csv', false],
    ]);
    expect(verdict.reason).toBe('inbox/orders.txt is 5 bytes, less than the minimum of 1 KB (1000 bytes)');
    expect(verdict.captures).toEqual({});
    expect(verdict.rows).toBe(1);
    for (const result of verdict.results) expect(result.message).toContain('inbox/orders.txt');
    expect(RULE_IDS).toEqual(expect.arrayContaining(verdict.results.map((r) => r.rule)));
  });

  it('passes a file that meets every rule, with its captures and row count', async () => {
    const body = `id\n${Array.from({ length: 300 }, (_, i) => String(i + 1)).join('\n')}\nTRL;300\n`;
    const file = await staging.file('ORD_20240131.csv', body, { siblings: ['ORD_20240131.done'] });
    const verdict = await createValidator(config, { baseDir: staging.dir }).validate(file);
    expect(verdict.results.filter((r) => !r.passed)).toEqual([]);
    expect(verdict).toMatchObject({ passed: true, captures: { date: '20240131' }, rows: 300, reason: undefined });
    expect(verdict.results).toHaveLength(7);
  });

  it('stops when the signal is aborted', async () => {
    const file = await staging.file('ORD_20240131.csv', 'id\n1\n');
    const controller = new AbortController();
    controller.abort(new Error('job cancelled'));
    await expect(createValidator(config, { baseDir: staging.dir }).validate(file, controller.signal)).rejects.toThrow('job cancelled');
  });

  it('stops reading a CSV when the signal is aborted midway', async () => {
    // A FIFO that is never closed: the file never ends, so only the signal can finish the check.
    const localPath = join(staging.dir, 'endless.csv');
    execFileSync('mkfifo', [localPath]);
    const file = { name: 'endless.csv', relativePath: 'inbox/endless.csv', localPath, size: 0, siblings: new Set<string>() };
    const controller = new AbortController();
    const pending = createValidator({ csv: { columns: [{ name: 'id', type: 'integer' }] } }, { baseDir: staging.dir }).validate(file, controller.signal);
    const writer = await open(localPath, 'w');
    try {
      await writer.write('id\n1\n2\n');
      await new Promise((resolve) => setTimeout(resolve, 50));
      controller.abort();
      // One more chunk ends the read that is waiting, so the stream can notice it has been aborted.
      await writer.write('3\n');
      const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('the check did not stop')), 5000));
      await expect(Promise.race([pending, timeout])).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      await writer.close();
    }
  });
});
