import { checkDateFormat, formatDate } from './dates.js';
import { TemplateError } from './errors.js';
import { checkWithScope, renderWithScope, type Placeholder, type TemplateScope } from './templateSyntax.js';

/** Values for header and trailer lines; `rows` exists only once every row has been written. */
export interface LineVars {
  readonly now: Date;
  readonly timeZone?: string;
  readonly rows?: number;
}

function checkLinePlaceholder(placeholder: Placeholder, allowRows: boolean): string | undefined {
  if (placeholder.key === 'date') return placeholder.arg === undefined ? undefined : checkDateFormat(placeholder.arg);
  if (placeholder.key === 'rows') {
    if (!allowRows) return '{rows} is only known in a trailer';
    return placeholder.arg === undefined || /^[1-9][0-9]?$/.test(placeholder.arg)
      ? undefined
      : `bad width "${placeholder.arg}" (use 1 to 99)`;
  }
  return `unknown variable "${placeholder.key}" (a header or trailer line knows {date:FORMAT} and {rows})`;
}

/** Undefined when the line template is usable; `allowRows` is false for lines written before the rows. */
export function checkLineTemplate(template: string, allowRows: boolean): string | undefined {
  if (/[\r\n]/.test(template)) return `Template "${template}": a header or trailer line may not contain a line break`;
  return checkWithScope(template, { check: (p) => checkLinePlaceholder(p, allowRows), resolve: () => undefined });
}

/** `{rows}` / `{rows:6}` (zero-padded) and `{date}` / `{date:FORMAT}` in the run's time zone. */
export function renderLine(template: string, vars: LineVars): string {
  const scope: TemplateScope = {
    check: (placeholder) => checkLinePlaceholder(placeholder, vars.rows !== undefined),
    resolve: (placeholder) => {
      if (placeholder.key === 'rows') return String(vars.rows).padStart(Number(placeholder.arg ?? '1'), '0');
      try {
        return formatDate(vars.now, placeholder.arg ?? 'yyyy-MM-dd', vars.timeZone);
      } catch (error) {
        throw new TemplateError(`Template "${template}": cannot format {${placeholder.text}}: ${(error as Error).message}`);
      }
    },
  };
  return renderWithScope(template, scope);
}
