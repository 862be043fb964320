import { decodedFile, encodingOf, unencodable, type TextSink } from './encoding.js';
import { FormatError } from './errors.js';
import type { FixedSpec } from './format.js';
import { renderLine, type LineVars } from './lineTemplate.js';
import type { Row } from './records.js';
import { eolOf, isTrailer, linesOf } from './recordLines.js';

type FixedField = FixedSpec['fields'][number];

/** Widths count characters (code points), which for the single-byte encodings partners use are also bytes. */
const length = (text: string): number => Array.from(text).length;

function unpad(raw: string, field: FixedField): string {
  const pad = field.pad ?? ' ';
  const chars = Array.from(raw);
  if (field.align === 'right') {
    let start = 0;
    const signed = pad === '0' && (chars[0] === '-' || chars[0] === '+');
    if (signed) start = 1;
    let end = start;
    while (end < chars.length && chars[end] === pad) end++;
    // An all-zero amount is 0, not an empty value.
    if (end === chars.length && end > start && pad !== ' ') end--;
    return (signed ? (chars[0] ?? '') : '') + chars.slice(end).join('');
  }
  let end = chars.length;
  while (end > 0 && chars[end - 1] === pad) end--;
  return chars.slice(0, end).join('');
}

function parseLine(line: string, lineNumber: number, spec: FixedSpec, path: string): Row {
  const chars = Array.from(line);
  const total = spec.fields.reduce((sum, field) => sum + field.width, 0);
  if (chars.length > total) {
    throw new FormatError(`${path}: line ${lineNumber} is ${chars.length} characters, the fields cover ${total}`, lineNumber);
  }
  let offset = 0;
  const entries = spec.fields.map((field): [string, string] => {
    const raw = chars.slice(offset, offset + field.width).join('');
    offset += field.width;
    return [field.name, unpad(raw, field)];
  });
  return Object.fromEntries(entries);
}

export async function* readFixed(path: string, spec: FixedSpec, signal?: AbortSignal): AsyncGenerator<Row> {
  const skip = spec.header?.length ?? 0;
  const trailer = spec.trailerPattern === undefined ? undefined : new RegExp(spec.trailerPattern, 'u');
  let lineNumber = 0;
  let pending: { line: string; number: number } | undefined;
  for await (const line of linesOf(decodedFile(path, encodingOf(spec.encoding), signal))) {
    signal?.throwIfAborted();
    lineNumber++;
    if (lineNumber <= skip || line === '') continue;
    if (pending) yield parseLine(pending.line, pending.number, spec, path);
    pending = { line, number: lineNumber };
  }
  if (pending && !isTrailer(pending.line, trailer)) yield parseLine(pending.line, pending.number, spec, path);
}

function padField(value: string, field: FixedField): string {
  const pad = field.pad ?? ' ';
  const fill = pad.repeat(field.width - length(value));
  if (field.align !== 'right') return value + fill;
  // Zero-padding a signed number puts the zeros after the sign: -0001250, not 000-1250.
  if (pad === '0' && /^[-+]/.test(value)) return value.charAt(0) + fill + value.slice(1);
  return fill + value;
}

/** Why a row cannot be written in this fixed-width format, or undefined; values are never truncated. */
export function fixedOutputProblem(row: Row, spec: FixedSpec): string | undefined {
  const encoding = encodingOf(spec.encoding);
  for (const field of spec.fields) {
    const value = row[field.name] ?? '';
    if (/[\r\n]/.test(value)) return `field "${field.name}" contains a line break`;
    if (length(value) > field.width) {
      return `field "${field.name}" value ${JSON.stringify(value)} is ${length(value)} characters, wider than its ${field.width}`;
    }
    const bad = unencodable(value, encoding);
    if (bad !== undefined) return `field "${field.name}" has "${bad}", which ${encoding} cannot represent`;
  }
  return undefined;
}

export async function writeFixed(rows: AsyncIterable<Row> | Iterable<Row>, spec: FixedSpec, sink: TextSink, vars: LineVars): Promise<number> {
  const eol = eolOf(spec.lineEnding);
  for (const line of spec.header ?? []) await sink.write(renderLine(line, vars) + eol);
  let count = 0;
  for await (const row of rows) {
    count++;
    const problem = fixedOutputProblem(row, spec);
    if (problem !== undefined) throw new FormatError(`Row ${count}: ${problem}`);
    await sink.write(spec.fields.map((field) => padField(row[field.name] ?? '', field)).join('') + eol);
  }
  if (spec.trailer !== undefined) await sink.write(renderLine(spec.trailer, { ...vars, rows: count }) + eol);
  return count;
}
