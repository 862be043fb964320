import { encodingOf, readText, unencodable, type TextSink } from './encoding.js';
import { FormatError } from './errors.js';
import { flattenRecord, isPlainObject } from './flatten.js';
import type { JsonSpec } from './format.js';
import type { Row } from './records.js';

/** The records of a JSON document; JSON has no streaming parser here, so the file is read whole. */
export async function* readJson(path: string, spec: JsonSpec, signal?: AbortSignal): AsyncGenerator<Row> {
  const text = await readText(path, encodingOf(spec.encoding), signal);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new FormatError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  let node = document;
  for (const key of spec.records?.split('.') ?? []) {
    if (!isPlainObject(node) || !Object.hasOwn(node, key)) throw new FormatError(`${path}: the document has no "${spec.records}"`);
    node = node[key];
  }
  if (!Array.isArray(node)) throw new FormatError(`${path}: "${spec.records ?? '(the document)'}" is not an array of records`);
  let index = 0;
  for (const item of node as unknown[]) {
    signal?.throwIfAborted();
    index++;
    if (!isPlainObject(item)) throw new FormatError(`${path}: record ${index} is not an object`);
    yield flattenRecord(item);
  }
}

const MARK = '\u0000records\u0000';

/** The text around the records array, so that rows can be streamed into it one by one. */
function envelope(spec: JsonSpec): { head: string; tail: string; indent: string } {
  const keys = spec.records?.split('.') ?? [];
  const value = keys.reduceRight<unknown>((inner, key) => Object.fromEntries([[key, inner]]), MARK);
  const text = JSON.stringify(value, null, spec.pretty === true ? 2 : undefined);
  const mark = JSON.stringify(MARK);
  const at = text.indexOf(mark);
  const lineStart = text.lastIndexOf('\n', at) + 1;
  return {
    head: text.slice(0, at),
    tail: text.slice(at + mark.length),
    indent: spec.pretty === true ? (/^ */.exec(text.slice(lineStart, at))?.[0] ?? '') : '',
  };
}

export function jsonOutputProblem(row: Row, spec: JsonSpec): string | undefined {
  const encoding = encodingOf(spec.encoding);
  for (const [key, value] of Object.entries(row)) {
    const bad = unencodable(key, encoding) ?? unencodable(value, encoding);
    if (bad !== undefined) return `field "${key}" has "${bad}", which ${encoding} cannot represent`;
  }
  return undefined;
}

export async function writeJson(rows: AsyncIterable<Row> | Iterable<Row>, spec: JsonSpec, sink: TextSink): Promise<number> {
  const { head, tail, indent } = envelope(spec);
  const pretty = spec.pretty === true;
  const inner = `${indent}  `;
  await sink.write(`${head}[`);
  let count = 0;
  for await (const row of rows) {
    count++;
    const problem = jsonOutputProblem(row, spec);
    if (problem !== undefined) throw new FormatError(`Row ${count}: ${problem}`);
    const separator = count === 1 ? '' : ',';
    await sink.write(
      pretty ? `${separator}\n${inner}${JSON.stringify(row, null, 2).replaceAll('\n', `\n${inner}`)}` : separator + JSON.stringify(row),
    );
  }
  await sink.write(`${pretty && count > 0 ? `\n${indent}` : ''}]${tail}\n`);
  return count;
}
