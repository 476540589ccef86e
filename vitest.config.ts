import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Peer suites need real clouds started from ../shared/peers: `npm run test:peers`.
    exclude: ['test/peers/**', 'node_modules/**'],
    // Integration suites each start DynamoDB Local (a JVM): keep them few at a time on a 2-core machine.
    maxWorkers: 2,
    testTimeout: 60_000,
    // Request logs are noise in test output; failures still surface through assertions.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    hookTimeout: 120_000,
  },
});
