const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Decimal units, as transfer tools and disk vendors show sizes. */
export function formatBytes(n: number): string {
  if (n < 0) return '?';
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : 1)} ${UNITS[unit]}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export function formatTime(epochMs: number | undefined): string {
  if (epochMs === undefined) return '-'.padEnd(16);
  return new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * What a terminal acts on instead of showing: C0 and C1 controls and DEL (colours, cursor moves, window
 * titles, a carriage return that overwrites the line), the bidirectional controls that reorder what follows
 * (with U+202E before "fdp.exe", a file "invoice…fdp.exe" reads as "invoiceexe.pdf"), and the Unicode line
 * and paragraph separators. A hostile server chooses its file names: none of these may reach a terminal raw.
 */
const ACTIVE_CHARACTERS = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/gu;

/** A name as a person should see it: every active character as an escape (`\x1b`, `\u202e`), on one line. */
export function visibleName(name: string): string {
  return name.replace(ACTIVE_CHARACTERS, escapeCharacter);
}

/** Human text (a message, a server's banner): as `visibleName`, but its own line breaks still end lines. */
export function visibleText(text: string): string {
  return text.replace(ACTIVE_CHARACTERS, (c) => (c === '\n' ? c : escapeCharacter(c)));
}

/**
 * A value as JSON for a program: exact once parsed. Active characters that JSON leaves raw (DEL, C1, bidi
 * controls) are written as JSON escapes, which parse back to the same value, so that JSON shown on a
 * terminal cannot act on it either; the line breaks of the indentation stay.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(ACTIVE_CHARACTERS, (c) => (c === '\n' ? c : `\\u${hex(c, 4)}`));
}

function escapeCharacter(c: string): string {
  return (c.codePointAt(0) ?? 0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`;
}

function hex(c: string, digits: number): string {
  return (c.codePointAt(0) ?? 0).toString(16).padStart(digits, '0');
}
