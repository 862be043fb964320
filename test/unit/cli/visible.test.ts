import { describe, expect, it } from 'vitest';
import { jsonText, visibleName, visibleText } from '../../../src/cli/format.js';

describe('names and text shown to a person', () => {
  it('shows every character a terminal would act on as an escape', () => {
    expect(visibleName('\x1b[31mred.csv')).toBe('\\x1b[31mred.csv');
    expect(visibleName('bell\x07 del\x7f csi\x9b nel\x85')).toBe('bell\\x07 del\\x7f csi\\x9b nel\\x85');
    expect(visibleName('invoice\u202efdp.exe')).toBe('invoice\\u202efdp.exe');
    expect(visibleName('\u2066isolate\u2069 \u200emark\u200f \u061c')).toBe('\\u2066isolate\\u2069 \\u200emark\\u200f \\u061c');
    expect(visibleName('tab\there cr\rhere')).toBe('tab\\x09here cr\\x0dhere');
  });

  it('keeps a name on its line: line breaks and separators inside it are escaped too', () => {
    expect(visibleName('two\nlines')).toBe('two\\x0alines');
    expect(visibleName('line\u2028para\u2029')).toBe('line\\u2028para\\u2029');
  });

  it('leaves printable text alone, whatever its script', () => {
    const names = ['Lieferschein Müller #17.txt', 'ünïcødé 100% "quoted" \\back', '請求書.pdf', 'emoji 📦.zip', 'עברית.txt'];
    for (const name of names) expect(visibleName(name)).toBe(name);
  });

  it('lets a message keep its own line breaks, and nothing else', () => {
    expect(visibleText('The certificate is not trusted.\n  Expected: AB:CD')).toBe('The certificate is not trusted.\n  Expected: AB:CD');
    expect(visibleText('banner \x1b]0;owned\x07\r\nnext')).toBe('banner \\x1b]0;owned\\x07\\x0d\nnext');
  });

  it('writes JSON that parses back to the exact value, with nothing raw a terminal would act on', () => {
    const value = { names: ['\x1b[31mred', 'invoice\u202efdp.exe', 'del\x7f csi\x9b', 'two\nlines', 'plain "quoted" \\'], nested: { tab: '\t' } };
    const text = jsonText(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text.replace(/\n/g, '')).not.toMatch(/[\p{Cc}\p{Bidi_Control}]/u);
    expect(text).toContain('"invoice\\u202efdp.exe"');
  });
});
