import type { TrayStatus } from './trayMenu.js';

/** BGRA, as Electron's `nativeImage.createFromBitmap` reads it. */
const COLOURS: Readonly<Record<TrayStatus, readonly [number, number, number]>> = {
  idle: [0x7d, 0x6b, 0x5b],
  running: [0xeb, 0x6f, 0x1f],
  attention: [0x2f, 0x24, 0xd1],
};

/**
 * The tray icon of each state, drawn in code so the shell needs no image files: idle is a ring, running a
 * full disc, attention a red disc with an exclamation mark. The shapes differ as well as the colours, so
 * the state reads without telling colours apart. `size` square pixels, BGRA, transparent outside.
 */
export function trayIconBitmap(status: TrayStatus, size: number): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const centre = (size - 1) / 2;
  const outer = size / 2 - 0.5;
  const inner = outer * 0.55;
  const [b, g, r] = COLOURS[status];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const distance = Math.hypot(x - centre, y - centre);
      if (distance > outer || (status === 'idle' && distance < inner)) continue;
      const white = status === 'attention' && exclamationAt(x / size, y / size);
      pixels.set(white ? [0xff, 0xff, 0xff, 0xff] : [b, g, r, 0xff], (y * size + x) * 4);
    }
  }
  return pixels;
}

/** An exclamation mark in the disc's middle: a bar, a gap, a dot (coordinates as fractions of the size). */
function exclamationAt(x: number, y: number): boolean {
  if (x < 0.42 || x > 0.58) return false;
  return (y >= 0.2 && y <= 0.58) || (y >= 0.68 && y <= 0.8);
}
