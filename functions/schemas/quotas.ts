/** Quotas (read by users, overridden by admins) and usage records. */
import { z } from 'zod';
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

/** Range checks run even when another field failed, so every bad field is listed at once. */
function checkRange(query: { from?: unknown; to?: unknown } | undefined, ctx: z.RefinementCtx): void {
  const from = isoDate.safeParse(query?.from);
  const to = isoDate.safeParse(query?.to);
  if (!from.success || !to.success) return; // each has its own issue
  const days = (Date.parse(to.data) - Date.parse(from.data)) / DAY_MS + 1;
  if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  else if (days > MAX_USAGE_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may span at most ${MAX_USAGE_DAYS} days` });
}

export const UsageQuery = z
  .strictObject({
    ...PageQuery.shape,
    /** First day, YYYY-MM-DD (UTC). */
    from: isoDate,
    /** Last day, YYYY-MM-DD (UTC), included. */
    to: isoDate,
    /** Admin only: another user's usage. */
    user: UserId.optional(),
  })
  .superRefine(checkRange, { when: () => true });

export const UsageRecord = z.object({
  user: z.string(),
  connector: z.string(),
  run: z.string(),
  day: z.iso.date(),
  vmSeconds: z.number(),
});

export const UsagePage = pageOf(UsageRecord);
