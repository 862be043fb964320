import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { encodingOf, readText, unencodable, type TextSink } from './encoding.js';
import { FormatError } from './errors.js';
import { flattenRecord, isPlainObject } from './flatten.js';
import type { XmlSpec } from './format.js';
import type { Row } from './records.js';

const ATTRIBUTE = '@';
const TEXT = '#text';

/** The records of an XML document: the `record` elements directly under `root`; read whole. */
export async function* readXml(path: string, spec: XmlSpec, signal?: AbortSignal): AsyncGenerator<Row> {
  const text = await readText(path, encodingOf(spec.encoding), signal);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new FormatError(`${path}: line ${valid.err.line}: not valid XML: ${valid.err.msg}`, valid.err.line);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: ATTRIBUTE,
    textNodeName: TEXT,
    // Values stay text: "00123" is an account number, not 123.
    parseTagValue: false,
    parseAttributeValue: false,
  });
  const document: unknown = parser.parse(text);
  if (!isPlainObject(document) || !Object.hasOwn(document, spec.root)) {
    throw new FormatError(`${path}: the document element is not <${spec.root}>`);
  }
  const root = document[spec.root];
  const found = isPlainObject(root) && Object.hasOwn(root, spec.record) ? root[spec.record] : [];
  const records: unknown[] = Array.isArray(found) ? found : [found];
  for (const record of records) {
    signal?.throwIfAborted();
    if (isPlainObject(record)) yield flattenRecord(record);
    else yield typeof record === 'string' && record !== '' ? { [TEXT]: record } : {};
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** A field becomes a child element, or an attribute when named "@name". */
export function xmlOutputProblem(row: Row, spec: XmlSpec): string | undefined {
  const encoding = encodingOf(spec.encoding);
  for (const [key, value] of Object.entries(row)) {
    const name = key.startsWith(ATTRIBUTE) ? key.slice(ATTRIBUTE.length) : key;
    if (key !== TEXT && !NAME.test(name)) return `field "${key}" is not a valid XML name`;
    // eslint-disable-next-line no-control-regex -- XML 1.0 cannot carry these characters at all
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value)) return `field "${key}" contains a control character XML cannot carry`;
    const bad = unencodable(value, encoding);
    if (bad !== undefined) return `field "${key}" has "${bad}", which ${encoding} cannot represent`;
  }
  return undefined;
}

/** The encoding name as XML declarations spell it. */
function declaredEncoding(name: string): string {
  const key = name.toLowerCase().replace(/[-_]/g, '');
  if (key === 'utf8') return 'UTF-8';
  if (key === 'latin1' || key === 'iso88591') return 'ISO-8859-1';
  return name;
}

export async function writeXml(rows: AsyncIterable<Row> | Iterable<Row>, spec: XmlSpec, sink: TextSink): Promise<number> {
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: ATTRIBUTE,
    textNodeName: TEXT,
    format: true,
    indentBy: '  ',
  });
  if (spec.declaration !== false) {
    await sink.write(`<?xml version="1.0" encoding="${declaredEncoding(spec.encoding ?? 'utf-8')}"?>\n`);
  }
  const open = `<${spec.root}>\n`;
  const close = `</${spec.root}>\n`;
  await sink.write(open);
  let count = 0;
  for await (const row of rows) {
    count++;
    const problem = xmlOutputProblem(row, spec);
    if (problem !== undefined) throw new FormatError(`Row ${count}: ${problem}`);
    // Built inside the root so the builder indents it; re-indenting afterwards would alter multi-line values.
    const xml = String(builder.build({ [spec.root]: { [spec.record]: row } }));
    await sink.write(xml.slice(open.length, xml.length - close.length));
  }
  await sink.write(close);
  return count;
}
