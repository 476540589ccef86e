/**
 * Waits for an async job (`queryAsyncJobResult`) within a bounded time: a step
 * must end well inside its timeout, and a job still running then is not a
 * failure (the boot loop sees the VM later). `jobstatus` 0 runs, 1 succeeded,
 * 2 failed, 3 cancelled (JobInfo.Status order); a failure is classified by the
 * code in `jobresult`, and a failure with no reason at all as an internal error.
 */
import { isCloudError } from '#connectors/errors';
import type { ApiObject } from './api-client';
import { classifyFailure, type FailureContext } from './api-errors';
import type { CloudStackContext } from './context';

export type JobOutcome = { done: true; result: ApiObject } | { done: false };

/** What CloudStack itself reports a job failure under when the job says nothing more (INTERNAL_ERROR). */
const INTERNAL_ERROR = 530;

/**
 * Polls job `jobId` of `command` until it ends or `waitMs` passed.
 * @throws a classified cloud error when the job failed or a poll failed for good.
 */
export async function waitForJob(
  ctx: CloudStackContext,
  jobId: string,
  command: string,
  waitMs: number,
  about: Partial<FailureContext> = {},
): Promise<JobOutcome> {
  const deadline = Date.now() + waitMs;
  const delays = ctx.tuning.pollDelaysMs;
  for (let poll = 0; ; poll++) {
    const delay = delays[Math.min(poll, delays.length - 1)] ?? 1000;
    if (Date.now() + delay > deadline) return { done: false };
    await new Promise((resolve) => setTimeout(resolve, delay));
    let job: ApiObject;
    try {
      job = await ctx.api.call('queryAsyncJobResult', { jobid: jobId });
    } catch (error) {
      // The job runs on whether or not one poll got through.
      if (isCloudError(error) && error.retryable) continue;
      throw error;
    }
    const status = Number(job.jobstatus ?? 0);
    if (status === 0) continue;
    if (status === 1) return { done: true, result: asObject(job.jobresult) };
    throw jobFailure(ctx, job, jobId, command, status, about);
  }
}

function jobFailure(ctx: CloudStackContext, job: ApiObject, jobId: string, command: string, status: number, about: Partial<FailureContext>) {
  const result = job.jobresult;
  const detail = asObject(result);
  const errortext =
    typeof result === 'string' ? result : typeof detail.errortext === 'string' ? detail.errortext : status === 3 ? 'the job was cancelled' : undefined;
  const errorcode = typeof detail.errorcode === 'number' ? detail.errorcode : undefined;
  const resultCode = typeof job.jobresultcode === 'number' && job.jobresultcode >= 400 ? job.jobresultcode : undefined;
  return classifyFailure(
    {
      what: `job ${jobId} (${command})`,
      status: errorcode ?? resultCode ?? INTERNAL_ERROR,
      errorcode: errorcode ?? resultCode ?? INTERNAL_ERROR,
      cserrorcode: typeof detail.cserrorcode === 'number' ? detail.cserrorcode : undefined,
      errortext,
    },
    { connector: ctx.connector, credentialId: ctx.credentialId, ...about },
  );
}

function asObject(value: unknown): ApiObject {
  return value && typeof value === 'object' ? (value as ApiObject) : {};
}
