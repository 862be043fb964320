import { z } from 'zod';

/**
 * A failure to inject into matching requests, for tests of what a real org does on a bad day:
 * an error status, a slow answer, a connection cut while the request body arrives, or a cut after
 * the work was done but before the answer left (the ambiguous case a client must handle idempotently).
 */
export const FaultRuleSchema = z.object({
  /** Request method; any when absent. */
  method: z.string().optional(),
  /** A regular expression matched against the URL path. */
  path: z.string(),
  /** How many matching requests fail; afterwards the rule is spent. */
  times: z.number().int().min(1).default(1),
  /** Wait this long before doing anything else. */
  delayMs: z.number().int().min(0).optional(),
  /** Answer with this status and a REST error body instead of handling the request. */
  status: z.number().int().min(400).max(599).optional(),
  errorCode: z.string().optional(),
  message: z.string().optional(),
  /** Drop the connection once this many request body bytes have arrived. */
  cutAfterBodyBytes: z.number().int().min(0).optional(),
  /** Handle the request completely, then drop the connection instead of answering. */
  cutAfterCommit: z.boolean().optional(),
});
export type FaultRule = z.infer<typeof FaultRuleSchema>;

interface ArmedRule {
  readonly rule: FaultRule;
  readonly pattern: RegExp;
  left: number;
}

export class FaultInjector {
  #rules: ArmedRule[] = [];

  add(rule: FaultRule): void {
    this.#rules.push({ rule, pattern: new RegExp(rule.path), left: rule.times });
  }

  clear(): void {
    this.#rules = [];
  }

  /** The first armed rule for this request, spending one of its uses. */
  take(method: string, path: string): FaultRule | undefined {
    const armed = this.#rules.find((r) => r.left > 0 && (r.rule.method === undefined || r.rule.method === method) && r.pattern.test(path));
    if (armed === undefined) return undefined;
    armed.left--;
    this.#rules = this.#rules.filter((r) => r.left > 0);
    return armed.rule;
  }
}
