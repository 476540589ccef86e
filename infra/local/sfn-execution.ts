/**
 * One execution running in this process: the library's run, its history as it
 * happens, and how it ended. Knows nothing of the table; the runner stores the outcome.
 */
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, type StateMachine } from 'aws-local-stepfunctions';
import { fakeFunctionArn, LOCAL_ROLE_ARN } from './sfn-arns';
import { localHandlers, type PreparedStateMachine } from './sfn-definition';
import { ExecutionHistory } from './sfn-history';
import type { LibraryEvent } from './sfn-history-events';

type JsonValue = Parameters<StateMachine['run']>[0];

/** How an execution ended. */
export type ExecutionOutcome =
  | { status: 'SUCCEEDED'; output: string }
  | { status: 'FAILED' | 'TIMED_OUT' | 'ABORTED'; error?: string; cause?: string }
  /** The runner shut down under it: it is still RUNNING as far as anyone else knows. */
  | { status: 'INTERRUPTED' };

export class LiveExecution {
  readonly history: ExecutionHistory;
  /** Settles, never rejects, once the run is over and its history complete. */
  readonly outcome: Promise<ExecutionOutcome>;
  private readonly abort: () => void;
  private stopRequest: { error?: string; cause?: string } | undefined;
  private interrupted = false;
  private ended = false;

  constructor(prepared: PreparedStateMachine, executionArn: string, name: string, input: unknown) {
    this.history = new ExecutionHistory({
      resourceOf: (stateName) => fakeFunctionArn(prepared.taskVariables.get(stateName) ?? stateName),
      abortDetails: () => this.stopRequest ?? {},
    });
    const run = prepared.machine.run(input as JsonValue, {
      overrides: { taskResourceLocalHandlers: localHandlers(prepared, () => this.ended) },
      context: {
        Execution: { Id: executionArn, Name: name, RoleArn: LOCAL_ROLE_ARN },
        StateMachine: { Id: prepared.arn, Name: prepared.name },
      },
    });
    this.abort = run.abort;
    const drained = this.drain(run.eventLogs);
    this.outcome = run.result
      .then(
        (output): ExecutionOutcome => ({ status: 'SUCCEEDED', output: JSON.stringify(output ?? null) }),
        (error: unknown) => this.failure(error),
      )
      .then(async (outcome) => {
        this.ended = true;
        // The library closes its event log with the final event, so this cannot hang.
        await drained;
        return outcome;
      });
  }

  /** StopExecution: ends it as ABORTED with the caller's error and cause. */
  stop(error?: string, cause?: string): void {
    // A second stop, or one that comes as the run ends, changes nothing.
    if (this.ended) return;
    this.stopRequest = { error, cause };
    this.ended = true;
    this.abort();
  }

  /** A shutdown: ends the run here without deciding how the execution ends. */
  interrupt(): void {
    if (this.ended) return;
    this.interrupted = true;
    this.ended = true;
    this.abort();
  }

  private async drain(events: AsyncGenerator<LibraryEvent>): Promise<void> {
    try {
      for await (const event of events) this.history.record(event);
    } catch (error) {
      console.error('Local Step Functions: could not record an execution event', error);
    }
  }

  private failure(error: unknown): ExecutionOutcome {
    if (error instanceof ExecutionAbortedError) {
      return this.stopRequest || !this.interrupted ? { status: 'ABORTED', ...this.stopRequest } : { status: 'INTERRUPTED' };
    }
    if (error instanceof ExecutionTimeoutError) return { status: 'TIMED_OUT', error: 'States.Timeout' };
    // ExecutionError wraps what the failing state threw: a Lambda-style error, a Fail state, a States.* error.
    const cause = error instanceof ExecutionError ? error.cause : error;
    if (cause instanceof Error) {
      const detail: unknown = cause.cause ?? cause.message;
      return { status: 'FAILED', error: cause.name, cause: typeof detail === 'string' ? detail : JSON.stringify(detail) };
    }
    return { status: 'FAILED', error: 'States.Runtime', cause: String(cause) };
  }
}
