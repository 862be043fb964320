import type { Row } from './records.js';

/**
 * A JSON or XML record as a flat row: nested objects become dotted names ("customer.name"), lists stay JSON
 * text so that nothing is dropped, and scalars become their text.
 */
export function flattenRecord(value: Readonly<Record<string, unknown>>): Row {
  // Entries, not assignment: a key such as "__proto__" in partner data must stay a plain field.
  const entries: Array<[string, string]> = [];
  const visit = (node: Readonly<Record<string, unknown>>, prefix: string): void => {
    for (const [key, item] of Object.entries(node)) {
      const name = prefix + key;
      if (item === null || item === undefined) entries.push([name, '']);
      else if (typeof item === 'string') entries.push([name, item]);
      else if (typeof item === 'number' || typeof item === 'boolean' || typeof item === 'bigint') entries.push([name, String(item)]);
      else if (Array.isArray(item)) entries.push([name, JSON.stringify(item)]);
      else if (typeof item === 'object') visit(item as Record<string, unknown>, `${name}.`);
    }
  };
  visit(value, '');
  return Object.fromEntries(entries);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
