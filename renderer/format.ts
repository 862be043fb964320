import type { Entry } from '../src/shared/contract/models.js';

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const;
const oneDecimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat();
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

/** 1,024-based, as file managers count: "512 bytes", "1.4 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 0) return '';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${whole.format(value)} ${value === 1 ? 'byte' : 'bytes'}` : `${oneDecimal.format(value)} ${UNITS[unit]}`;
}

export function formatDate(epochMs: number | undefined): string {
  return epochMs === undefined ? '' : dateTime.format(epochMs);
}

export function formatRate(bytesPerSecond: number): string {
  return bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : '—';
}

/** Time left in words; "—" when nobody can tell yet. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s left`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min left`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min left`;
}

export function formatCount(count: number): string {
  return whole.format(count);
}

export function typeOf(entry: Entry): string {
  if (entry.kind === 'dir') return 'Folder';
  const dot = entry.name.lastIndexOf('.');
  return dot <= 0 ? 'File' : `${entry.name.slice(dot + 1).toUpperCase()} file`;
}
