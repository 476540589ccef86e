/**
 * Every schedule: its handler entry and the rate at which EventBridge fires it in
 * AWS. Read by the CDK stack (EventBridge rules), the
 * local runner (timers) and the handlers. Data only.
 */
export const SCHEDULES = {
  monitor: { entry: 'functions/schedules/monitor.ts', rateMinutes: 1 },
  expiry: { entry: 'functions/schedules/expiry.ts', rateMinutes: 1 },
} as const;

export type ScheduleName = keyof typeof SCHEDULES;
