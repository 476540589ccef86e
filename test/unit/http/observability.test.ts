/**
 * What the handler wrappers count, read from the EMF lines Powertools Metrics
 * writes: VMs created, runs Ready, cloud errors by class.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TransientCloudError } from '#connectors/errors';
import type { AppDeps } from '#functions/commons/deps';
import { METRICS_NAMESPACE } from '#functions/commons/observability';
import { stepHandler } from '#functions/steps/step';

// Before the imports run: the metrics instance reads it when it is made (the suite may disable metrics for everyone else).
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
});

let lines: string[];

beforeEach(() => {
  lines = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Metric name → the dimensions it was published with, from the EMF lines written so far. */
function published(): { name: string; dimensions: Record<string, unknown> }[] {
  return lines
    .flatMap((line) => line.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .flatMap((line) => {
      const emf = JSON.parse(line) as { _aws: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] } } & Record<string, unknown>;
      return emf._aws.CloudWatchMetrics.filter((m) => m.Namespace === METRICS_NAMESPACE).flatMap((m) =>
        m.Metrics.map((metric) => ({ name: metric.Name, dimensions: emf })),
      );
    });
}

const deps = () => ({}) as AppDeps;

describe('step metrics', () => {
  it('a CreateInstance that succeeds counts one VM created', async () => {
    // Prepare
    const handler = stepHandler(async () => undefined, { name: 'CreateInstance', deps });

    // Act
    await handler({ runId: 'run_1', node: 'web', index: 1 }, {} as never);

    // Assess
    expect(published().map((m) => m.name)).toEqual(['VmsCreated']);
  });

  it('the step that moves a run to Ready counts a run Ready, by step', async () => {
    // Prepare
    const handler = stepHandler(async () => undefined, { name: 'SetRunState', deps });

    // Act
    await handler({ runId: 'run_1', state: 'Ready' }, {} as never);

    // Assess
    expect(published()).toEqual([{ name: 'RunsReady', dimensions: expect.objectContaining({ step: 'SetRunState' }) }]);
  });

  it('a FinalizeRun that ends the run Aborted counts a run aborted', async () => {
    // Prepare
    const handler = stepHandler(async () => ({ state: 'Aborted' }), { name: 'FinalizeRun', deps });

    // Act
    await handler({ runId: 'run_1' }, {} as never);

    // Assess
    expect(published()).toEqual([{ name: 'RunsAborted', dimensions: expect.objectContaining({ step: 'FinalizeRun' }) }]);
  });

  it('a cloud error is counted by its class and still thrown for the state machine to retry', async () => {
    // Prepare
    const handler = stepHandler(async () => Promise.reject(new TransientCloudError('503 from the cloud')), { name: 'CreateInstance', deps });

    // Act
    const outcome = handler({ runId: 'run_1', node: 'web', index: 1 }, {} as never);

    // Assess
    await expect(outcome).rejects.toThrow(TransientCloudError);
    expect(published()).toEqual([{ name: 'CloudErrors', dimensions: expect.objectContaining({ errorClass: 'TransientCloudError' }) }]);
  });

  it('an error that is not a cloud error is not counted as one', async () => {
    // Prepare
    const handler = stepHandler(async () => Promise.reject(new Error('bug')), { name: 'CheckInstances', deps });

    // Act
    const outcome = handler({ runId: 'run_1' }, {} as never);

    // Assess
    await expect(outcome).rejects.toThrow('bug');
    expect(published()).toEqual([]);
  });
});
