/** Billing's requests and answers: invoices, month closes, vendor reports and the admin's settings. */
import * as z from 'zod';
import { MONTH_PATTERN } from '#functions/domain/billing';
import { LIMITS, PageQuery, pageOf } from './common';
import { SignedMoney, VendorReport } from './store-catalog';

const UserId = z.string().min(1).max(LIMITS.idLength);

/** A UTC month. */
export const Month = z.string().regex(MONTH_PATTERN, 'a month as YYYY-MM');

export const InvoiceListQuery = z.strictObject({
  ...PageQuery.shape,
  /** Only this month's invoice(s). */
  month: Month.optional(),
  /** Admin only: one customer's invoices (an admin sees every customer's without it). */
  customer: UserId.optional(),
});

export const InvoiceParams = z.strictObject({ id: z.string().min(1).max(LIMITS.idLength) });

export const CloseMonthQuery = z.strictObject({
  /** The month to close: a past one, or the current one (closed up to now). */
  month: Month,
});

/** The close of one month: what it covers and, once closed, what it issued. */
export const MonthClose = z.object({
  month: Month,
  /** `closing` only while a close is under way (or after one that stopped: closing again finishes it). */
  state: z.enum(['closing', 'closed']),
  coveredFrom: z.iso.datetime(),
  coveredUntil: z.iso.datetime(),
  feeBasisPoints: z.number().int().min(0).max(10_000),
  startedAt: z.iso.datetime(),
  closedAt: z.iso.datetime().optional(),
  invoices: z.number().int().min(0).optional(),
  vendors: z.number().int().min(0).optional(),
  /** The invoices' totals per currency. */
  totals: z.array(SignedMoney).optional(),
});

export const VendorReportQuery = z.strictObject({
  ...PageQuery.shape,
  /** One month's report (an empty one for a closed month without sales); absent: every report, oldest first. */
  month: Month.optional(),
  /** Admins: the vendor whose reports to read (required); vendors: themselves only. */
  vendor: UserId.optional(),
});

export const VendorReportPage = pageOf(VendorReport);

export const BillingSettings = z.object({
  /** The platform fee: basis points (1/100 of a percent) of each vendor's monthly revenue. */
  feeBasisPoints: z.number().int().min(0).max(10_000),
  /** 0 until an admin sets them. */
  version: z.number().int().min(0),
  updatedAt: z.iso.datetime().optional(),
});

export const BillingSettingsBody = z
  .strictObject({
    /** 0 to 10000 (100 %). */
    feeBasisPoints: z.int().min(0).max(10_000),
    /** The version read (0 when never set): a stale one gets 409. Absent: set regardless. */
    version: z.int().min(0).optional(),
  })
  .meta({ examples: [{ feeBasisPoints: 1500 }, { feeBasisPoints: 2000, version: 1 }] });
