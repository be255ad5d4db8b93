import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    // e2e tests spawn the CLI; two cores, so two files at a time.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
