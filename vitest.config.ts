import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    globalSetup: ['test/setup/servers.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Real servers and 200 MB files: two cores cannot take more than two files at once.
    maxWorkers: 2,
  },
});
