/** Price lists: one per connector, set by admins, read by every estimate. */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { ConflictError } from '#functions/domain/errors';
import type { PriceList, PriceListInput } from '#functions/schemas/store-catalog';
import { getItem, isConditionFailure, toResource } from './items';
import { keys } from './keys';
import type { TableClient } from './table-client';

export type PriceListDoc = z.output<typeof PriceList>;

/**
 * Sets a connector's price list (creating it, or replacing it whole); `expected`, when
 * given, makes the write conditional on the version it was based on.
 * @throws ConflictError for a stale `expected`
 */
export async function putPriceList(
  table: TableClient,
  connector: string,
  input: z.output<typeof PriceListInput>,
  now: Date,
  expected?: number,
): Promise<PriceListDoc> {
  const defaults = input.defaultPerHour === undefined ? { remove: ' REMOVE defaultPerHour', set: '' } : { remove: '', set: ', defaultPerHour = :default' };
  try {
    const out = await table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.priceList(connector),
        UpdateExpression:
          `SET #connector = :connector, currency = :currency, perHour = :perHour, updatedAt = :at${defaults.set}, #version = if_not_exists(#version, :zero) + :one` +
          defaults.remove,
        ...(expected === undefined ? {} : { ConditionExpression: '#version = :expected' }),
        ExpressionAttributeNames: { '#connector': 'connector', '#version': 'version' },
        ExpressionAttributeValues: {
          ':connector': connector,
          ':currency': input.currency,
          ':perHour': input.perHour,
          ':at': now.toISOString(),
          ':zero': 0,
          ':one': 1,
          ...(input.defaultPerHour === undefined ? {} : { ':default': input.defaultPerHour }),
          ...(expected === undefined ? {} : { ':expected': expected }),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toResource<PriceListDoc>(out.Attributes ?? {});
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const current = await getItem(table, keys.priceList(connector));
    throw new ConflictError(
      current
        ? `version ${expected} is stale: the current version is ${String(current.version)}`
        : `connector ${connector} has no price list yet: send no version`,
    );
  }
}

export async function getPriceList(table: TableClient, connector: string): Promise<PriceListDoc | undefined> {
  const item = await getItem(table, keys.priceList(connector));
  return item ? toResource<PriceListDoc>(item) : undefined;
}
