import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ValidationConfig } from '../../../src/validation/config.js';
import { createValidator } from '../../../src/validation/validateFile.js';
import type { StagedOptions } from './staging.js';
import { problems, ruleResult, Staging } from './staging.js';

describe('companions and checksum rules', () => {
  let staging: Staging;
  beforeEach(async () => {
    staging = await Staging.create();
  });
  afterEach(async () => {
    await staging.remove();
  });

  const validate = async (config: ValidationConfig, name: string, content: string, options: StagedOptions = {}) =>
    createValidator(config, { baseDir: staging.dir }).validate(await staging.file(name, content, options));

  describe('companions', () => {
    const config: ValidationConfig = { companions: ['{stem}.xml', '{name}.sha256', 'done{ext}'] };

    it('passes when every companion is among the siblings', async () => {
      const verdict = await validate(config, 'INV001.pdf', 'x', { siblings: ['INV001.xml', 'INV001.pdf.sha256', 'done.pdf', 'other.txt'] });
      expect(ruleResult(verdict, 'companions')).toMatchObject({ passed: true, details: { found: { 'INV001.xml': 'INV001.xml' } } });
    });

    it('names every missing companion', async () => {
      const verdict = await validate(config, 'INV001.pdf', 'x', { siblings: ['INV001.xml', 'INV002.pdf.sha256'] });
      expect(problems(ruleResult(verdict, 'companions'))).toEqual([
        'inbox/INV001.pdf: the companion file "INV001.pdf.sha256" (from "{name}.sha256") is missing',
        'inbox/INV001.pdf: the companion file "done.pdf" (from "done{ext}") is missing',
      ]);
    });

    it('accepts a companion whose name differs only in case, and reports the name found', async () => {
      const verdict = await validate({ companions: ['{stem}.xml'] }, 'INV001.PDF', 'x', { siblings: ['INV001.XML'] });
      expect(ruleResult(verdict, 'companions')).toMatchObject({ passed: true, details: { found: { 'INV001.xml': 'INV001.XML' } } });
    });

    it('fills in named groups of the name pattern', async () => {
      const withGroups: ValidationConfig = { name: '(?<batch>B\\d+)_.*\\.csv', companions: ['{batch}.ctl'] };
      expect((await validate(withGroups, 'B42_orders.csv', 'x', { siblings: ['B42.ctl'] })).passed).toBe(true);
      expect((await validate(withGroups, 'B43_orders.csv', 'x', { siblings: ['B42.ctl'] })).reason).toBe('inbox/B43_orders.csv: the companion file "B43.ctl" (from "{batch}.ctl") is missing');
      expect((await validate(withGroups, 'orders.csv', 'x', { siblings: ['B42.ctl'] })).results.map((r) => r.message)).toEqual([
        'inbox/orders.csv: the name "orders.csv" does not match the pattern (?<batch>B\\d+)_.*\\.csv',
        'inbox/orders.csv: the companion file for "{batch}.ctl" cannot be named, because the file name did not match the name pattern',
      ]);
    });

    it('refuses a placeholder it cannot fill when the validator is created', () => {
      expect(() => createValidator({ companions: ['{batch}.ctl'] }, { baseDir: staging.dir })).toThrow(/\{batch\} is neither \{name\}, \{stem\}, \{ext\} nor a named group of name/);
    });
  });

  describe('checksum', () => {
    const content = 'id,qty\n1,2\n';
    const sha256 = createHash('sha256').update(content).digest('hex');
    const md5 = createHash('md5').update(content).digest('hex');
    const config: ValidationConfig = { checksum: { algorithm: 'sha256' } };

    it('passes when the digest matches the manifest, whatever its case', async () => {
      const manifest = new Map([['orders.csv', { checksum: sha256.toUpperCase(), size: content.length }]]);
      const result = ruleResult(await validate(config, 'orders.csv', content, { manifest }), 'checksum');
      expect(result).toMatchObject({ passed: true, message: `inbox/orders.csv: sha256 ${sha256} matches the manifest`, details: { digest: sha256 } });
    });

    it('fails on a different digest', async () => {
      const wrong = 'a'.repeat(64);
      const manifest = new Map([['orders.csv', { checksum: wrong }]]);
      const verdict = await validate(config, 'orders.csv', content, { manifest });
      expect(verdict.passed).toBe(false);
      expect(verdict.reason).toBe(`inbox/orders.csv: sha256 is ${sha256}, the manifest says ${wrong}`);
    });

    it('fails a file that the manifest does not list', async () => {
      const manifest = new Map([['other.csv', { checksum: sha256 }]]);
      expect((await validate(config, 'orders.csv', content, { manifest })).reason).toBe('inbox/orders.csv is not listed in the manifest');
    });

    it('fails when the manifest gives a different size or no checksum', async () => {
      const manifest = new Map([['orders.csv', { size: 5 }]]);
      expect(problems(ruleResult(await validate(config, 'orders.csv', content, { manifest }), 'checksum'))).toEqual([
        `inbox/orders.csv has ${content.length} bytes, the manifest says 5`,
        'inbox/orders.csv: the manifest lists no sha256 checksum for it',
      ]);
    });

    it('uses the configured algorithm and accepts a prefixed digest', async () => {
      const manifest = new Map([['orders.csv', { checksum: `md5:${md5}` }]]);
      expect((await validate({ checksum: { algorithm: 'md5' } }, 'orders.csv', content, { manifest })).passed).toBe(true);
    });

    it('reports the digest when there is no manifest to compare with', async () => {
      const result = ruleResult(await validate(config, 'orders.csv', content), 'checksum');
      expect(result).toMatchObject({ passed: true, details: { algorithm: 'sha256', digest: sha256 } });
    });
  });
});
