import { fileTypeFromFile, supportedExtensions } from 'file-type';
import { declaredXmlEncoding, readHead, textProblem } from '../text.js';
import type { FileToValidate, RuleResult } from '../types.js';
import { normalizeExtension } from './naming.js';

/** file-type has no signature for text formats; these extensions promise text and are checked for it. */
const TEXT_EXTENSIONS = new Set([
  'csv', 'tsv', 'tab', 'psv', 'txt', 'text', 'prn', 'json', 'jsonl', 'ndjson', 'geojson', 'xml', 'xsd', 'xsl', 'xslt', 'svg',
  'html', 'htm', 'md', 'markdown', 'log', 'yaml', 'yml', 'ini', 'cfg', 'conf', 'properties', 'sql', 'edi', 'x12', 'edifact', 'idoc',
]);

/** Names used for anything from fixed-width text to registry hives: only the executable check applies. */
const AMBIGUOUS = new Set(['dat', 'bin']);

const ALIASES: Readonly<Record<string, string>> = { jpeg: 'jpg', jpe: 'jpg', jfif: 'jpg', tiff: 'tif', mpeg: 'mpg', midi: 'mid', tgz: 'tar.gz', htm: 'html', yml: 'yaml' };

/** Types file-type may report for the same content under either name. */
const EQUIVALENT: ReadonlyArray<ReadonlySet<string>> = [new Set(['gz', 'tar.gz']), new Set(['mp4', 'm4v']), new Set(['ogg', 'oga', 'ogx'])];

/** Content that runs when opened: never acceptable under a name that promises a document. */
const EXECUTABLES = new Set(['exe', 'elf', 'macho', 'class', 'jar', 'apk', 'wasm', 'crx', 'lnk']);

export type ContentTypeSetting = true | readonly string[];

type Sniffed =
  | { readonly kind: 'text'; readonly type: string }
  | { readonly kind: 'binary'; readonly type: string; readonly mime: string }
  | { readonly kind: 'unknown'; readonly problem: string };

function canonical(type: string): string {
  const normalized = normalizeExtension(type);
  return ALIASES[normalized] ?? normalized;
}

function sameType(a: string, b: string): boolean {
  return a === b || EQUIVALENT.some((set) => set.has(a) && set.has(b));
}

/** The extension that names the content: "tar.gz" is one type, not a gzip named "tar". */
function contentExtension(name: string): string {
  const lower = name.toLowerCase();
  if (lower.endsWith('.tar.gz')) return 'tar.gz';
  const dot = lower.lastIndexOf('.');
  return dot > 0 ? canonical(lower.slice(dot + 1)) : '';
}

function describe(sniffed: Sniffed): string {
  if (sniffed.kind === 'text') return sniffed.type === 'xml' ? 'XML text' : 'text';
  if (sniffed.kind === 'binary') return `${sniffed.type} (${sniffed.mime})`;
  return `unrecognised binary data (it ${sniffed.problem})`;
}

async function sniff(file: FileToValidate, csvEncoding: string | undefined): Promise<Sniffed> {
  const head = await readHead(file.localPath);
  const encoding = csvEncoding ?? declaredXmlEncoding(head.bytes) ?? 'utf-8';
  const notText = textProblem(head, encoding);
  const detected = await fileTypeFromFile(file.localPath);
  if (detected === undefined) return notText === undefined ? { kind: 'text', type: 'text' } : { kind: 'unknown', problem: notText };
  if (detected.ext === 'xml' && notText === undefined) return { kind: 'text', type: 'xml' };
  // The DOS signature is the two letters "MZ", which a CSV header can start with; real executables have NUL bytes right after.
  if (detected.ext === 'exe' && notText === undefined) return { kind: 'text', type: 'text' };
  return { kind: 'binary', type: canonical(detected.ext), mime: detected.mime };
}

function byExtension(rel: string, ext: string, sniffed: Sniffed): { readonly passed: boolean; readonly message: string } {
  const content = describe(sniffed);
  if (TEXT_EXTENSIONS.has(ext)) {
    if (sniffed.kind === 'text') return { passed: true, message: `${rel}: the content is ${content}, as .${ext} requires` };
    if (sniffed.kind === 'binary') return { passed: false, message: `${rel}: the content is ${content}, not text as .${ext} requires` };
    return { passed: false, message: `${rel}: .${ext} should be text, but the file ${sniffed.problem}` };
  }
  if (ext !== '' && !AMBIGUOUS.has(ext) && (supportedExtensions.has(ext) || Object.values(ALIASES).includes(ext))) {
    if (sniffed.kind === 'binary' && sameType(sniffed.type, ext)) return { passed: true, message: `${rel}: the content is ${content}, as the extension says` };
    return { passed: false, message: `${rel}: the content is ${content}, not ${ext} as the extension says` };
  }
  const label = ext === '' ? 'a file without extension' : `.${ext}`;
  if (sniffed.kind === 'binary' && EXECUTABLES.has(sniffed.type)) return { passed: false, message: `${rel}: the content is an executable, ${content}, under ${label}` };
  return { passed: true, message: `${rel}: no signature is known for ${label}; the content is ${content}` };
}

function byList(rel: string, allowed: readonly string[], sniffed: Sniffed): { readonly passed: boolean; readonly message: string } {
  const wanted = allowed.map(canonical);
  const content = describe(sniffed);
  const passed =
    sniffed.kind === 'text'
      ? wanted.some((type) => type === 'text' || TEXT_EXTENSIONS.has(type))
      : sniffed.kind === 'binary' && wanted.some((type) => sameType(type, sniffed.type));
  return passed
    ? { passed, message: `${rel}: the content is ${content}, an allowed type` }
    : { passed, message: `${rel}: the content is ${content}, which is not one of ${allowed.join(', ')}` };
}

export async function checkContentType(file: FileToValidate, setting: ContentTypeSetting, csvEncoding: string | undefined): Promise<RuleResult> {
  const sniffed = await sniff(file, csvEncoding);
  const ext = contentExtension(file.name);
  const verdict = setting === true ? byExtension(file.relativePath, ext, sniffed) : byList(file.relativePath, setting, sniffed);
  const detected = sniffed.kind === 'unknown' ? undefined : sniffed.type;
  return { rule: 'content-type', ...verdict, details: { extension: ext === '' ? undefined : ext, detected, mime: sniffed.kind === 'binary' ? sniffed.mime : undefined } };
}
