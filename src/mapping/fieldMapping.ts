import { z } from 'zod';
import { MappingError } from './errors.js';
import type { Row } from './records.js';
import { checkRowTemplate, compileRowTemplate } from './rowTemplate.js';
import { applyTransform, transformSchema, USE_DEFAULT, type Transform } from './transforms.js';

export { MappingError } from './errors.js';
export type { Transform } from './transforms.js';

const rowTemplate = z.string().superRefine((template, ctx) => {
  const problem = checkRowTemplate(template);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

const fieldSchema = z
  .strictObject({
    to: z.string().min(1).describe('Output column.'),
    from: z.string().optional().describe('Input column the value comes from.'),
    value: rowTemplate
      .optional()
      .describe('Instead of `from`: a template over the input row, e.g. "{Street} {HouseNo}" or "{date:yyyyMMdd}" (the run time).'),
    transforms: z.array(transformSchema).optional().describe('Steps applied to the value, in order.'),
    default: z.string().optional().describe('Output when the value is missing or blank (transforms are not applied to it).'),
    required: z.boolean().optional().describe('An empty output value is an error (default false).'),
  })
  .refine((field) => field.from === undefined || field.value === undefined, 'use either `from` or `value`, not both')
  .describe('One output column.');

export const fieldMappingSchema = z
  .strictObject({
    fields: z.array(fieldSchema).min(1).describe('The output columns, in order; input columns not listed are dropped.'),
    lookups: z
      .record(z.string(), z.record(z.string(), z.string()))
      .optional()
      .describe('Named tables for the lookup transform: {"country": {"Deutschland": "DE"}}.'),
  })
  .superRefine((mapping, ctx) => {
    const seen = new Set<string>();
    mapping.fields.forEach((field, i) => {
      if (seen.has(field.to)) ctx.addIssue({ code: 'custom', message: `"${field.to}" is mapped twice`, path: ['fields', i, 'to'] });
      seen.add(field.to);
      (field.transforms ?? []).forEach((transform, j) => {
        if (typeof transform !== 'object' || !('lookup' in transform)) return;
        const path = ['fields', i, 'transforms', j, 'lookup'];
        if (!Object.hasOwn(mapping.lookups ?? {}, transform.lookup)) {
          ctx.addIssue({ code: 'custom', message: `no lookup table "${transform.lookup}"`, path });
        }
        if (transform.fallback === 'default' && field.default === undefined) {
          ctx.addIssue({ code: 'custom', message: 'fallback "default" needs a default on the field', path });
        }
      });
    });
  })
  .describe('How output columns are built from input columns.');

export type FieldMapping = z.infer<typeof fieldMappingSchema>;

/** When the run started, for `{date:...}` in value templates; the zone defaults to UTC. */
export interface MappingClock {
  readonly now?: Date;
  readonly timeZone?: string;
}

type CompiledField = (row: Row, rowNumber: number) => string;

function compileField(field: FieldMapping['fields'][number], lookups: FieldMapping['lookups'], clock: MappingClock): CompiledField {
  const template = field.value === undefined ? undefined : compileRowTemplate(field.value, clock.now ?? new Date(), clock.timeZone);
  const source = (row: Row): string =>
    field.from !== undefined ? (row[field.from] ?? '') : template !== undefined ? template.render(row) : '';
  const transforms: ReadonlyArray<Transform> = field.transforms ?? [];
  return (row, rowNumber) => {
    const input = source(row);
    const fail = (problem: string, value = input): never => {
      throw new MappingError(rowNumber, field.to, value, problem);
    };
    let value = input;
    if (input.trim() === '' && field.default !== undefined) {
      value = field.default;
    } else {
      for (const transform of transforms) {
        const next = applyTransform(value, transform, { lookups: lookups ?? {}, fail: (problem) => fail(problem, value) });
        if (next === USE_DEFAULT) {
          value = field.default ?? '';
          break;
        }
        value = next;
      }
    }
    if (field.required === true && value === '') fail('is required but empty');
    return value;
  };
}

/** A row mapper; a bad value throws MappingError naming the row number, the output field and the value. */
export function compileMapping(spec: FieldMapping, clock: MappingClock = {}): (row: Row, rowNumber: number) => Row {
  const fields = spec.fields.map((field) => [field.to, compileField(field, spec.lookups, clock)] as const);
  return (row, rowNumber) => Object.fromEntries(fields.map(([to, compute]) => [to, compute(row, rowNumber)]));
}

/** The input columns a mapping reads, to check them against a sample's header. */
export function mappingColumns(spec: FieldMapping): ReadonlyArray<string> {
  const columns = new Set<string>();
  for (const field of spec.fields) {
    if (field.from !== undefined) columns.add(field.from);
    if (field.value !== undefined) for (const column of compileRowTemplate(field.value, new Date(0)).columns) columns.add(column);
  }
  return [...columns];
}
