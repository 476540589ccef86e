/**
 * Every schedule: its handler entry and the rate (or cron expression) at which
 * EventBridge fires it in AWS, and its timeout when it is not the usual 55 s.
 * Read by the CDK stack (EventBridge rules), the
 * local runner (timers) and the handlers. Data only.
 */
export const SCHEDULES = {
  monitor: { entry: 'functions/schedules/monitor.ts', rateMinutes: 1 },
  expiry: { entry: 'functions/schedules/expiry.ts', rateMinutes: 1 },
  redeliver: { entry: 'functions/schedules/redeliver.ts', rateMinutes: 1 },
  /** Warns Active orders 7 days and 1 day before their end (functions/schedules/order-reminders.ts). */
  orderReminders: { entry: 'functions/schedules/order-reminders.ts', rateMinutes: 1 },
  /** Ends builds and scales whose execution ended (or never started) before they did (functions/schedules/execution-sweep.ts). */
  executionSweep: { entry: 'functions/schedules/execution-sweep.ts', rateMinutes: 5 },
  /**
   * Closes the previous UTC month (functions/billing/close-month.ts) if it is not closed yet:
   * in AWS at 00:15 UTC on the 1st (a cron, with up to 15 minutes to run); locally on every
   * tick of the schedule timer, where a closed month costs one read.
   */
  monthClose: { entry: 'functions/schedules/month-close.ts', cron: 'cron(15 0 1 * ? *)', timeoutSeconds: 900 },
} as const;

export type ScheduleName = keyof typeof SCHEDULES;
