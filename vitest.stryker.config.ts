/**
 * The fast test set: unit tests, the run step, schedule, run-module and store tests and
 * the sim connector's own test, sharing one DynamoDB Local: what mutation testing
 * (stryker.config.mjs) runs per mutant. No CDK synth, no local stack over HTTP.
 */
import type { Vitest } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Stryker's vitest runner (9.6) picks a mutant's tests with a name pattern built
 * from "describe test" names, while Vitest 5 matches it against "describe > test":
 * no test would ever run, and every mutant would survive. This lets each space of
 * the pattern match either separator. Remove it once the runner speaks Vitest 5.
 */
const strykerTestNames = {
  name: 'slipway:stryker-test-names',
  configureVitest({ vitest }: { vitest: Vitest }) {
    const start = vitest.start.bind(vitest);
    vitest.start = (filters) => {
      for (const project of vitest.projects) {
        const pattern = project.config.testNamePattern;
        if (pattern instanceof RegExp) project.config.testNamePattern = new RegExp(pattern.source.replaceAll(' ', '(?: > | )'), pattern.flags);
      }
      return start(filters);
    };
  },
};

export default defineConfig({
  plugins: [strykerTestNames],
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/steps/**/*.test.ts',
      'test/schedules/**/*.test.ts',
      'test/runs/**/*.test.ts',
      'test/store/**/*.test.ts',
      'test/integration/sim-connector.test.ts',
    ],
    globalSetup: ['test/runs/support/shared-dynamo.ts'],
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
  },
});
