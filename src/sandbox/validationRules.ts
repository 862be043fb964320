import { z } from 'zod';
import { apiError } from './http/respond.js';
import { textOf } from '../shared/util/textOf.js';

/**
 * An org's validation rule, reduced to what tests need: when a field of a record being saved matches
 * a pattern, the save fails with FIELD_CUSTOM_VALIDATION_EXCEPTION and the rule's message, as an
 * admin-written rule does.
 */
export const ValidationRuleSchema = z.object({
  object: z.string(),
  field: z.string(),
  /** Regular expression tested against the field's value as text. */
  pattern: z.string(),
  message: z.string(),
});
export type ValidationRule = z.infer<typeof ValidationRuleSchema>;

export class ValidationRules {
  #rules: ValidationRule[] = [];

  add(rule: ValidationRule): void {
    this.#rules.push(rule);
  }

  clear(): void {
    this.#rules = [];
  }

  /** Throws the first failing rule's error for a record of `object` about to be saved with `values`. */
  check(object: string, values: Readonly<Record<string, unknown>>): void {
    for (const rule of this.#rules) {
      if (rule.object.toLowerCase() !== object.toLowerCase()) continue;
      const key = Object.keys(values).find((k) => k.toLowerCase() === rule.field.toLowerCase());
      const value = key === undefined ? undefined : values[key];
      if (value === undefined || value === null) continue;
      if (new RegExp(rule.pattern).test(textOf(value))) {
        throw apiError(400, 'FIELD_CUSTOM_VALIDATION_EXCEPTION', rule.message, []);
      }
    }
  }
}
