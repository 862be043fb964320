import type { FileToValidate, RuleResult } from '../types.js';

export interface SizeLimits {
  readonly min?: number;
  readonly max?: number;
}

export function formatSize(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1).replace(/\.0$/, '')} ${units[unit] ?? ''} (${bytes} bytes)`;
}

/** overMax tells the caller to leave the content unparsed: the limit is there to protect the parsers too. */
export function checkSize(file: FileToValidate, limits: SizeLimits): { readonly result: RuleResult; readonly overMax: boolean } {
  const details = { size: file.size, minSize: limits.min, maxSize: limits.max };
  if (limits.max !== undefined && file.size > limits.max) {
    return {
      overMax: true,
      result: { rule: 'size', passed: false, message: `${file.relativePath} is ${formatSize(file.size)}, more than the maximum of ${formatSize(limits.max)}; its content was not checked`, details },
    };
  }
  if (limits.min !== undefined && file.size < limits.min) {
    return {
      overMax: false,
      result: { rule: 'size', passed: false, message: `${file.relativePath} is ${formatSize(file.size)}, less than the minimum of ${formatSize(limits.min)}`, details },
    };
  }
  return { overMax: false, result: { rule: 'size', passed: true, message: `${file.relativePath} is ${formatSize(file.size)}, within the size limits`, details } };
}
