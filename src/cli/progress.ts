import type { TransferSnapshot } from '../engine/TransferStats.js';
import { formatBytes, formatDuration } from './format.js';
import type { OutputStream } from './io.js';

const BAR_WIDTH = 24;

/** One status line for a terminal: bar, bytes, rate, ETA, file counts. */
export function renderProgressLine(s: TransferSnapshot, columns: number): string {
  const fraction = s.bytesTotal > 0 ? Math.min(1, s.bytesDone / s.bytesTotal) : s.filesTotal > 0 ? doneFiles(s) / s.filesTotal : 0;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(BAR_WIDTH - filled)}]`;
  const pct = `${Math.floor(fraction * 100)}%`.padStart(4);
  const eta = s.etaSeconds === null ? '--:--' : formatDuration(s.etaSeconds);
  const failed = s.filesFailed > 0 ? `, ${s.filesFailed} failed` : '';
  const line = `${bar} ${pct} ${formatBytes(s.bytesDone)}/${formatBytes(s.bytesTotal)} ${formatBytes(s.rateBps)}/s ETA ${eta} | ${doneFiles(s)}/${s.filesTotal} files${failed}`;
  return line.length > columns - 1 ? line.slice(0, columns - 1) : line;
}

function doneFiles(s: TransferSnapshot): number {
  return s.filesDone + s.filesSkipped + s.filesFailed;
}

/** Redraws the status line at most every `intervalMs` while a transfer runs, on a TTY only. */
export function startProgress(
  snapshot: () => TransferSnapshot,
  out: OutputStream,
  intervalMs = 250,
): { stop(): void } {
  if (out.isTTY !== true) return { stop: () => undefined };
  const draw = (): void => {
    out.write(`\r\x1b[2K${renderProgressLine(snapshot(), out.columns ?? 80)}`);
  };
  const timer = setInterval(draw, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      draw();
      out.write('\n');
    },
  };
}
