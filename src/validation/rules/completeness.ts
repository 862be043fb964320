import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ProblemList } from '../problems.js';
import type { FileToValidate, RuleResult } from '../types.js';
import { nameParts } from './naming.js';

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** The expected companion names; undefined where a template uses a group that the name did not capture. */
export function companionNames(file: FileToValidate, templates: readonly string[], captures: Readonly<Record<string, string>>): Array<string | undefined> {
  const parts: Record<string, string> = { ...captures, ...nameParts(file.name) };
  return templates.map((template) => {
    let resolved = true;
    const name = template.replace(PLACEHOLDER, (whole, key: string) => {
      const value = parts[key];
      if (value === undefined) resolved = false;
      return value ?? whole;
    });
    return resolved ? name : undefined;
  });
}

/**
 * Partners and their tools disagree on the case of extensions (INV1.PDF with inv1.xml), so a sibling that
 * differs only in case counts, and the name actually found is reported.
 */
export function checkCompanions(file: FileToValidate, templates: readonly string[], captures: Readonly<Record<string, string>>): RuleResult {
  const problems = new ProblemList();
  const found: Record<string, string> = {};
  const byLowerName = new Map<string, string>();
  for (const sibling of file.siblings) byLowerName.set(sibling.toLowerCase(), sibling);
  for (const [index, expected] of companionNames(file, templates, captures).entries()) {
    const template = templates[index] ?? '';
    if (expected === undefined) {
      problems.add(`${file.relativePath}: the companion file for "${template}" cannot be named, because the file name did not match the name pattern`);
      continue;
    }
    const actual = file.siblings.has(expected) ? expected : byLowerName.get(expected.toLowerCase());
    if (actual === undefined || actual === file.name) problems.add(`${file.relativePath}: the companion file "${expected}" (from "${template}") is missing`);
    else found[expected] = actual;
  }
  const names = Object.values(found);
  return problems.result('companions', `${file.relativePath}: companion ${names.length === 1 ? 'file' : 'files'} ${names.map((n) => `"${n}"`).join(', ')} present`, { found });
}

export type ChecksumAlgorithm = 'md5' | 'sha1' | 'sha256';

async function digestOf(path: string, algorithm: ChecksumAlgorithm, signal?: AbortSignal): Promise<{ readonly digest: string; readonly bytes: number }> {
  const hash = createHash(algorithm);
  let bytes = 0;
  for await (const chunk of createReadStream(path, { signal })) {
    const buffer = chunk as Buffer;
    bytes += buffer.length;
    hash.update(buffer);
  }
  return { digest: hash.digest('hex'), bytes };
}

/** Manifests write digests as "ABC…", "abc…" or "sha256:abc…". */
function normalizeDigest(text: string, algorithm: ChecksumAlgorithm): string {
  const trimmed = text.trim().toLowerCase();
  return trimmed.startsWith(`${algorithm}:`) ? trimmed.slice(algorithm.length + 1).trim() : trimmed;
}

export async function checkChecksum(file: FileToValidate, algorithm: ChecksumAlgorithm, signal?: AbortSignal): Promise<RuleResult> {
  const rel = file.relativePath;
  const { digest, bytes } = await digestOf(file.localPath, algorithm, signal);
  const details = { algorithm, digest };
  if (file.manifest === undefined) {
    return { rule: 'checksum', passed: true, message: `${rel}: ${algorithm} ${digest} (no manifest to compare it with)`, details };
  }
  const entry = file.manifest.get(file.name) ?? file.manifest.get(file.relativePath);
  if (entry === undefined) return { rule: 'checksum', passed: false, message: `${rel} is not listed in the manifest`, details };
  const problems = new ProblemList();
  if (entry.size !== undefined && entry.size !== bytes) problems.add(`${rel} has ${bytes} bytes, the manifest says ${entry.size}`);
  if (entry.checksum === undefined || entry.checksum.trim() === '') {
    problems.add(`${rel}: the manifest lists no ${algorithm} checksum for it`);
  } else if (normalizeDigest(entry.checksum, algorithm) !== digest) {
    problems.add(`${rel}: ${algorithm} is ${digest}, the manifest says ${entry.checksum.trim()}`);
  }
  return problems.result('checksum', `${rel}: ${algorithm} ${digest} matches the manifest`, { ...details, expected: entry.checksum });
}
