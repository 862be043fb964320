import { defineConfig } from 'vitest/config';

/** `npm run test:electron` only: the desktop app in real Electron, one test at a time. */
export default defineConfig({
  test: {
    include: ['test/electron/**/*.electron.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
  },
});
