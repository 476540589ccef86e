/**
 * Powertools for every Lambda: one logger and one metrics instance per
 * process, and `observed`, the middy wiring every handler wrapper uses (HTTP,
 * steps, schedules). Logs go through the logger (`POWERTOOLS_LOG_LEVEL`, SILENT in
 * tests); metrics as EMF lines
 * in namespace `Slipway` (off where `POWERTOOLS_METRICS_DISABLED=true`).
 */
import middy, { type MiddyfiedHandler } from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { CLOUD_ERROR } from '#connectors/errors';

const SERVICE = 'slipway';

/** Slipway's CloudWatch namespace. */
export const METRICS_NAMESPACE = 'Slipway';

export const logger = new Logger({ serviceName: SERVICE });
let shared: Metrics | undefined;

/**
 * The metrics instance, made at first use rather than at import: it reads
 * `POWERTOOLS_METRICS_DISABLED` when it is made, and the local runner sets that
 * for its process after importing this module (but before loading any handler).
 */
export function metrics(): Metrics {
  shared ??= new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: SERVICE,
    // Metrics warns at every flush without a metric (most requests): only its errors are worth a log line.
    logger: logger.createChild({ logLevel: 'ERROR' }),
  });
  return shared;
}

/** Metric names: what dashboards and alarms refer to. */
export const METRIC = {
  /** POST /v1/runs answered 201. */
  runsStarted: 'RunsStarted',
  /** A step moved a run to Ready (dimension `step`). */
  runsReady: 'RunsReady',
  /** A step ended a run Aborted (dimension `step`). */
  runsAborted: 'RunsAborted',
  /** CreateInstance succeeded. */
  vmsCreated: 'VmsCreated',
  /** A cloud error reached a handler (dimension `errorClass`: one of CLOUD_ERROR). */
  cloudErrors: 'CloudErrors',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/**
 * Counts one occurrence of `name`. Metrics with dimensions of their own are
 * published at once as a single metric, so they never mix with the invocation's.
 */
export function countMetric(name: MetricName, dimensions: Record<string, string> = {}): void {
  if (!Object.keys(dimensions).length) {
    metrics().addMetric(name, MetricUnit.Count, 1);
    return;
  }
  const single = metrics().singleMetric();
  for (const [key, value] of Object.entries(dimensions)) single.addDimension(key, value);
  single.addMetric(name, MetricUnit.Count, 1);
}

const CLOUD_ERROR_NAMES = new Set<string>(Object.values(CLOUD_ERROR));

/** Counts `error` by class when it is one of the connectors' cloud errors; anything else is not a cloud error. */
export function countCloudError(error: unknown): void {
  const name = error instanceof Error ? error.name : undefined;
  if (name && CLOUD_ERROR_NAMES.has(name)) countMetric(METRIC.cloudErrors, { errorClass: name });
}

/**
 * Wraps a handler with the logger's Lambda context (keys added with
 * `logger.appendKeys` last one invocation) and a metrics flush. Traces come from
 * Lambda's and Step Functions' own X-Ray tracing (active on every function and
 * both machines): Powertools' Tracer and the X-Ray SDK it loads would add about
 * 100 KB and 45 ms of cold start to every function for per-call subsegments.
 */
export function observed<E, R>(handler: (event: E, context: Context) => Promise<R>): MiddyfiedHandler<E, R, Error, Context> {
  return middy<E, R, Error, Context>(handler)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics()));
}
