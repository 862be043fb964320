import type { CsvColumnConfig } from '../config.js';
import { compileDateFormat } from '../dateFormat.js';
import { quote } from '../problems.js';
import { compileFullMatch } from '../regex.js';

export interface CompiledColumn {
  readonly name: string;
  readonly required: boolean;
  /** The problem with a value, phrased to follow 'column "x": ', or undefined when the value is fine. */
  check(value: string): string | undefined;
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const DECIMAL_COMMA = /^[+-]?(?:\d+(?:,\d*)?|,\d+)$/;
const BOOLEANS = new Set(['true', 'false', 'yes', 'no', '1', '0']);

type ValueCheck = (value: string) => string | undefined;

function typeCheck(column: CsvColumnConfig): ValueCheck | undefined {
  switch (column.type ?? 'string') {
    case 'integer':
      return (value) => (INTEGER.test(value) ? undefined : `${quote(value)} is not an integer`);
    case 'decimal': {
      const comma = column.decimalSeparator === ',';
      const shape = comma ? DECIMAL_COMMA : DECIMAL;
      return (value) => (shape.test(value) ? undefined : `${quote(value)} is not a decimal number (digits with a ${comma ? 'comma' : 'dot'} as separator)`);
    }
    case 'boolean':
      return (value) => (BOOLEANS.has(value.toLowerCase()) ? undefined : `${quote(value)} is not a boolean (true/false, yes/no, 1/0)`);
    case 'date': {
      const format = compileDateFormat(column.format ?? 'yyyy-MM-dd');
      return (value) => (format.matches(value) ? undefined : `${quote(value)} is not a valid date in the format ${format.pattern}`);
    }
    case 'string':
      return undefined;
  }
}

function rangeCheck(column: CsvColumnConfig): ValueCheck | undefined {
  const { min, max } = column;
  if (min === undefined && max === undefined) return undefined;
  return (value) => {
    const number = Number(column.decimalSeparator === ',' ? value.replace(',', '.') : value);
    if (min !== undefined && number < min) return `${value} is less than the minimum ${min}`;
    if (max !== undefined && number > max) return `${value} is more than the maximum ${max}`;
    return undefined;
  };
}

function listCheck(column: CsvColumnConfig): ValueCheck | undefined {
  if (column.enum === undefined) return undefined;
  const allowed = new Set(column.enum);
  const shown = column.enum.length > 10 ? `${column.enum.slice(0, 10).join(', ')}, …` : column.enum.join(', ');
  return (value) => (allowed.has(value) ? undefined : `${quote(value)} is not one of ${shown}`);
}

function patternCheck(column: CsvColumnConfig): ValueCheck | undefined {
  if (column.pattern === undefined) return undefined;
  const regex = compileFullMatch(column.pattern);
  const source = column.pattern;
  return (value) => (regex.test(value) ? undefined : `${quote(value)} does not match the pattern ${source}`);
}

export function compileColumn(column: CsvColumnConfig): CompiledColumn {
  // The type comes first so that a range is only ever compared on a number.
  const type = typeCheck(column);
  const rest = [rangeCheck(column), listCheck(column), patternCheck(column)].filter((check): check is ValueCheck => check !== undefined);
  const required = column.required === true;
  return {
    name: column.name,
    required,
    check(value: string): string | undefined {
      if (value.trim() === '') return required ? 'a value is required but the field is empty' : undefined;
      const typeProblem = type?.(value);
      if (typeProblem !== undefined) return typeProblem;
      for (const check of rest) {
        const problem = check(value);
        if (problem !== undefined) return problem;
      }
      return undefined;
    },
  };
}
