/**
 * The Maps over a run's instances that several machines share: create each (deploy,
 * scale out) and terminate each (teardown, scale in, a scale's rollback). Each
 * iteration is one Task with the cloud retries; at most `concurrencyPath` at once.
 */
import { taskResource } from './task-functions';
import { cloudTaskRetries, plainTaskRetries, TASK_TIMEOUT_SECONDS } from './retry-policies';

interface EachMapOptions {
  comment: string;
  itemsPath: string;
  concurrencyPath: string;
  next: string;
  catchTo?: object[];
}

function eachMap(options: EachMapOptions, startAt: string, states: Record<string, object>) {
  return {
    Type: 'Map',
    Comment: options.comment,
    ItemsPath: options.itemsPath,
    MaxConcurrencyPath: options.concurrencyPath,
    ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: startAt, States: states },
    ResultPath: null,
    ...(options.catchTo ? { Catch: options.catchTo } : {}),
    Next: options.next,
  };
}

/** A Map creating every instance at `itemsPath` (CreateInstance, idempotent by tag). */
export function createEachMap(options: EachMapOptions & { name: string }) {
  return eachMap(options, options.name, {
    [options.name]: {
      Type: 'Task',
      Resource: taskResource('CreateInstance'),
      TimeoutSeconds: TASK_TIMEOUT_SECONDS,
      Retry: cloudTaskRetries,
      ResultPath: null,
      End: true,
    },
  });
}

/**
 * A Map terminating every instance at `itemsPath`; a VM that cannot be terminated is
 * recorded on its instance (RecordTerminateFailure) instead of failing the Map.
 */
export function terminateEachMap(options: EachMapOptions & { names: { each: string; failure: string } }) {
  const { names } = options;
  return eachMap(options, names.each, {
    [names.each]: {
      Type: 'Task',
      Resource: taskResource('TerminateInstance'),
      TimeoutSeconds: TASK_TIMEOUT_SECONDS,
      Retry: cloudTaskRetries,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: names.failure }],
      ResultPath: null,
      End: true,
    },
    [names.failure]: {
      Type: 'Task',
      Resource: taskResource('RecordTerminateFailure'),
      TimeoutSeconds: TASK_TIMEOUT_SECONDS,
      Retry: plainTaskRetries,
      ResultPath: null,
      End: true,
    },
  });
}
