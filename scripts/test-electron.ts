// `npm run test:electron`: runs Ferry's desktop app in real Electron with Playwright, where Electron's
// binary is installed (its download is skipped on build machines, see docs/desktop.md). Elsewhere it
// says it skipped and exits 0, so that it never fails for want of the binary. Not part of `npm test`.
import { spawnSync } from 'node:child_process';
import { electronBinary } from '../src/demo/desktopShell.js';

if (electronBinary() === undefined) {
  console.log('test:electron skipped: no Electron binary here (install Electron without ELECTRON_SKIP_BINARY_DOWNLOAD to run it)');
  process.exit(0);
}
// The app under test is the built one: out/main, the bundled preload and the renderer.
const steps: ReadonlyArray<ReadonlyArray<string>> = [
  ['npm', 'run', 'build'],
  ['npx', 'vitest', 'run', '--config', 'vitest.electron.config.ts'],
];
for (const [command, ...args] of steps) {
  if (command === undefined) continue;
  const { status } = spawnSync(command, args, { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
