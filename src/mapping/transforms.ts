import { z } from 'zod';
import { checkDateFormat, formatParts, parseDateParts } from './dates.js';
import { reformatNumber } from './decimal.js';

const dateFormat = z.string().superRefine((format, ctx) => {
  const problem = checkDateFormat(format);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

const oneChar = z.string().length(1);

export const regexSource = z.string().refine((source) => {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}, 'a valid regular expression');

const numberSchema = z
  .strictObject({
    decimalSeparator: oneChar.optional().describe('Decimal separator of the input (default ".").'),
    thousandsSeparator: oneChar.optional().describe('Grouping separator of the input, e.g. "." in "1.234,50" (default none); " " also accepts no-break spaces.'),
    decimals: z.int().min(0).max(20).optional().describe('Decimals in the output, rounded half away from zero (default: as in the input).'),
    outputDecimalSeparator: oneChar.optional().describe('Decimal separator of the output (default ".").'),
  })
  .refine((n) => (n.decimalSeparator ?? '.') !== n.thousandsSeparator, 'the decimal and thousands separators must differ');

export const transformSchema = z
  .union([
    z.enum(['trim', 'upper', 'lower', 'title']).describe('trim: drop surrounding spaces; upper/lower: change case; title: capitalise each word.'),
    z
      .strictObject({
        date: z
          .strictObject({
            from: dateFormat.describe('Format of the input, e.g. "dd.MM.yyyy" (tokens yyyy yy MM dd HH mm ss).'),
            to: dateFormat.describe('Format of the output, e.g. "yyyy-MM-dd".'),
          })
          .describe('Rewrites a date; a value not in the input format is an error.'),
      })
      .describe('Date reformatting.'),
    z.strictObject({ number: numberSchema.describe('Normalises a number; a value that is not one is an error.') }).describe('Number reformatting.'),
    z
      .strictObject({
        lookup: z.string().min(1).describe('Name of a table in `lookups`.'),
        fallback: z
          .enum(['keep', 'error', 'default'])
          .optional()
          .describe('For a value not in the table: "error" (default) stops, "keep" passes it on, "default" writes the field\'s default.'),
      })
      .describe('Replaces a value by its entry in a lookup table.'),
    z
      .strictObject({
        pad: z
          .strictObject({
            width: z.int().positive().describe('Minimum width; longer values are left as they are.'),
            char: oneChar.optional().describe('Fill character (default " ").'),
            side: z.enum(['left', 'right']).optional().describe('Where the fill goes (default "left", as for zero-padded numbers).'),
          })
          .describe('Pads to a width.'),
      })
      .describe('Padding.'),
    z
      .strictObject({
        replace: z
          .strictObject({
            pattern: regexSource.describe('Regular expression; every match is replaced.'),
            with: z.string().describe('Replacement; $1, $2 ... insert groups.'),
          })
          .describe('Regular-expression replacement.'),
      })
      .describe('Replacement.'),
    z.strictObject({ truncate: z.int().positive().describe('Maximum length in characters.') }).describe('Cuts a value to a length.'),
  ])
  .describe('One step applied to a value; steps run in order.');

export type Transform = z.infer<typeof transformSchema>;

/** What a transform needs besides the value; `fail` throws the caller's MappingError. */
export interface TransformContext {
  readonly lookups: Readonly<Record<string, Readonly<Record<string, string>>>>;
  fail(problem: string): never;
}

/** Signals that a lookup fell back to the field's default, which ends the transform chain. */
export const USE_DEFAULT: unique symbol = Symbol('use default');

const title = (value: string): string =>
  value.toLowerCase().replace(/(^|[\s\-/])(\p{L})/gu, (_match, before: string, letter: string) => before + letter.toUpperCase());

export function applyTransform(value: string, transform: Transform, context: TransformContext): string | typeof USE_DEFAULT {
  if (typeof transform === 'string') {
    switch (transform) {
      case 'trim': return value.trim();
      case 'upper': return value.toUpperCase();
      case 'lower': return value.toLowerCase();
      case 'title': return title(value);
    }
  }
  if ('truncate' in transform) return Array.from(value).slice(0, transform.truncate).join('');
  if ('pad' in transform) {
    const { width, char = ' ', side = 'left' } = transform.pad;
    const fill = char.repeat(Math.max(0, width - Array.from(value).length));
    return side === 'left' ? fill + value : value + fill;
  }
  if ('replace' in transform) return value.replace(new RegExp(transform.replace.pattern, 'gu'), transform.replace.with);
  // Empty values pass through the checking transforms: whether a field may be empty is `required`'s call.
  if (value.trim() === '') return value;
  if ('date' in transform) {
    const parts = parseDateParts(value.trim(), transform.date.from);
    if (parts === undefined) context.fail(`is not a date in the format "${transform.date.from}"`);
    return formatParts(parts, transform.date.to);
  }
  if ('number' in transform) {
    const result = reformatNumber(value, transform.number);
    if (result === undefined) {
      const { decimalSeparator = '.', thousandsSeparator } = transform.number;
      const grouping = thousandsSeparator === undefined ? '' : `, thousands separator "${thousandsSeparator}"`;
      context.fail(`is not a number (decimal separator "${decimalSeparator}"${grouping})`);
    }
    return result;
  }
  const table = context.lookups[transform.lookup] ?? {};
  if (Object.hasOwn(table, value)) return table[value] ?? value;
  switch (transform.fallback ?? 'error') {
    case 'keep': return value;
    case 'default': return USE_DEFAULT;
    case 'error': return context.fail(`is not in the lookup table "${transform.lookup}"`);
  }
}
