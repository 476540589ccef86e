/**
 * State transitions of a run, read the way an operator would: GetExecutionHistory
 * on the Step Functions endpoint. AWS bills a transition for every state entered,
 * inside Map iterations too, and for every retry of a Task.
 */
import { DescribeExecutionCommand, GetExecutionHistoryCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import { STATE_MACHINES } from '#infra/state-machines/state-names';
import { executionArn } from '#infra/local/sfn-arns';
import { waitFor } from './stats';

export type Machine = keyof typeof STATE_MACHINES;

export const runExecutionArn = (machine: Machine, runId: string) => executionArn(STATE_MACHINES[machine], runId);

/** Every event of the execution, paged (bounded at 100 pages). */
export async function history(sfn: SFNClient, arn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 100; page++) {
    const out = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 1000, nextToken, includeExecutionData: false }));
    events.push(...(out.events ?? []));
    nextToken = out.nextToken;
    if (!nextToken) break;
  }
  return events;
}

export interface Transitions {
  total: number;
  /** States entered, by state name. */
  byState: Record<string, number>;
  /** Task attempts beyond the first (each billed as a transition). */
  retries: number;
}

/** Transitions counted from a history: each `*StateEntered`, plus each Task retry. */
export function transitions(events: readonly HistoryEvent[]): Transitions {
  const byState: Record<string, number> = {};
  let entered = 0;
  let taskEntered = 0;
  let scheduled = 0;
  for (const event of events) {
    const type = event.type ?? '';
    if (type.endsWith('StateEntered')) {
      entered++;
      const name = event.stateEnteredEventDetails?.name ?? '?';
      byState[name] = (byState[name] ?? 0) + 1;
      if (type === 'TaskStateEntered') taskEntered++;
    }
    if (type === 'LambdaFunctionScheduled') scheduled++;
  }
  const retries = Math.max(0, scheduled - taskEntered);
  return { total: entered + retries, byState, retries };
}

/** Waits until the execution is no longer RUNNING; returns its status. */
export async function executionEnded(sfn: SFNClient, arn: string, timeoutMs: number): Promise<string> {
  return waitFor(
    `execution ${arn}`,
    async () => {
      const out = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
      return out.status === 'RUNNING' ? undefined : out.status;
    },
    timeoutMs,
    50,
  );
}
