import { open } from 'node:fs/promises';
import iconv from 'iconv-lite';

/** How much of a file is examined to decide whether it is text: enough for any header, cheap for any file. */
export const HEAD_BYTES = 8192;

export interface Head {
  readonly bytes: Buffer;
  /** True when the head is the whole file, so a multi-byte character cut at the end is an error, not a cut. */
  readonly complete: boolean;
}

export async function readHead(path: string, length = HEAD_BYTES): Promise<Head> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length + 1);
    const { bytesRead } = await handle.read(buffer, 0, length + 1, 0);
    return { bytes: buffer.subarray(0, Math.min(bytesRead, length)), complete: bytesRead <= length };
  } finally {
    await handle.close();
  }
}

export function isUtf8Name(encoding: string): boolean {
  return /^utf-?8$/i.test(encoding.trim());
}

/** In UTF-16 and UTF-32 text every ASCII character carries NUL bytes, so there they say nothing. */
function nulMeansBinary(encoding: string): boolean {
  return !/^(utf-?16|utf-?32|ucs-?2|ucs-?4)/i.test(encoding.trim());
}

/** Why these bytes are not text in the encoding, or undefined when they are. */
export function textProblem(head: Head, encoding: string): string | undefined {
  if (nulMeansBinary(encoding)) {
    const nul = head.bytes.indexOf(0);
    if (nul >= 0) return `contains a NUL byte at offset ${nul}, so it is binary data, not text`;
  }
  if (isUtf8Name(encoding)) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.bytes, { stream: !head.complete });
      return undefined;
    } catch {
      return `is not valid UTF-8 text${firstBadUtf8(head.bytes)}`;
    }
  }
  const supported: boolean = iconv.encodingExists(encoding);
  if (!supported) return `declares the unknown encoding "${encoding}"`;
  // iconv-lite substitutes U+FFFD for bytes the encoding cannot map; write() without end() keeps a cut character pending.
  const decoder = iconv.getDecoder(encoding);
  const text = decoder.write(head.bytes) + (head.complete ? (decoder.end() ?? '') : '');
  return text.includes('\uFFFD') ? `is not valid ${encoding} text` : undefined;
}

function firstBadUtf8(bytes: Buffer): string {
  // Halving is enough to point a person at the right place in a hex viewer.
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, middle), { stream: true });
      good = middle;
    } catch {
      bad = middle;
    }
  }
  return ` (first bad byte near offset ${good})`;
}

/** The encoding an XML declaration names in the first line, if any. */
export function declaredXmlEncoding(bytes: Buffer): string | undefined {
  const start = bytes.subarray(0, 200).toString('latin1');
  return /^(?:\uFEFF|\xEF\xBB\xBF)?<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(start)?.[1];
}
