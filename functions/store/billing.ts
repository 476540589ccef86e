/**
 * Billing's own items: the admin's settings (the platform fee), one marker per
 * closed month, and the vendors' monthly reports; plus the run reads a close needs.
 * The marker makes a close idempotent: the first close of a month writes it
 * (`closing`, with the span and fee it uses) before any invoice, every later
 * attempt reuses what it fixed, and the close ends by marking it `closed`.
 */
import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#functions/domain/errors';
import type { RunState } from '#functions/domain/run-states';
import type { SignedMoneyT, VendorReportT } from '#functions/schemas/store-catalog';
import { isConditionFailure, queryPage, toResource, type Page } from './items';
import { keys } from './keys';
import type { TableClient } from './table-client';

/** The platform fee, in basis points; version 0 until an admin sets it. */
export interface BillingSettings {
  feeBasisPoints: number;
  version: number;
  updatedAt?: string;
}

/** The fee until an admin sets one. */
export const DEFAULT_FEE_BASIS_POINTS = 0;

export async function getBillingSettings(table: TableClient): Promise<BillingSettings> {
  const out = await table.doc.send(new GetCommand({ TableName: table.name, Key: keys.billingSettings(), ConsistentRead: true }));
  if (!out.Item) return { feeBasisPoints: DEFAULT_FEE_BASIS_POINTS, version: 0 };
  const { feeBasisPoints, version, updatedAt } = toResource<BillingSettings>(out.Item);
  return { feeBasisPoints, version, ...(updatedAt ? { updatedAt } : {}) };
}

/**
 * Sets the platform fee; with `expectedVersion`, only if the settings are still at it (0: never set).
 * @throws ConflictError when they are not
 */
export async function putBillingSettings(table: TableClient, feeBasisPoints: number, expectedVersion: number | undefined, now: Date): Promise<BillingSettings> {
  try {
    const out = await table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.billingSettings(),
        UpdateExpression: 'SET feeBasisPoints = :fee, updatedAt = :now, version = if_not_exists(version, :zero) + :one',
        ...(expectedVersion === undefined ? {} : { ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected' }),
        ExpressionAttributeValues: {
          ':fee': feeBasisPoints,
          ':now': now.toISOString(),
          ':zero': 0,
          ':one': 1,
          ...(expectedVersion === undefined || expectedVersion === 0 ? {} : { ':expected': expectedVersion }),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const item = out.Attributes ?? {};
    return { feeBasisPoints: Number(item.feeBasisPoints), version: Number(item.version), updatedAt: String(item.updatedAt) };
  } catch (error) {
    if (isConditionFailure(error)) throw new ConflictError(`The billing settings are no longer at version ${expectedVersion}: read them again`);
    throw error;
  }
}

/** The close of one month: what it covers and, once `closed`, what it issued. */
export interface MonthClose {
  month: string;
  state: 'closing' | 'closed';
  coveredFrom: string;
  coveredUntil: string;
  feeBasisPoints: number;
  startedAt: string;
  closedAt?: string;
  /** Invoices issued, vendors reported, and the invoices' totals per currency (once closed). */
  invoices?: number;
  vendors?: number;
  totals?: SignedMoneyT[];
}

export async function getMonthClose(table: TableClient, month: string): Promise<MonthClose | undefined> {
  const out = await table.doc.send(new GetCommand({ TableName: table.name, Key: keys.monthClose(month), ConsistentRead: true }));
  return out.Item ? toResource<MonthClose>(out.Item) : undefined;
}

/**
 * Writes the marker of a close that starts, unless the month has one.
 * @returns the marker the close goes on with: `close`, or the one an earlier close wrote
 */
export async function startMonthClose(table: TableClient, close: MonthClose): Promise<MonthClose> {
  try {
    await table.doc.send(
      new PutCommand({ TableName: table.name, Item: { ...keys.monthClose(close.month), ...close }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    return close;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const found = await getMonthClose(table, close.month);
    if (!found) throw error;
    return found;
  }
}

/** Marks a close done with what it issued (once: a close already marked closed keeps its summary). */
export async function finishMonthClose(
  table: TableClient,
  month: string,
  summary: { closedAt: string; invoices: number; vendors: number; totals: SignedMoneyT[] },
): Promise<MonthClose> {
  try {
    const out = await table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.monthClose(month),
        UpdateExpression: 'SET #state = :closed, closedAt = :at, invoices = :invoices, vendors = :vendors, totals = :totals',
        ConditionExpression: '#state = :closing',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':closed': 'closed',
          ':closing': 'closing',
          ':at': summary.closedAt,
          ':invoices': summary.invoices,
          ':vendors': summary.vendors,
          ':totals': summary.totals,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toResource<MonthClose>(out.Attributes ?? {});
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const found = await getMonthClose(table, month);
    if (!found) throw error;
    return found;
  }
}

/** Writes a vendor's report for a month unless it exists (a repeated close keeps the first). */
export async function putVendorReport(table: TableClient, report: VendorReportT): Promise<void> {
  try {
    await table.doc.send(
      new PutCommand({
        TableName: table.name,
        Item: { ...keys.vendorReport(report.vendor, report.month), ...report },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

export async function getVendorReport(table: TableClient, vendor: string, month: string): Promise<VendorReportT | undefined> {
  const out = await table.doc.send(new GetCommand({ TableName: table.name, Key: keys.vendorReport(vendor, month) }));
  return out.Item ? toResource<VendorReportT>(out.Item) : undefined;
}

/** A vendor's reports, oldest month first. */
export async function listVendorReports(table: TableClient, vendor: string, page: { limit: number; cursor?: string }): Promise<Page<VendorReportT>> {
  return queryPage(table, { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.vendorReport(vendor, '').pk } }, page);
}

/** BatchGetItem's limit of keys per call. */
const BATCH_GET_KEYS = 100;

/** The state of each of `runIds` (absent: no such run), read 100 at a time. */
export async function runStates(table: TableClient, runIds: readonly string[]): Promise<Map<string, RunState>> {
  const states = new Map<string, RunState>();
  const ids = [...new Set(runIds)];
  for (let i = 0; i < ids.length; i += BATCH_GET_KEYS) {
    let request:
      Record<string, { Keys: Record<string, unknown>[]; ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> }> | undefined = {
      [table.name]: {
        Keys: ids.slice(i, i + BATCH_GET_KEYS).map((id) => keys.run(id)),
        ProjectionExpression: 'id, #state',
        ExpressionAttributeNames: { '#state': 'state' },
      },
    };
    for (let round = 0; request && Object.keys(request).length; round++) {
      if (round) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** round)));
      const out = await table.doc.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of out.Responses?.[table.name] ?? []) states.set(String(item.id), item.state as RunState);
      request = out.UnprocessedKeys as typeof request;
    }
  }
  return states;
}
