/**
 * Global setup of the fast config: one DynamoDB Local for every step, schedule and
 * run-module test file (each makes its own tables), stopped when vitest closes —
 * or when its process is told to end (Stryker ends test runner processes that way),
 * so no JVM outlives the run.
 */
import type { TestProject } from 'vitest/node';
import { startDynamo } from '#infra/local/dynamodb';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamo = await startDynamo();
  project.provide('slipwayDynamoEndpoint', dynamo.endpoint);
  // stop() signals the JVM synchronously, so it works inside an 'exit' listener too.
  const stopNow = () => void dynamo.stop();
  const endOnSignal = () => {
    stopNow();
    process.exit(1);
  };
  process.once('exit', stopNow);
  process.once('SIGTERM', endOnSignal);
  return async () => {
    process.off('exit', stopNow);
    process.off('SIGTERM', endOnSignal);
    await dynamo.stop();
  };
}
