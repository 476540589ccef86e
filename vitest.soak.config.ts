import { defineConfig } from 'vitest/config';

/**
 * `npm run test:soak`: the trust issue's soak and crash proofs (test/soak). Long
 * and heavy — each drives hundreds of runs or restarts the product 20 times — so
 * one file at a time, and never part of `npm test`.
 */
export default defineConfig({
  test: {
    include: ['test/soak/**/*.test.ts'],
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 900_000,
    // Request and step logs would drown the figures; failures surface through assertions.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
  },
});
