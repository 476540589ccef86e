/**
 * The order state machine: launch the customer's run (on the vendor's credential
 * and quota), wait for it to be Ready, and settle the order. A run that fails is
 * retried as a new run after a growing wait, up to `ORDER_MAX_ATTEMPTS` launches,
 * then the order is Failed with the last run's abortReason. Input:
 * `{ orderId, retryBaseSeconds, launch: { attempt: 0 } }` (execution name = order id); the first retry waits
 * `retryBaseSeconds`, the next twice that. Each look at the run records its progress
 * as a step of the order; the look that finds it Ready makes the order Active. An
 * order cancelled meanwhile ends the loop at its next look (OrderClosed).
 */
import { DOMAIN_ERROR } from '#functions/domain/errors';
import { ORDER_MAX_ATTEMPTS, ORDER_RUN_DEADLINE_SECONDS } from '#functions/domain/orders';
import { ORDER } from './state-names';
import { taskResource } from './task-functions';
import { plainTaskRetries, TASK_TIMEOUT_SECONDS } from './retry-policies';

/** Every attempt may take the run's whole deadline; the waits between attempts are minutes. */
export const ORDER_TIMEOUT_SECONDS = ORDER_MAX_ATTEMPTS * ORDER_RUN_DEADLINE_SECONDS + 60 * 60;

/** A task that fails for good (after its retries) fails the order with the error as its reason. */
const toFailOrder = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.launch', Next: ORDER.failOrder }];

export function orderDefinition() {
  return {
    Comment: 'Slipway: provision an order (execution name = order id).',
    TimeoutSeconds: ORDER_TIMEOUT_SECONDS,
    StartAt: ORDER.launchRun,
    States: {
      [ORDER.launchRun]: {
        Type: 'Task',
        Comment: "Launch the next attempt's run as the customer, on the vendor's credential and quota (nothing when the order was cancelled).",
        Resource: taskResource('LaunchOrderRun'),
        Parameters: { 'orderId.$': '$.orderId', 'previousAttempt.$': '$.launch.attempt' },
        TimeoutSeconds: TASK_TIMEOUT_SECONDS,
        Retry: plainTaskRetries,
        Catch: toFailOrder,
        ResultPath: '$.launch',
        Next: ORDER.isOrderSettled,
      },
      [ORDER.waitForRun]: {
        Type: 'Wait',
        Comment: "First look after the connector's usual boot time, each later one a quarter of the elapsed time later, at most 40 s.",
        SecondsPath: '$.launch.waitSeconds',
        Next: ORDER.checkRun,
      },
      [ORDER.checkRun]: {
        Type: 'Task',
        Comment: "Record the run's progress as a step; Ready makes the order Active; a failed or overdue run is a failed attempt.",
        Resource: taskResource('CheckOrderRun'),
        Parameters: { 'orderId.$': '$.orderId', 'launch.$': '$.launch', 'retryBaseSeconds.$': '$.retryBaseSeconds', maxAttempts: ORDER_MAX_ATTEMPTS },
        TimeoutSeconds: TASK_TIMEOUT_SECONDS,
        Retry: plainTaskRetries,
        Catch: toFailOrder,
        ResultPath: '$.launch',
        Next: ORDER.isOrderSettled,
      },
      [ORDER.isOrderSettled]: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.launch.status', StringEquals: 'active', Next: ORDER.orderActive },
          { Variable: '$.launch.status', StringEquals: 'closed', Next: ORDER.orderClosed },
          {
            And: [
              { Variable: '$.launch.status', StringEquals: 'failed' },
              { Variable: '$.launch.attempt', NumericGreaterThanEquals: ORDER_MAX_ATTEMPTS },
            ],
            Next: ORDER.failOrder,
          },
          { Variable: '$.launch.status', StringEquals: 'failed', Next: ORDER.waitBeforeRetry },
        ],
        Default: ORDER.waitForRun,
      },
      [ORDER.waitBeforeRetry]: {
        Type: 'Wait',
        Comment: 'Backoff before the next attempt: the configured base, then twice that.',
        SecondsPath: '$.launch.retryWaitSeconds',
        Next: ORDER.launchRun,
      },
      [ORDER.orderActive]: { Type: 'Succeed', Comment: "The order is Active; its run's expiry is the order's end." },
      [ORDER.orderClosed]: { Type: 'Succeed', Comment: 'The order was cancelled (or its run terminated) before it became Active.' },
      [ORDER.failOrder]: {
        Type: 'Task',
        Comment: "Every attempt failed: the order is Failed with the last run's abortReason.",
        Resource: taskResource('FailOrder'),
        Parameters: { 'orderId.$': '$.orderId', 'outcome.$': '$.launch' },
        TimeoutSeconds: TASK_TIMEOUT_SECONDS,
        Retry: plainTaskRetries,
        ResultPath: '$.failure',
        Next: ORDER.orderFailed,
      },
      [ORDER.orderFailed]: { Type: 'Fail', Error: DOMAIN_ERROR.orderFailed, CausePath: '$.failure.reason' },
    },
  };
}
