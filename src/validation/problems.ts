import type { RuleId, RuleResult } from './types.js';

/** A file with a million bad rows must not produce a million-line quarantine record. */
export const MAX_LISTED_PROBLEMS = 20;

/** Collects every problem a rule finds, keeps the first few word for word and counts the rest. */
export class ProblemList {
  readonly #listed: string[] = [];
  #count = 0;

  add(message: string): void {
    this.#count += 1;
    if (this.#listed.length < MAX_LISTED_PROBLEMS) this.#listed.push(message);
  }

  get count(): number {
    return this.#count;
  }

  result(rule: RuleId, passMessage: string, details: Readonly<Record<string, unknown>> = {}): RuleResult {
    const first = this.#listed[0];
    if (first === undefined) return { rule, passed: true, message: passMessage, details };
    const more = this.#count - 1;
    const message = more === 0 ? first : `${first} (and ${more} more ${more === 1 ? 'problem' : 'problems'})`;
    return {
      rule,
      passed: false,
      message,
      details: { ...details, problems: [...this.#listed], problemCount: this.#count, notListed: this.#count - this.#listed.length },
    };
  }
}

/** Values from partner files end up in messages: keep them short and unambiguous. */
export function quote(value: string, max = 60): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max - 1)}…` : value);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
