import { XMLParser, XMLValidator } from 'fast-xml-parser';
import iconv from 'iconv-lite';
import { readBounded } from '../memory.js';
import { ProblemList } from '../problems.js';
import { declaredXmlEncoding, isUtf8Name } from '../text.js';
import type { FileToValidate, RuleResult } from '../types.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "Order" in a path also finds <ns:Order>: partners add namespace prefixes at will, paths in configs rarely do. */
function sameElement(key: string, segment: string): boolean {
  return key === segment || (!segment.includes(':') && key.endsWith(`:${segment}`));
}

/** Whether an element exists at this path from the root; repeated elements are arrays in the parsed document. */
function hasPath(document: unknown, segments: readonly string[]): boolean {
  let nodes: unknown[] = [document];
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const node of nodes) {
      if (!isRecord(node)) continue;
      for (const [key, value] of Object.entries(node)) {
        if (!sameElement(key, segment)) continue;
        if (Array.isArray(value)) for (const item of value as unknown[]) next.push(item);
        else next.push(value);
      }
    }
    if (next.length === 0) return false;
    nodes = next;
  }
  return true;
}

function rootName(document: unknown): string | undefined {
  return isRecord(document) ? Object.keys(document).find((key) => !key.startsWith('?') && !key.startsWith('#')) : undefined;
}

/** The declaration may name another encoding than UTF-8; the text is decoded as it says. */
function decode(bytes: Buffer): { readonly text: string } | { readonly problem: string } {
  const declared = declaredXmlEncoding(bytes);
  if (declared === undefined || isUtf8Name(declared)) {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      return { problem: 'is not valid UTF-8 text, and its XML declaration names no other encoding' };
    }
  }
  // encodingExists is a type guard over a union that includes string, so its false branch would narrow to never.
  const supported: boolean = iconv.encodingExists(declared);
  if (!supported) return { problem: `declares the encoding "${declared}", which is not supported` };
  return { text: iconv.decode(bytes, declared) };
}

export async function checkXml(file: FileToValidate, requiredElements: readonly string[], signal?: AbortSignal): Promise<RuleResult> {
  const rel = file.relativePath;
  const fail = (message: string, details?: Record<string, unknown>): RuleResult => ({ rule: 'xml', passed: false, message, details });
  const read = await readBounded(file, 'XML', signal);
  if ('refusal' in read) return fail(read.refusal);
  const decoded = decode(read.bytes);
  if ('problem' in decoded) return fail(`${rel} ${decoded.problem}`);
  const wellFormed = XMLValidator.validate(decoded.text);
  if (wellFormed !== true) {
    const { line, col, msg, code } = wellFormed.err;
    return fail(`${rel} line ${line}, column ${col}: ${msg}`, { line, column: col, code });
  }
  const problems = new ProblemList();
  if (requiredElements.length > 0) {
    // Attributes, entities and typed values play no part in which elements exist; leaving them out keeps parsing cheap and safe.
    const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, processEntities: false, ignoreDeclaration: true, ignorePiTags: true });
    const document: unknown = parser.parse(decoded.text);
    const root = rootName(document);
    for (const path of requiredElements) {
      const segments = path.replace(/^\//, '').split('/').map((segment) => segment.trim());
      if (!hasPath(document, segments)) {
        const rootNote = root !== undefined && !sameElement(root, segments[0] ?? '') ? ` (the root element is <${root}>)` : '';
        problems.add(`${rel}: the required element ${path} is missing${rootNote}`);
      }
    }
  }
  return problems.result('xml', `${rel} is well-formed XML${requiredElements.length > 0 ? ' with all required elements' : ''}`);
}
