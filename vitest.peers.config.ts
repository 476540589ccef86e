import { defineConfig } from 'vitest/config';

/** `npm run test:peers`: connectors against real third-party clouds started from ../shared/peers. */
export default defineConfig({
  test: {
    include: ['test/peers/**/*.test.ts'],
    // Each peer is a set of real services: one suite at a time on a 2-core machine.
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 600_000,
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
  },
});
