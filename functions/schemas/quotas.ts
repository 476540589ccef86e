/** Quotas (read by users, overridden by admins) and usage records. */
import * as z from 'zod';
import { ValidationError } from '#functions/domain/errors';
import { Name, PageQuery, pageOf } from './common';

const UserId = z.string().min(1).max(128);

export const QuotaListQuery = z.strictObject({
  ...PageQuery.shape,
  /** Admin only: another user's quotas. */
  user: UserId.optional(),
});

export const QuotaParams = z.strictObject({ user: UserId, connector: Name });

export const SetQuotaBody = z
  .strictObject({
    /** VMs this user may hold on this connector; null goes back to the connector's default. */
    maxVms: z.int().min(0).max(100_000).nullable(),
  })
  .meta({ examples: [{ maxVms: 20 }, { maxVms: null }] });

export const Quota = z.object({
  user: z.string(),
  connector: Name,
  maxVms: z.int(),
  used: z.int(),
  source: z.enum(['override', 'default']),
});

export const QuotaPage = pageOf(Quota);

/** The longest range `GET /v1/usage` answers, in days, both ends included (a leap year). */
export const MAX_USAGE_DAYS = 366;

const DAY_MS = 24 * 60 * 60 * 1000;
const isoDate = z.iso.date();

/** Why `from`..`to` (valid days) is not a range to answer, if it is not. */
function rangeProblem(from: string, to: string): string | undefined {
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (days < 1) return 'must not be before from';
  if (days > MAX_USAGE_DAYS) return `the range may span at most ${MAX_USAGE_DAYS} days`;
  return undefined;
}

/** Range checks run even when another field failed, so every bad field is listed at once. */
function checkRange(query: { from?: unknown; to?: unknown } | undefined, ctx: z.RefinementCtx): void {
  const from = isoDate.safeParse(query?.from);
  const to = isoDate.safeParse(query?.to);
  if (!from.success || !to.success) return; // each has its own issue, or a default
  const problem = rangeProblem(from.data, to.data);
  if (problem) ctx.addIssue({ code: 'custom', path: ['to'], message: problem });
}

export const UsageQuery = z
  .strictObject({
    ...PageQuery.shape,
    /** First day, YYYY-MM-DD (UTC). @default the first day of `to`'s month */
    from: isoDate.optional(),
    /** Last day, YYYY-MM-DD (UTC), included. @default today (UTC) */
    to: isoDate.optional(),
    /** Admin only: another user's usage. */
    user: UserId.optional(),
  })
  .superRefine(checkRange, { when: () => true });

/**
 * The days a usage query covers: as asked, or by default this UTC month up to today.
 * @throws ValidationError when a day left to its default makes the range one `UsageQuery` refuses
 */
export function usageRange(query: { from?: string; to?: string }, now: Date): { from: string; to: string } {
  const to = query.to ?? now.toISOString().slice(0, 10);
  const from = query.from ?? `${to.slice(0, 7)}-01`;
  const problem = rangeProblem(from, to);
  if (problem) throw new ValidationError('1 invalid field(s)', [{ path: 'query.from', message: `${problem} (to is today by default)` }]);
  return { from, to };
}

/** One instance's whole seconds on the record's day, `from` included, `to` not. */
export const InstanceUsage = z.object({
  /** `node.index`. */
  instance: z.string(),
  /** Absent: the connector's default type. */
  instanceType: z.string().optional(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  vmSeconds: z.number().int().min(0),
});

/**
 * A run's VM-seconds on one connector on one UTC day, written once when the run ends.
 * `byInstanceType` and `instances` break `vmSeconds` down (absent on records written
 * before they were kept); `order` names the order whose run it was.
 */
export const UsageRecord = z.object({
  user: z.string(),
  connector: z.string(),
  run: z.string(),
  day: z.iso.date(),
  vmSeconds: z.number(),
  order: z.string().optional(),
  byInstanceType: z.record(z.string(), z.number().int().min(0)).optional(),
  instances: z.array(InstanceUsage).optional(),
});

export const UsagePage = pageOf(UsageRecord);
