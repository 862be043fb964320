import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileToValidate, RuleResult, ValidationVerdict } from '../../../src/validation/validateFile.js';

export interface StagedOptions {
  readonly siblings?: readonly string[];
  readonly manifest?: ReadonlyMap<string, { readonly checksum?: string; readonly size?: number }>;
  /** The size the source reported, when a test needs it to differ from the bytes on disk. */
  readonly size?: number;
}

/** A temporary staging folder holding the files of one test. */
export class Staging {
  private constructor(readonly dir: string) {}

  static async create(): Promise<Staging> {
    return new Staging(await mkdtemp(join(tmpdir(), 'ferry-validation-')));
  }

  async file(name: string, content: string | Uint8Array, options: StagedOptions = {}): Promise<FileToValidate> {
    const localPath = join(this.dir, name);
    await writeFile(localPath, content);
    return {
      name,
      relativePath: `inbox/${name}`,
      localPath,
      size: options.size ?? (await stat(localPath)).size,
      siblings: new Set(options.siblings ?? []),
      manifest: options.manifest,
    };
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

export function ruleResult(verdict: ValidationVerdict, rule: string): RuleResult {
  const found = verdict.results.find((result) => result.rule === rule);
  if (found === undefined) throw new Error(`no result for rule ${rule}; got ${verdict.results.map((r) => r.rule).join(', ')}`);
  return found;
}

/** Every problem a rule listed, for assertions that look past the first one. */
export function problems(result: RuleResult): string[] {
  const listed = result.details?.problems;
  return Array.isArray(listed) ? listed.map(String) : result.passed ? [] : [result.message];
}
