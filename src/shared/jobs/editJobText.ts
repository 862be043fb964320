import { Document, isCollection, isMap, isScalar, isSeq, parseDocument, Scalar, YAMLMap, type Node, type Pair } from 'yaml';

/** A field of a job, as the path of keys and list positions that leads to it: `['routes', 1, 'attachBy']`. */
export type JobFieldPath = ReadonlyArray<string | number>;

/** What the form writes into a field; `undefined` removes the field. */
export type JobFieldValue = string | number | boolean | null | ReadonlyArray<unknown> | { readonly [key: string]: unknown } | undefined;

/** A job text that does not parse as YAML cannot be edited from the form: the YAML side must be fixed first. */
export class JobTextUnreadable extends Error {
  override readonly name = 'JobTextUnreadable';
}

type Range = readonly [number, number];

/**
 * The job text with one field set to `value` (removed when it is undefined), changed as little as the
 * YAML allows, so that the user's comments, key order, quoting and line breaks elsewhere stay as they
 * were written. A scalar is replaced where it stands; anything else re-writes only the top-level
 * section holding it, through the `yaml` package's Document API, which keeps that section's comments.
 */
export function editJobText(text: string, path: JobFieldPath, value: JobFieldValue): string {
  if (path.length === 0) throw new Error('a job field has a path');
  const doc = readable(text);
  const inPlace = scalarInPlace(doc, path, value) ?? (value === undefined ? removedLines(text, doc, path) : addedLines(text, doc, path, value));
  if (inPlace !== undefined) return splice(text, inPlace.range, inPlace.text);

  const root = doc.contents;
  if (root !== null && !isMap(root)) throw new JobTextUnreadable('the job is not a map of fields: fix it in the YAML');
  const top = String(path[0]);
  const before = root === null ? undefined : sectionRange(root, top);
  if (value === undefined) doc.deleteIn(path);
  else doc.setIn(path, value);
  const after = isMap(doc.contents) ? pairOf(doc.contents, top) : undefined;

  if (after === undefined) return before === undefined ? text : splice(text, before, '');
  if (before === undefined) return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${renderPair(doc, after, true)}`;
  return splice(text, before, renderPair(doc, after, text.charAt(before[1] - 1) === '\n'));
}

/** The text as a YAML document, or why the form cannot edit it. */
function readable(text: string): Document {
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error !== undefined) throw new JobTextUnreadable(`the YAML does not parse (${error.message.split('\n')[0] ?? error.message}): fix it in the YAML`);
  return doc;
}

/** A scalar already written on one line takes a new scalar value in its own place, leaving its comment and its neighbours. */
function scalarInPlace(doc: Document, path: JobFieldPath, value: JobFieldValue): { range: Range; text: string } | undefined {
  if (value === undefined || (typeof value === 'object' && value !== null)) return undefined;
  const node: unknown = doc.getIn(path, true);
  if (!isScalar(node) || node.range === undefined || node.range === null) return undefined;
  if (node.type === Scalar.BLOCK_FOLDED || node.type === Scalar.BLOCK_LITERAL) return undefined;
  const rendered = renderScalar(doc, node, value, insideFlow(doc, path));
  if (rendered.includes('\n')) return undefined;
  return { range: [node.range[0], node.range[1]], text: rendered };
}

/** A scalar in the style it was written in, where that style can hold the new value. */
function renderScalar(doc: Document, node: Scalar, value: string | number | boolean | null, flow: boolean): string {
  const scalar = new Scalar(value);
  // Quotes the old value needed (it was empty, or ended with ":") say nothing of how the user writes the new one.
  if (typeof value === 'string' && node.type !== undefined && node.type !== Scalar.PLAIN && !/^["']/.test(renderAlone(doc, new Scalar(node.value)))) scalar.type = node.type;
  const rendered = renderAlone(doc, scalar);
  // Plain text that reads fine in a block may end a `{ ... }` or `[ ... ]` early.
  return flow && scalar.type !== Scalar.QUOTE_SINGLE && typeof value === 'string' && /[,[\]{}]/.test(rendered) && !/^["']/.test(rendered) ? JSON.stringify(value) : rendered;
}

function renderAlone(doc: Document, scalar: Scalar): string {
  const alone = new Document(null, doc.options);
  alone.contents = scalar;
  return alone.toString({ lineWidth: 0 }).replace(/\n$/, '');
}

/** Whether a collection on the way to the field is written inline (`{ a: 1 }`, `[a, b]`). */
function insideFlow(doc: Document, path: JobFieldPath): boolean {
  for (let depth = 1; depth < path.length; depth++) {
    const node: unknown = doc.getIn(path.slice(0, depth), true);
    if (isCollection(node) && node.flow === true) return true;
  }
  return false;
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key) === key);
}

/** The block map at `path`, when its fields are written on lines of their own. */
function blockMapAt(doc: Document, path: JobFieldPath): YAMLMap | undefined {
  const node: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
  return isMap(node) && node.flow !== true && node.range !== undefined && node.range !== null ? node : undefined;
}

function blockParent(doc: Document, path: JobFieldPath): YAMLMap | undefined {
  return blockMapAt(doc, path.slice(0, -1));
}

/** The column a node starts at, when only spaces (or a list's "- ") come before it on its line. */
function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function ownsLine(text: string, offset: number): boolean {
  return /^ *$/.test(text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset));
}

/**
 * A field new to a block map (with the maps on its way, when they are new too) is written as lines of
 * its own at the end of the deepest block map that holds it, at that map's indentation.
 */
function addedLines(text: string, doc: Document, path: JobFieldPath, value: JobFieldValue): { range: Range; text: string } | undefined {
  for (let depth = path.length - 1; depth >= 0; depth--) {
    const rest = path.slice(depth);
    const holder = blockMapAt(doc, path.slice(0, depth));
    if (holder === undefined) continue;
    const [key] = rest;
    if (!rest.every((k) => typeof k === 'string') || typeof key !== 'string' || pairOf(holder, key) !== undefined) return undefined;
    const end = holder.range?.[1];
    if (end === undefined || holder.items.length === 0 || text.charAt(end - 1) !== '\n') return undefined;
    const nested = rest.slice(1).reduceRight<unknown>((inner, k) => ({ [k]: inner }), value);
    const indent = ' '.repeat(columnOf(text, holder.range?.[0] ?? end));
    const lines = new Document({ [key]: nested }, doc.options).toString().replace(/\n$/, '').split('\n');
    return { range: [end, end], text: `${lines.map((line) => (line === '' ? line : indent + line)).join('\n')}\n` };
  }
  return undefined;
}

/** A field of a block map that has lines of its own loses exactly those lines. */
function removedLines(text: string, doc: Document, path: JobFieldPath): { range: Range; text: string } | undefined {
  const key = path.at(-1);
  const parent = blockParent(doc, path);
  if (typeof key !== 'string' || parent === undefined || path.length === 1) return undefined;
  const pair = pairOf(parent, key);
  const start = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
  if (pair === undefined || start === undefined || !ownsLine(text, start) || parent.items.length === 1) return undefined;
  const value = pair.value as Node | null;
  const valueEnd = value?.range?.[1] ?? start;
  const end = text.charAt(valueEnd - 1) === '\n' ? valueEnd : text.indexOf('\n', valueEnd) + 1 || text.length;
  return { range: [text.lastIndexOf('\n', start - 1) + 1, end], text: '' };
}

/**
 * Where a top-level field is written: from its key to the end of its value. Comments after the value
 * belong to the text around it (the next section's heading, say), so they are left where they are.
 */
function sectionRange(root: YAMLMap, key: string): Range | undefined {
  const pair = pairOf(root, key);
  if (pair === undefined || !isScalar(pair.key)) return undefined;
  const start = pair.key.range?.[0];
  const value = pair.value as Node | null;
  const end = value?.range?.[1] ?? pair.key.range?.[1];
  if (start === undefined || end === undefined) return undefined;
  // A removed section takes its line with it.
  return [start, end];
}

/** One top-level field written alone, without the comments that stay in the text around it. */
function renderPair(doc: Document, pair: Pair, endsWithNewline: boolean): string {
  const copy = pair.clone();
  if (isScalar(copy.key)) {
    copy.key.commentBefore = undefined;
    copy.key.spaceBefore = false;
  }
  const value = copy.value as Node | null;
  if (value !== null && (isScalar(value) || isMap(value) || isSeq(value))) value.comment = undefined;
  const alone = new Document(null, doc.options);
  const map = new YAMLMap();
  map.items.push(copy);
  alone.contents = map;
  const rendered = alone.toString();
  return endsWithNewline ? rendered : rendered.replace(/\n$/, '');
}

function splice(text: string, [start, end]: Range, replacement: string): string {
  const removesLine = replacement === '' && text.charAt(end - 1) !== '\n' && text.charAt(end) === '\n';
  return text.slice(0, start) + replacement + text.slice(removesLine ? end + 1 : end);
}

/** The fields the job text holds, for the form to show, or why they cannot be read while it does not parse. */
export function jobTextValue(text: string): { readonly value: unknown } | { readonly unreadable: string } {
  try {
    // Few aliases: the form shows what the text says, and a "billion laughs" must not stall the window.
    return { value: readable(text).toJS({ maxAliasCount: 100 }) };
  } catch (e) {
    return { unreadable: e instanceof Error ? e.message : String(e) };
  }
}

/** A field's path as problems name it: `routes[1].attachBy`. */
export function jobFieldName(path: JobFieldPath): string {
  return path.reduce<string>((name, key) => (typeof key === 'number' ? `${name}[${key}]` : name === '' ? key : `${name}.${key}`), '');
}
