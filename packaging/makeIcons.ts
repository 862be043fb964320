import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import png2icons from 'png2icons';
import { chromium } from 'playwright-core';

/**
 * Draws every icon the installers and the tray use from the one source drawing, `assets/icon.svg`:
 * the Linux sizes, Windows' .ico, macOS' .icns and the tray's idle / running / attention states. Chromium draws the SVG, so nothing but the test
 * browser is needed; the results are committed, and this is run again only when the drawing changes.
 */
const assets = fileURLToPath(new URL('../assets/', import.meta.url));
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;

/** The tray's three states: the icon alone, or with a badge that tells them apart at a glance (and not by colour alone). */
const TRAY_BADGES = {
  idle: '',
  running: '<circle cx="780" cy="780" r="230" fill="#138a43" stroke="#ffffff" stroke-width="40"/><path d="M720 660l150 120-150 120z" fill="#ffffff"/>',
  attention: '<circle cx="780" cy="780" r="230" fill="#c2410c" stroke="#ffffff" stroke-width="40"/><rect x="750" y="650" width="60" height="150" rx="30" fill="#ffffff"/><circle cx="780" cy="870" r="34" fill="#ffffff"/>',
} as const;

async function main(): Promise<void> {
  const svg = await readFile(join(assets, 'icon.svg'), 'utf8');
  const browser = await chromium.launch({ executablePath: process.env.FERRY_CHROMIUM ?? '/usr/bin/chromium' });
  try {
    const page = await browser.newPage();
    const draw = async (size: number, badge = ''): Promise<Buffer> => {
      const drawing = svg.replace('<svg ', `<svg style="display:block;width:${size}px;height:${size}px" `).replace('</svg>', `${badge}</svg>`);
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(`<html><body style="margin:0">${drawing}</body></html>`);
      return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    };
    await mkdir(join(assets, 'icons'), { recursive: true });
    let largest: Buffer | undefined;
    for (const size of LINUX_SIZES) {
      const png = await draw(size);
      await writeFile(join(assets, 'icons', `${size}x${size}.png`), png);
      largest = png;
    }
    if (largest === undefined) throw new Error('No icon size was drawn');
    await writeFile(join(assets, 'icon.png'), largest);
    const icns = png2icons.createICNS(largest, png2icons.BICUBIC, 0);
    const ico = png2icons.createICO(largest, png2icons.BICUBIC, 0, false, true);
    if (icns === null || ico === null) throw new Error('png2icons could not convert assets/icon.png');
    await writeFile(join(assets, 'icon.icns'), icns);
    await writeFile(join(assets, 'icon.ico'), ico);
    // Electron picks the @2x file on high-density screens by itself.
    await mkdir(join(assets, 'tray'), { recursive: true });
    for (const [state, badge] of Object.entries(TRAY_BADGES)) {
      await writeFile(join(assets, 'tray', `${state}.png`), await draw(16, badge));
      await writeFile(join(assets, 'tray', `${state}@2x.png`), await draw(32, badge));
    }
  } finally {
    await browser.close();
  }
}

await main();
