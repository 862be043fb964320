import { describe, expect, it } from 'vitest';
import { TransferError } from '../../../src/connectors/errors.js';
import { chunkForInClause, soqlLike, soqlString } from '../../../src/connectors/salesforce/soqlText.js';

/** Reads a SOQL string literal back the way Salesforce does, refusing what Salesforce would refuse. */
function readLiteral(literal: string, like = false): string {
  expect(literal.startsWith("'") && literal.endsWith("'") && literal.length >= 2).toBe(true);
  const body = literal.slice(1, -1);
  const escapes: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
  if (like) Object.assign(escapes, { '%': '%', _: '_' });
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body.charAt(i);
    if (c === "'") throw new Error(`unescaped quote at ${i}`);
    if (c === '\n' || c === '\r') throw new Error(`raw line break at ${i}`);
    if (like && (c === '%' || c === '_')) throw new Error(`unescaped wildcard at ${i}`);
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = escapes[body.charAt(++i)];
    if (next === undefined) throw new Error(`invalid escape at ${i}`);
    out += next;
  }
  return out;
}

const HOSTILE = [
  "O'Brien",
  "' OR Name != '",
  'back\\slash',
  'trailing\\',
  '\\\'',
  'say "hi"',
  'line\nbreak\r\n',
  'tab\there',
  'bell\bform\f',
  '100% _done_',
  'Ünïcödé – 日本語 📦',
  '',
  'plain',
];

describe('soqlString', () => {
  it.each(HOSTILE)('quotes %j so that it reads back unchanged', (value) => {
    expect(readLiteral(soqlString(value))).toBe(value);
  });

  it('uses the documented escapes and leaves LIKE wildcards alone', () => {
    expect(soqlString(`a'b"c\\d\ne\rf\tg\bh\fi%_`)).toBe(`'a\\'b\\"c\\\\d\\ne\\rf\\tg\\bh\\fi%_'`);
  });
});

describe('soqlLike', () => {
  it.each(HOSTILE)('builds a "contains" pattern for %j', (value) => {
    const pattern = soqlLike(value);
    expect(pattern.startsWith("'%") && pattern.endsWith("%'")).toBe(true);
    expect(readLiteral(`'${pattern.slice(2, -2)}'`, true)).toBe(value);
  });

  it('escapes % and _ so they match themselves', () => {
    expect(soqlLike('50%_off')).toBe("'%50\\%\\_off%'");
  });
});

/** The clause text exactly as a caller builds it. */
function inList(chunk: ReadonlyArray<string>): string {
  return `(${chunk.map(soqlString).join(',')})`;
}

/** Percent-encodes all but RFC 3986's unreserved characters: longer than any encoder a client would use. */
function strictlyEncoded(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function encodedLengths(text: string): number[] {
  return [
    encodeURIComponent(text).length,
    new URLSearchParams({ q: text }).toString().length - 'q='.length,
    strictlyEncoded(text).length,
  ];
}

describe('chunkForInClause', () => {
  it('keeps small lists whole', () => {
    expect(chunkForInClause(['a', 'b', 'c'])).toEqual([['a', 'b', 'c']]);
    expect(chunkForInClause([])).toEqual([]);
  });

  it('drops case-insensitive duplicates, keeping the first spelling and the order', () => {
    expect(chunkForInClause(['ACC-1', 'b', 'acc-1', 'B', 'Ä', 'ä', 'c'])).toEqual([['ACC-1', 'b', 'Ä', 'c']]);
  });

  it('splits at maxItems', () => {
    const values = Array.from({ length: 650 }, (_, i) => `V${i}`);
    const chunks = chunkForInClause(values);
    expect(chunks.map((c) => c.length)).toEqual([300, 300, 50]);
    expect(chunks.flat()).toEqual(values);
    expect(chunkForInClause(values, { maxItems: 1 })).toHaveLength(650);
  });

  it('keeps the URL-encoded list within maxChars for hostile values', () => {
    const values = Array.from({ length: 2000 }, (_, i) => `${HOSTILE[i % HOSTILE.length] ?? ''}#${i}`);
    for (const maxChars of [200, 1000, 8000]) {
      const chunks = chunkForInClause(values, { maxChars, maxItems: 10_000 });
      expect(chunks.flat()).toEqual(values);
      for (const chunk of chunks) {
        expect(chunk.length).toBeGreaterThan(0);
        for (const length of encodedLengths(inList(chunk))) expect(length).toBeLessThanOrEqual(maxChars);
      }
      // A list ends only where the next value would not have fitted.
      for (let i = 0; i + 1 < chunks.length; i++) {
        const grown = [...(chunks[i] ?? []), chunks[i + 1]?.[0] ?? ''];
        expect(strictlyEncoded(inList(grown)).length).toBeGreaterThan(maxChars);
      }
    }
  });

  it('counts multi-byte characters by their encoded size', () => {
    const emoji = '📦'.repeat(10);
    const literal = encodeURIComponent(soqlString(emoji)).length;
    const chunks = chunkForInClause(['x1', 'x2', 'x3'].map((s) => emoji + s), { maxChars: 2 * literal + 30 });
    expect(chunks.map((c) => c.length)).toEqual([2, 1]);
  });

  it('refuses a value that cannot fit any list', () => {
    expect(() => chunkForInClause(['x'.repeat(9000)])).toThrow(TransferError);
    expect(() => chunkForInClause(['ok', '💥'.repeat(700)])).toThrow(/too long/);
  });

  it('refuses nonsensical limits', () => {
    expect(() => chunkForInClause(['a'], { maxItems: 0 })).toThrow(RangeError);
    expect(() => chunkForInClause(['a'], { maxChars: Number.NaN })).toThrow(RangeError);
  });
});
