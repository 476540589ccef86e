/**
 * Where a run's round trips go: each table command and cloud call is attributed to
 * the Task state that was running when it was sent, from the execution history's
 * timestamps. Exact for one run at a time (concurrent Map iterations are the same Task).
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { CloudCall } from './connector-counter';
import type { TableOp } from './table-counter';

export interface StepProfile {
  step: string;
  invocations: number;
  /** Mean time from TaskStateEntered to TaskStateExited. */
  meanMs: number;
  tableCommands: number;
  tableCommandsPerInvocation: number;
  cloudCalls: number;
}

interface Interval {
  name: string;
  start: number;
  end: number;
}

/** Task intervals of a history (entered → exited, paired per state name in order). */
function taskIntervals(events: readonly HistoryEvent[]): Interval[] {
  const open = new Map<string, number[]>();
  const intervals: Interval[] = [];
  for (const event of events) {
    const at = event.timestamp ? new Date(event.timestamp).getTime() : 0;
    if (event.type === 'TaskStateEntered') {
      const name = event.stateEnteredEventDetails?.name ?? '?';
      open.set(name, [...(open.get(name) ?? []), at]);
    } else if (event.type === 'TaskStateExited') {
      const name = event.stateExitedEventDetails?.name ?? '?';
      const starts = open.get(name) ?? [];
      const start = starts.shift();
      if (start !== undefined) intervals.push({ name, start, end: at });
    }
  }
  return intervals;
}

/** Per Task state: invocations, time, and the commands and calls sent while it ran. */
export function profileSteps(
  events: readonly HistoryEvent[],
  ops: readonly TableOp[],
  calls: readonly CloudCall[],
): { steps: StepProfile[]; outsideTasks: number } {
  const intervals = taskIntervals(events);
  const stepOf = (at: number) => intervals.find((i) => at >= i.start && at <= i.end)?.name;
  const steps = new Map<string, StepProfile & { totalMs: number }>();
  for (const i of intervals) {
    const s = steps.get(i.name) ?? { step: i.name, invocations: 0, meanMs: 0, totalMs: 0, tableCommands: 0, tableCommandsPerInvocation: 0, cloudCalls: 0 };
    s.invocations++;
    s.totalMs += i.end - i.start;
    steps.set(i.name, s);
  }
  let outsideTasks = 0;
  for (const op of ops) {
    const name = stepOf(op.at);
    if (name) steps.get(name)!.tableCommands++;
    else outsideTasks++;
  }
  for (const call of calls) {
    const name = stepOf(call.at);
    if (name) steps.get(name)!.cloudCalls++;
  }
  return {
    steps: [...steps.values()].map(({ totalMs, ...s }) => ({
      ...s,
      meanMs: Math.round(totalMs / s.invocations),
      tableCommandsPerInvocation: Math.round((s.tableCommands / s.invocations) * 10) / 10,
    })),
    outsideTasks,
  };
}
