import { checkDateFormat, formatDate } from './dates.js';
import { TemplateError } from './errors.js';
import type { Row } from './records.js';
import { checkParts, parseTemplate, renderPlaceholder, type Part, type Placeholder, type TemplateScope } from './templateSyntax.js';

/**
 * A mapped value built from input columns: `{Column}` (or `{field.Column}` for a column named like a
 * variable) and `{date:FORMAT}` for the run time. A column the row lacks reads as empty, as JSON records
 * often omit empty fields.
 */
export interface RowTemplate {
  readonly columns: ReadonlyArray<string>;
  render(row: Row): string;
}

function columnOf(placeholder: Placeholder, row?: Row): string | undefined {
  const { key } = placeholder;
  if (key === 'date') return undefined;
  if (key.startsWith('field.') && !(row !== undefined && Object.hasOwn(row, key))) return key.slice('field.'.length);
  return key;
}

function check(placeholder: Placeholder): string | undefined {
  if (placeholder.key === 'date') return placeholder.arg === undefined ? undefined : checkDateFormat(placeholder.arg);
  return placeholder.arg === undefined ? undefined : 'a column takes no format';
}

export function checkRowTemplate(template: string): string | undefined {
  try {
    checkParts(template, parseTemplate(template), { check, resolve: () => undefined });
    return undefined;
  } catch (error) {
    if (error instanceof TemplateError) return error.message;
    throw error;
  }
}

export function compileRowTemplate(template: string, now: Date, timeZone?: string): RowTemplate {
  const parts: Part[] = parseTemplate(template);
  const placeholders = parts.filter((part): part is Placeholder => typeof part !== 'string');
  checkParts(template, parts, { check, resolve: () => undefined });
  const dates = new Map<string, string>();
  const dateOf = (format: string): string => {
    let text = dates.get(format);
    if (text === undefined) {
      text = formatDate(now, format, timeZone);
      dates.set(format, text);
    }
    return text;
  };
  return {
    columns: placeholders.map((p) => columnOf(p)).filter((c): c is string => c !== undefined),
    render(row) {
      const scope: TemplateScope = {
        check,
        resolve: (placeholder) => {
          const column = columnOf(placeholder, row);
          return column === undefined ? dateOf(placeholder.arg ?? 'yyyy-MM-dd') : (row[column] ?? '');
        },
      };
      return parts.map((part) => (typeof part === 'string' ? part : renderPlaceholder(template, part, scope))).join('');
    },
  };
}
