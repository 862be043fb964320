import type { FileToValidate, RuleResult } from '../types.js';

export function checkName(file: FileToValidate, pattern: RegExp, source: string): { readonly result: RuleResult; readonly captures: Record<string, string> } {
  const match = pattern.exec(file.name);
  if (match === null) {
    return {
      captures: {},
      result: { rule: 'name', passed: false, message: `${file.relativePath}: the name "${file.name}" does not match the pattern ${source}`, details: { pattern: source } },
    };
  }
  const captures: Record<string, string> = {};
  // Optional groups that did not take part in the match are left out rather than reported as "".
  for (const [key, value] of Object.entries(match.groups ?? {})) if (value !== undefined) captures[key] = value;
  return { captures, result: { rule: 'name', passed: true, message: `${file.relativePath}: the name matches the pattern ${source}`, details: { pattern: source, captures } } };
}

export function normalizeExtension(extension: string): string {
  return extension.trim().replace(/^\.+/, '').toLowerCase();
}

/** Entries may span dots ("tar.gz"), so the test is on the end of the name rather than on its last extension. */
export function checkExtension(file: FileToValidate, allowed: readonly string[]): RuleResult {
  const lower = file.name.toLowerCase();
  const hit = allowed.find((extension) => lower.endsWith(`.${extension}`) && lower.length > extension.length + 1);
  const list = allowed.map((extension) => `.${extension}`).join(', ');
  if (hit !== undefined) return { rule: 'extension', passed: true, message: `${file.relativePath}: .${hit} is an allowed extension`, details: { extension: hit, allowed } };
  const dot = file.name.lastIndexOf('.');
  const actual = dot > 0 ? file.name.slice(dot) : undefined;
  return {
    rule: 'extension',
    passed: false,
    message: actual === undefined ? `${file.relativePath} has no extension; allowed are ${list}` : `${file.relativePath}: extension ${actual} is not allowed; allowed are ${list}`,
    details: { extension: actual, allowed },
  };
}

/** The parts of a name that companion templates refer to: "a.b.csv" has stem "a.b" and ext ".csv". */
export function nameParts(name: string): { readonly name: string; readonly stem: string; readonly ext: string } {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? { name, stem: name.slice(0, dot), ext: name.slice(dot) } : { name, stem: name, ext: '' };
}
