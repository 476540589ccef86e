// @ts-check
/**
 * Mutation testing of the run logic: steps, schedules, run modules, pure domain
 * logic, the sim connector and the connector commons. Runs the fast test set
 * (vitest.stryker.config.ts: unit + step/schedule/run tests over one DynamoDB
 * Local), only the tests that cover each mutant. `npm run test:mutation`; the
 * report is reports/mutation/mutation.html, and the incremental file lets a
 * second run retest only what changed.
 */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The sandbox lives outside the repository (so `eslint .` and editors never see
// its mutated copies): tests that read ../shared must still find it.
process.env.SLIPWAY_SHARED_DIR ??= resolve('../shared');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts', related: false },
  mutate: [
    'functions/steps/**/*.ts',
    'functions/runs/**/*.ts',
    'functions/domain/**/*.ts',
    'functions/schedules/**/*.ts',
    'connectors/sim/**/*.ts',
    'connectors/commons/**/*.ts',
  ],
  coverageAnalysis: 'perTest',
  // A static mutant (a module-level constant) needs every test rerun with fresh modules: too slow for two cores.
  ignoreStatic: true,
  // Two cores, shared with other engineers' test runs.
  concurrency: 2,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: join(tmpdir(), 'slipway-stryker'),
  // Only what the fast tests need is copied into the sandbox.
  ignorePatterns: [
    'cdk.out',
    '.slipway',
    'coverage',
    'reports',
    'test/integration/*',
    '!test/integration/sim-connector.test.ts',
    'test/infra',
    'test/peers',
    'test/conformance',
  ],
  thresholds: { high: 90, low: 80, break: null },
};
