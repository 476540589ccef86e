/**
 * Quotas: how many VMs a user may hold on a connector. The connector's
 * `defaultQuotaVms` applies unless an admin set an override on the user's quota
 * item; the same item's `used` counts the VMs runs have reserved, and only the
 * run steps change it (reserve and release), so nothing here writes `used`.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import type { Quota as QuotaSchema } from '#functions/schemas/quotas';
import { getItem, queryAll, type Page } from './items';
import { getConnector, listConnectors, type ConnectorRecord } from './connectors';
import { keys } from './keys';
import type { TableClient } from './table-client';

/** A user's quota on one connector as the API shows it: the override if any, else the connector's default. */
export type Quota = z.output<typeof QuotaSchema>;

function effective(user: string, connector: Pick<ConnectorRecord, 'name' | 'defaultQuotaVms'>, item: Record<string, unknown> | undefined): Quota {
  const override = typeof item?.maxVms === 'number' ? item.maxVms : undefined;
  return {
    user,
    connector: connector.name,
    maxVms: override ?? connector.defaultQuotaVms,
    used: typeof item?.used === 'number' ? item.used : 0,
    source: override === undefined ? 'default' : 'override',
  };
}

/** The effective quota of `user` on `connector`; undefined when there is no such connector. */
export async function quotaFor(table: TableClient, user: string, connector: string): Promise<Pick<Quota, 'maxVms' | 'used' | 'source'> | undefined> {
  const [config, item] = await Promise.all([getConnector(table, connector), getItem(table, keys.quota(user, connector))]);
  if (!config) return undefined;
  const { maxVms, used, source } = effective(user, config, item);
  return { maxVms, used, source };
}

/** A user's quota on every connector, one page of connectors at a time. */
export async function listQuotas(table: TableClient, user: string, page: { limit: number; cursor?: string }): Promise<Page<Quota>> {
  const prefix = keys.quotaPrefix(user);
  // One quota item at most per connector: a bounded partition.
  const [connectors, items] = await Promise.all([
    listConnectors(table, page),
    queryAll(table, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.skPrefix },
    }),
  ]);
  const bySk = new Map(items.map((item) => [String(item.sk), item]));
  return {
    items: connectors.items.map((connector) => effective(user, connector, bySk.get(keys.quota(user, connector.name).sk))),
    nextCursor: connectors.nextCursor,
  };
}

/**
 * Sets (a number) or removes (null) the override of a user's quota on a connector,
 * leaving `used` as the run steps keep it. The caller checks that both exist.
 */
export async function setQuotaOverride(table: TableClient, user: string, connector: ConnectorRecord, maxVms: number | null, now: Date): Promise<Quota> {
  const change = maxVms === null ? ' REMOVE maxVms' : ', maxVms = :max';
  const out = await table.doc.send(
    new UpdateCommand({
      TableName: table.name,
      Key: keys.quota(user, connector.name),
      UpdateExpression: `SET #user = :user, #connector = :connector, updatedAt = :now${change}`,
      ExpressionAttributeNames: { '#user': 'user', '#connector': 'connector' },
      ExpressionAttributeValues: { ':user': user, ':connector': connector.name, ':now': now.toISOString(), ...(maxVms === null ? {} : { ':max': maxVms }) },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return effective(user, connector, out.Attributes);
}
