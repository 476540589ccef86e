/**
 * Maps aws-local-stepfunctions' event logs to the history events AWS records, so
 * GetExecutionHistory (and the console-like tools built on it) read the same locally.
 * Task states call Lambda ARNs directly, so their work shows as `LambdaFunction*`
 * events, as it does in AWS.
 */
import type { HistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';
import type { StateMachine } from 'aws-local-stepfunctions';
import { LOCAL_ROLE_ARN } from './sfn-arns';

/** One entry of the library's `eventLogs` (the library does not export the type). */
export type LibraryEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** A history event without its place in the history (`id`, `previousEventId`, `timestamp`). */
export type HistoryFields = Omit<HistoryEvent, 'id' | 'previousEventId' | 'timestamp'>;

export interface HistoryContext {
  /** The (fake) function ARN a Task state calls. */
  resourceOf(stateName: string): string;
  /**
   * Task states whose function failed and whose Catch then exits them: AWS records
   * `LambdaFunctionFailed` and no success for those (the exit is the Catch's).
   */
  failedTasks?: Set<string>;
  /** What StopExecution gave as error and cause, if anything. */
  abortDetails(): { error?: string; cause?: string };
}

/**
 * The AWS events one library event stands for: none for the library's own bookkeeping
 * (`StateRetried` becomes the next `LambdaFunctionScheduled`; `StateCaught` and
 * Parallel branch events have no AWS counterpart), one or two otherwise.
 */
export function historyFields(event: LibraryEvent, context: HistoryContext): HistoryFields[] {
  switch (event.type) {
    case 'ExecutionStarted':
      return [{ type: 'ExecutionStarted', executionStartedEventDetails: { input: json(event.input), roleArn: LOCAL_ROLE_ARN } }];
    case 'ExecutionSucceeded':
      return [{ type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: json(event.output) } }];
    case 'ExecutionFailed':
      return [{ type: 'ExecutionFailed', executionFailedEventDetails: { error: event.Error, cause: text(event.Cause) } }];
    case 'ExecutionAborted':
      return [{ type: 'ExecutionAborted', executionAbortedEventDetails: context.abortDetails() }];
    case 'ExecutionTimeout':
      return [{ type: 'ExecutionTimedOut', executionTimedOutEventDetails: { error: 'States.Timeout' } }];
    case 'StateEntered': {
      const { name, type, input } = event.state;
      const entered: HistoryFields = {
        type: `${type}StateEntered` as HistoryEventType,
        stateEnteredEventDetails: { name, input: json(input) },
      };
      if (type === 'Task') return [entered, ...lambdaScheduled(context.resourceOf(name), input)];
      if (type === 'Map' || type === 'Parallel') return [entered, { type: `${type}StateStarted` }];
      return [entered];
    }
    case 'StateRetried':
      // A retry calls the function again: its failure is no longer the last word.
      context.failedTasks?.delete(event.state.name);
      return event.state.type === 'Task' ? lambdaScheduled(context.resourceOf(event.state.name), event.state.input) : [];
    case 'StateExited': {
      const { name, type, output } = event.state;
      const exited: HistoryFields = {
        type: `${type}StateExited` as HistoryEventType,
        stateExitedEventDetails: { name, output: json(output) },
      };
      if (type === 'Task') {
        if (context.failedTasks?.delete(name)) return [exited];
        return [{ type: 'LambdaFunctionSucceeded', lambdaFunctionSucceededEventDetails: { output: json(output) } }, exited];
      }
      if (type === 'Map' || type === 'Parallel') return [{ type: `${type}StateSucceeded` }, exited];
      return [exited];
    }
    case 'StateFailed': {
      const details = { error: event.Error, cause: text(event.Cause) };
      if (event.state.type === 'Task') {
        context.failedTasks?.add(event.state.name);
        return event.Error === 'States.Timeout'
          ? [{ type: 'LambdaFunctionTimedOut', lambdaFunctionTimedOutEventDetails: details }]
          : [{ type: 'LambdaFunctionFailed', lambdaFunctionFailedEventDetails: details }];
      }
      if (event.state.type === 'Map' || event.state.type === 'Parallel') return [{ type: `${event.state.type}StateFailed` }];
      return [];
    }
    case 'MapIterationStarted':
      return [{ type: 'MapIterationStarted', mapIterationStartedEventDetails: { name: event.parentState.name, index: event.index } }];
    case 'MapIterationSucceeded':
      return [{ type: 'MapIterationSucceeded', mapIterationSucceededEventDetails: { name: event.parentState.name, index: event.index } }];
    case 'MapIterationFailed':
      return [{ type: 'MapIterationFailed', mapIterationFailedEventDetails: { name: event.parentState.name, index: event.index } }];
    default:
      return [];
  }
}

function lambdaScheduled(resource: string, input: unknown): HistoryFields[] {
  return [{ type: 'LambdaFunctionScheduled', lambdaFunctionScheduledEventDetails: { resource, input: json(input) } }, { type: 'LambdaFunctionStarted' }];
}

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** The library passes an error's `cause` (any value) or its message. */
function text(cause: unknown): string | undefined {
  if (cause === undefined || typeof cause === 'string') return cause;
  return cause instanceof Error ? cause.message : JSON.stringify(cause);
}
