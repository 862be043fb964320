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
