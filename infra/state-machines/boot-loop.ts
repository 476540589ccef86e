/**
 * The boot loop the deploy and scale machines share: a first wait of the
 * connector's usual boot time, then CheckInstances ⟲ (waiting as long as it says)
 * until every instance is ready or the looks allowed by the boot deadline are used.
 */
import { DOMAIN_ERROR } from '#functions/domain/errors';
import { taskResource } from './task-functions';
import { cloudTaskRetries, TASK_TIMEOUT_SECONDS } from './retry-policies';

export interface BootLoopOptions {
  names: { firstWait: string; nextWait: string; check: string; isReady: string; deadlinePassed: string };
  /** Where `pollSeconds` and `maxPolls` are (`$.plan`, `$.scale`). */
  planPath: string;
  /** The comments of the first wait, the later waits and the check (absent: none). */
  comments: { firstWait?: string; nextWait?: string; check: string };
  checkParameters: Record<string, string>;
  catchTo: object[];
  /** Where to go when every instance is ready, and when the deadline passed. */
  onReady: string;
  onDeadline: string;
  deadlineCause: string;
}

export function bootLoopStates(o: BootLoopOptions) {
  const comment = (text?: string) => (text ? { Comment: text } : {});
  return {
    [o.names.firstWait]: { Type: 'Wait', ...comment(o.comments.firstWait), SecondsPath: `${o.planPath}.pollSeconds`, Next: o.names.check },
    [o.names.nextWait]: { Type: 'Wait', ...comment(o.comments.nextWait), SecondsPath: '$.boot.waitSeconds', Next: o.names.check },
    [o.names.check]: {
      Type: 'Task',
      Comment: o.comments.check,
      Resource: taskResource('CheckInstances'),
      Parameters: o.checkParameters,
      TimeoutSeconds: TASK_TIMEOUT_SECONDS,
      Retry: cloudTaskRetries,
      Catch: o.catchTo,
      ResultPath: '$.boot',
      Next: o.names.isReady,
    },
    [o.names.isReady]: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.boot.ready', BooleanEquals: true, Next: o.onReady },
        { Variable: '$.boot.polls', NumericGreaterThanEqualsPath: `${o.planPath}.maxPolls`, Next: o.names.deadlinePassed },
      ],
      Default: o.names.nextWait,
    },
    [o.names.deadlinePassed]: {
      Type: 'Pass',
      Result: { Error: DOMAIN_ERROR.bootTimeout, Cause: o.deadlineCause },
      ResultPath: '$.error',
      Next: o.onDeadline,
    },
  };
}
