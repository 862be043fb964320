import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import formatsPlugin from 'ajv-formats';
import type { JsonConfig } from '../config.js';
import { readBounded } from '../memory.js';
import { ProblemList } from '../problems.js';
import type { FileToValidate, RuleResult } from '../types.js';

// ajv-formats is CommonJS with a default export: under NodeNext the import is the module object.
const addFormats = formatsPlugin.default;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function loadSchema(config: JsonConfig, baseDir: string): { readonly schema: Record<string, unknown>; readonly origin: string } {
  if (config.schema !== undefined) return { schema: config.schema, origin: 'the inline JSON schema' };
  const path = resolve(baseDir, config.schemaFile ?? '');
  const origin = `the JSON schema file "${config.schemaFile ?? ''}" (${path})`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read ${origin}: ${errorText(error)}`);
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    throw new Error(`${origin} is not valid JSON: ${errorText(error)}`);
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new Error(`${origin} does not hold a JSON object`);
  return { schema: schema as Record<string, unknown>, origin };
}

/**
 * Reads and compiles the schema once, when the validator is made, so a missing file or a broken schema stops the
 * job before any file is judged. Strict mode turns a misspelt keyword into an error instead of a rule that never fires.
 */
export function compileJsonSchema(config: JsonConfig, baseDir: string): ValidateFunction {
  const { schema, origin } = loadSchema(config, baseDir);
  const options: Options = { allErrors: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false, logger: false };
  const draft07 = typeof schema.$schema === 'string' && /draft-0[67]/.test(schema.$schema);
  const ajv = draft07 ? new Ajv(options) : new Ajv2020(options);
  addFormats(ajv);
  try {
    return ajv.compile(schema);
  } catch (error) {
    throw new Error(`${origin} is not a valid JSON Schema: ${errorText(error)}`);
  }
}

function describeError(error: ErrorObject): string {
  const { params } = error;
  let extra = '';
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') extra = ` ("${params.additionalProperty}")`;
  else if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) extra = `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${error.instancePath === '' ? '/' : error.instancePath}: ${error.message ?? error.keyword}${extra}`;
}

export async function checkJson(file: FileToValidate, validate: ValidateFunction, signal?: AbortSignal): Promise<RuleResult> {
  const rel = file.relativePath;
  const fail = (message: string): RuleResult => ({ rule: 'json', passed: false, message });
  const read = await readBounded(file, 'JSON', signal);
  if ('refusal' in read) return fail(read.refusal);
  let text: string;
  try {
    // JSON is UTF-8 by definition (RFC 8259); the decoder drops a BOM and refuses anything else.
    text = new TextDecoder('utf-8', { fatal: true }).decode(read.bytes);
  } catch {
    return fail(`${rel} is not valid UTF-8 text, which JSON must be`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return fail(`${rel} is not valid JSON: ${oneLine(errorText(error))}`);
  }
  const problems = new ProblemList();
  if (!validate(document)) for (const error of validate.errors ?? []) problems.add(`${rel} ${describeError(error)}`);
  return problems.result('json', `${rel} is valid against the JSON schema`);
}
