/**
 * A run's state machine executions, named after the run id: start the deploy
 * execution (POST /runs), and ask a run to end (the API or the expiry schedule):
 * stop its deploy (or scale) execution if it is still going, then start the terminate
 * execution. Asking again is harmless: a run already finalizing or final is left
 * as it is, and a repeated start finds the execution already started.
 */
import { DescribeExecutionCommand, ExecutionAlreadyExists, ExecutionDoesNotExist, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { AppDeps } from '#functions/commons/deps';
import { isFinal } from '#functions/domain/run-states';
import { appendEvent, type RunDoc } from '#functions/store/runs';

/** `arn:…:stateMachine:<name>` → `arn:…:execution:<name>:<execution>` */
export function executionArn(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** Starts execution `name` of a state machine with `input`; a repeated start finds it started (executions are named after what they work on). */
export async function startExecution(deps: AppDeps, stateMachineArn: string, name: string, input: object): Promise<void> {
  try {
    await deps.sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
}

export const startRunExecution = (deps: AppDeps, stateMachineArn: string, runId: string): Promise<void> =>
  startExecution(deps, stateMachineArn, runId, { runId });

/** The status of the execution `name` of a state machine (`RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`…), or undefined when it never started. */
export async function executionStatus(deps: AppDeps, stateMachineArn: string, name: string): Promise<string | undefined> {
  try {
    return (await deps.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(stateMachineArn, name) }))).status;
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return undefined;
    throw error;
  }
}

async function stopIfRunning(deps: AppDeps, stateMachineArn: string, name: string): Promise<void> {
  if ((await executionStatus(deps, stateMachineArn, name)) !== 'RUNNING') return;
  try {
    await deps.sfn.send(
      new StopExecutionCommand({ executionArn: executionArn(stateMachineArn, name), error: 'TerminateRequested', cause: 'The run was asked to terminate.' }),
    );
  } catch (error) {
    if (!(error instanceof ExecutionDoesNotExist)) throw error;
  }
}

/**
 * Asks `run` to end.
 * @returns true when this request started its termination; false when it was already Finalizing, Done or Aborted
 */
export async function requestTermination(deps: AppDeps, run: RunDoc, why: string): Promise<boolean> {
  if (isFinal(run.state) || run.state === 'Finalizing') return false;
  await appendEvent(deps.table, run, deps.now(), { type: 'terminate', message: why });
  await stopIfRunning(deps, deps.config.deployStateMachineArn(), run.id);
  // A scale in progress stops too: teardown terminates whatever it added, FinalizeRun releases all the run holds.
  if (run.scaling) await stopIfRunning(deps, deps.config.scaleStateMachineArn(), run.scaling.id);
  await startRunExecution(deps, deps.config.terminateStateMachineArn(), run.id);
  return true;
}
