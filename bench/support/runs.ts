/**
 * A run's life as the figures drive it: launched over HTTP, followed through its
 * Step Functions executions (DescribeExecution, which reads Step Functions' own
 * records: no API call lands in the counted table traffic while a run goes).
 */
import type { BenchStack } from './bench-stack';
import { launch, stateEvents } from './api';
import { executionEnded, history, runExecutionArn, transitions, type Transitions } from './histories';
import type { HistoryEvent } from '@aws-sdk/client-sfn';

export interface RunTiming {
  runId: string;
  /** Epoch ms just before POST /runs. */
  launchedAt: number;
  /** The run's state events (server clock, same machine). */
  states: { state: string; at: number }[];
  /** Launch → Ready in ms (NaN when the run did not get Ready). */
  toReadyMs: number;
  finalState: string;
}

/** Launches `n` instances of `app` on `connector` and waits until the deploy execution ends. */
export async function runToReady(b: BenchStack, key: string, connector: string, n: number, timeoutMs = 180_000): Promise<RunTiming> {
  const launchedAt = Date.now();
  const runId = await launch(b.api, key, connector, n);
  await executionEnded(b.sfn, runExecutionArn('deploy', runId), timeoutMs);
  const states = await stateEvents(b.api, key, runId);
  const ready = states.find((s) => s.state === 'Ready');
  return { runId, launchedAt, states, toReadyMs: ready ? ready.at - launchedAt : Number.NaN, finalState: states.at(-1)?.state ?? '?' };
}

/** Asks the run to terminate and waits until its terminate execution ends. */
export async function terminateRun(b: BenchStack, key: string, runId: string, timeoutMs = 180_000): Promise<void> {
  const reply = await b.api.post(`/runs/${runId}/terminate`, key);
  if (reply.status !== 202) throw new Error(`terminate ${runId}: ${reply.status} ${JSON.stringify(reply.body)}`);
  await executionEnded(b.sfn, runExecutionArn('terminate', runId), timeoutMs);
}

/** The run's deploy and terminate histories and their transitions. */
export async function runTransitions(b: BenchStack, runId: string): Promise<{ deploy: Transitions; terminate: Transitions; deployEvents: HistoryEvent[] }> {
  const deployEvents = await history(b.sfn, runExecutionArn('deploy', runId));
  const terminateEvents = await history(b.sfn, runExecutionArn('terminate', runId));
  return { deploy: transitions(deployEvents), terminate: transitions(terminateEvents), deployEvents };
}
