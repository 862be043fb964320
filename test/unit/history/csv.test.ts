import { describe, expect, it } from 'vitest';
import { csvRecord } from '../../../src/history/csv.js';

describe('history CSV records', () => {
  it('quote what needs quoting and leave numbers alone', () => {
    expect(csvRecord(['a,b', 'say "hi"', 'x\ny', 42, -3, undefined])).toBe('"a,b","say ""hi""","x\ny",42,-3,\r\n');
  });

  it('keep remote names that look like formulas from running in a spreadsheet', () => {
    expect(csvRecord(['=HYPERLINK("http://x")', '+1', '-rf', '@SUM(A1)', 'plain'])).toBe(`"'=HYPERLINK(""http://x"")",'+1,'-rf,'@SUM(A1),plain\r\n`);
  });
});
