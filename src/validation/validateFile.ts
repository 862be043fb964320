import type { ValidateFunction } from 'ajv';
import { z } from 'zod';
import { parseSize, validationConfigSchema } from './config.js';
import type { ValidationConfig } from './config.js';
import { compileFullMatch } from './regex.js';
import { checkChecksum, checkCompanions } from './rules/completeness.js';
import type { ChecksumAlgorithm } from './rules/completeness.js';
import { checkContentType } from './rules/content.js';
import type { ContentTypeSetting } from './rules/content.js';
import { checkCsv, compileCsv } from './rules/csv.js';
import type { CsvPlan } from './rules/csv.js';
import { checkJson, compileJsonSchema } from './rules/json.js';
import { checkExtension, checkName, normalizeExtension } from './rules/naming.js';
import { checkSize } from './rules/size.js';
import type { SizeLimits } from './rules/size.js';
import { checkXml } from './rules/xml.js';
import type { FileToValidate, RuleResult } from './types.js';

export type { FileToValidate, RuleId, RuleResult } from './types.js';
export { RULE_IDS } from './types.js';

export interface ValidationVerdict {
  readonly passed: boolean;
  /** One per rule checked, passes included, in the order of RULE_IDS. */
  readonly results: ReadonlyArray<RuleResult>;
  /** Named groups from `name` (empty if none, or if the name did not match). */
  readonly captures: Readonly<Record<string, string>>;
  /** The first failing rule's message, for one-line displays; undefined when passed. */
  readonly reason?: string;
  /** For CSV: the number of data rows; for JSON/XML undefined. */
  readonly rows?: number;
}

export interface FileValidator {
  validate(file: FileToValidate, signal?: AbortSignal): Promise<ValidationVerdict>;
}

/** Everything a config says, compiled once so that judging a file does no parsing of patterns or schemas. */
interface Plan {
  readonly size?: SizeLimits;
  readonly name?: { readonly regex: RegExp; readonly source: string };
  readonly extensions?: readonly string[];
  readonly companions?: readonly string[];
  readonly contentType?: ContentTypeSetting;
  readonly checksum?: ChecksumAlgorithm;
  readonly csv?: CsvPlan;
  readonly json?: ValidateFunction;
  readonly xml?: readonly string[];
}

function compilePlan(config: ValidationConfig, baseDir: string): Plan {
  const hasSize = config.minSize !== undefined || config.maxSize !== undefined;
  return {
    size: hasSize
      ? { min: config.minSize === undefined ? undefined : parseSize(config.minSize), max: config.maxSize === undefined ? undefined : parseSize(config.maxSize) }
      : undefined,
    name: config.name === undefined ? undefined : { regex: compileFullMatch(config.name), source: config.name },
    extensions: config.extensions?.map(normalizeExtension),
    companions: config.companions,
    contentType: config.contentType === false ? undefined : config.contentType,
    checksum: config.checksum?.algorithm,
    csv: config.csv && compileCsv(config.csv),
    json: config.json && compileJsonSchema(config.json, baseDir),
    xml: config.xml && (config.xml.requiredElements ?? []),
  };
}

async function run(plan: Plan, file: FileToValidate, signal: AbortSignal | undefined): Promise<ValidationVerdict> {
  signal?.throwIfAborted();
  const results: RuleResult[] = [];
  let captures: Record<string, string> = {};
  let contentTooLarge = false;
  let rows: number | undefined;

  if (plan.size) {
    const size = checkSize(file, plan.size);
    results.push(size.result);
    contentTooLarge = size.overMax;
  }
  if (plan.name) {
    const name = checkName(file, plan.name.regex, plan.name.source);
    results.push(name.result);
    captures = name.captures;
  }
  if (plan.extensions) results.push(checkExtension(file, plan.extensions));
  if (plan.companions) results.push(checkCompanions(file, plan.companions, captures));
  if (plan.contentType !== undefined) {
    signal?.throwIfAborted();
    results.push(await checkContentType(file, plan.contentType, plan.csv?.encoding));
  }
  if (plan.checksum) results.push(await checkChecksum(file, plan.checksum, signal));
  // A file over maxSize is not parsed at all: the size failure already says why, and the limit protects the parsers.
  if (!contentTooLarge) {
    if (plan.csv) {
      const csv = await checkCsv(file, plan.csv, signal);
      results.push(csv.result);
      rows = csv.rows;
    }
    if (plan.json) results.push(await checkJson(file, plan.json, signal));
    if (plan.xml) results.push(await checkXml(file, plan.xml, signal));
  }
  signal?.throwIfAborted();

  const failed = results.find((result) => !result.passed);
  return { passed: failed === undefined, results, captures, reason: failed?.message, rows };
}

/**
 * Checks the config and compiles every pattern and schema up front: a config that cannot be applied throws here,
 * with the reason, rather than letting files through unchecked.
 */
export function createValidator(config: ValidationConfig, options: { readonly baseDir: string }): FileValidator {
  const parsed = validationConfigSchema.safeParse(config);
  if (!parsed.success) throw new Error(`Invalid validation config:\n${z.prettifyError(parsed.error)}`);
  const plan = compilePlan(parsed.data, options.baseDir);
  return { validate: (file, signal) => run(plan, file, signal) };
}
