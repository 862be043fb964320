import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/jobs/manifest.js';

describe('a CSV manifest', () => {
  it('lists names with a quote inside them as written, and quoted names with doubled quotes', () => {
    const text = 'name,size,checksum\nDrawing 12" pipe.pdf,10,ABC123\n"Memo ""final"", v2.pdf",3,\n';
    expect(parseManifest(text, 'csv')).toEqual(
      new Map([
        ['Drawing 12" pipe.pdf', { size: 10, checksum: 'abc123' }],
        ['Memo "final", v2.pdf', { size: 3 }],
      ]),
    );
  });
});
