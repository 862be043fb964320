import { isCollection, isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

type Plain = Readonly<Record<string, unknown>>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

/**
 * What names an item of a list across edits: an output column's `to`, a fixed-width field's `name`.
 * Items without one are matched by position.
 */
function identityOf(value: unknown): string | undefined {
  if (!isPlain(value)) return undefined;
  if (typeof value['to'] === 'string') return `to:${value['to']}`;
  if (typeof value['name'] === 'string') return `name:${value['name']}`;
  return undefined;
}

/** A node for a value the document did not have, written in the style of its neighbours (flow `{ … }` among flow items). */
function fresh(doc: Document, value: unknown, neighbours: ReadonlyArray<unknown>): Node {
  const node = doc.createNode(value);
  if (isCollection(node) && neighbours.some((n) => isCollection(n) && n.flow === true)) node.flow = true;
  return node;
}

function mergedMap(doc: Document, node: YAMLMap, value: Plain): YAMLMap {
  for (const pair of [...node.items]) {
    if (value[keyOf(pair)] === undefined) node.delete(pair.key);
  }
  const neighbours = node.items.map((pair) => pair.value);
  for (const [key, next] of Object.entries(value)) {
    if (next === undefined) continue;
    const pair = node.items.find((p) => keyOf(p) === key);
    if (pair === undefined) node.add(doc.createPair(key, fresh(doc, next, neighbours)));
    else pair.value = merged(doc, pair.value, next, neighbours);
  }
  return node;
}

function mergedSeq(doc: Document, node: YAMLSeq, values: ReadonlyArray<unknown>): YAMLSeq {
  const old = [...node.items];
  const claimed = new Set(values.map(identityOf).filter((id) => id !== undefined));
  const used = new Set<number>();
  const identities = old.map((item) => identityOf(isCollection(item) || isScalar(item) ? item.toJSON() : item));
  node.items = values.map((value, i) => {
    const id = identityOf(value);
    let at = id === undefined ? -1 : identities.findIndex((other, j) => other === id && !used.has(j));
    // An item renamed in place, or one without a name, keeps its node (and its comments) by position.
    const named = identities[i];
    if (at < 0 && i < old.length && !used.has(i) && (named === undefined || !claimed.has(named))) at = i;
    if (at < 0) return fresh(doc, value, old);
    used.add(at);
    return merged(doc, old[at], value, old);
  });
  return node;
}

function merged(doc: Document, node: unknown, value: unknown, neighbours: ReadonlyArray<unknown>): unknown {
  if (Array.isArray(value)) return isSeq(node) ? mergedSeq(doc, node, value) : fresh(doc, value, neighbours);
  if (isPlain(value)) return isMap(node) ? mergedMap(doc, node, value) : fresh(doc, value, neighbours);
  if (isScalar(node)) {
    // The scalar node stays, with its comments and quoting; only its value changes.
    if (node.value !== value) node.value = value;
    return node;
  }
  return fresh(doc, value, neighbours);
}

/**
 * Makes `doc` hold `value` while keeping what a person wrote around it: comments stay with the keys and
 * list items they belong to, keys keep their order (new ones go last), list items are matched by their
 * name (`to`, `name`) so a reordered item takes its comments along, and flow or block style is kept.
 */
export function updateDocument(doc: Document, value: unknown): void {
  doc.contents = merged(doc, doc.contents, value, []) as Document['contents'];
}

/**
 * The document as text, laid out like `source`, the file it was read from: no line is folded shorter than
 * the author's longest, and flow collections are padded (`{ to: sku }`) when the author padded them.
 */
export function documentText(doc: Document, source: string): string {
  const lineWidth = Math.max(80, ...source.split('\n').map((line) => line.length));
  const flowCollectionPadding = source === '' || /[{[] [^\s}\]]/.test(source);
  return doc.toString({ lineWidth, flowCollectionPadding });
}
