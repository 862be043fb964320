export interface FileToValidate {
  readonly name: string;
  readonly relativePath: string;
  readonly localPath: string;
  readonly size: number;
  readonly siblings: ReadonlySet<string>;
  readonly manifest?: ReadonlyMap<string, { readonly checksum?: string; readonly size?: number }>;
}

export interface RuleResult {
  readonly rule: string;
  readonly passed: boolean;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** In the order the rules run and are reported: cheap checks on names and sizes before reading content. */
export const RULE_IDS = ['size', 'name', 'extension', 'companions', 'content-type', 'checksum', 'csv', 'json', 'xml'] as const;

export type RuleId = (typeof RULE_IDS)[number];
