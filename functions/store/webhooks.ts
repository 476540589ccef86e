/**
 * Webhooks: a user's subscriptions to Slipway's events, each with a signing secret
 * stored only sealed. A counter item per user holds the per-user limit in the
 * create's transaction. An admin's all-users webhook is indexed under a special
 * owner, so that finding an event's webhooks is two Queries (the event owner's, and
 * every all-users one), never a Scan.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { SealedSecret } from '#functions/commons/secret-cipher';
import { newId } from '#functions/commons/ids';
import { ConflictError, NotFoundError } from '#functions/domain/errors';
import type { WebhookView } from '#functions/schemas/webhooks';
import { failedConditions, getItem, queryAll, queryPage, type Page } from './items';
import { ALL_USERS_OWNER, indexKeys, keys } from './keys';
import { getVisible, type Visibility } from './resources';
import { TABLE } from './table';
import type { TableClient } from './table-client';

/** What a webhook is made of. */
export interface NewWebhook {
  owner: string;
  url: string;
  events: string[];
  description?: string;
  allUsers: boolean;
  sealed: SealedSecret;
}

/** A webhook as deliveries need it: the view and its sealed secret. */
export interface WebhookTarget extends WebhookView {
  sealed: SealedSecret;
}

/** Picks the shown fields, so that the sealed secret never reaches a response. */
function toWebhook(item: Record<string, unknown>): WebhookView {
  return {
    id: String(item.id),
    owner: String(item.owner),
    url: String(item.url),
    events: Array.isArray(item.events) ? item.events.map(String) : [],
    ...(typeof item.description === 'string' ? { description: item.description } : {}),
    allUsers: item.allUsers === true,
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    version: Number(item.version),
  } as WebhookView;
}

const toTarget = (item: Record<string, unknown>): WebhookTarget => ({ ...toWebhook(item), sealed: item.sealed as SealedSecret });

/**
 * Stores a webhook if its owner holds fewer than `maxPerUser`.
 * @throws ConflictError when the owner holds `maxPerUser` already
 */
export async function createWebhook(table: TableClient, input: NewWebhook, now: Date, maxPerUser: number): Promise<WebhookView> {
  const at = now.toISOString();
  const id = newId('whk');
  const item = {
    ...keys.webhook(id),
    ...indexKeys.byOwner('webhook', input.allUsers ? ALL_USERS_OWNER : input.owner, `${at}#${id}`),
    ...indexKeys.byType('webhook', `${at}#${id}`),
    id,
    ...input,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  try {
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table.name, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Update: {
              TableName: table.name,
              Key: keys.webhookCount(input.owner),
              UpdateExpression: 'ADD #count :one',
              ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
              ExpressionAttributeNames: { '#count': 'count' },
              ExpressionAttributeValues: { ':one': 1, ':max': maxPerUser },
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (failedConditions(error).includes(1)) throw new ConflictError(`You hold ${maxPerUser} webhooks, the most one user may: delete one first`);
    throw error;
  }
  return toWebhook(item);
}

/** A webhook its owner or an admin may see; 404 for anyone else. */
export async function getVisibleWebhook(table: TableClient, id: string, who: Visibility): Promise<WebhookView> {
  return toWebhook(await getVisible<Record<string, unknown>>(table, keys.webhook(id), who, 'webhook'));
}

/** A webhook with its sealed secret, for deliveries; undefined once deleted. */
export async function getWebhookTarget(table: TableClient, id: string): Promise<WebhookTarget | undefined> {
  const item = await getItem(table, keys.webhook(id));
  return item ? toTarget(item) : undefined;
}

/** The caller's webhooks (an admin: everyone's), oldest first. */
export async function listWebhooks(table: TableClient, who: Visibility, page: { limit: number; cursor?: string }): Promise<Page<WebhookView>> {
  const index = who.isAdmin ? TABLE.indexes.byType : TABLE.indexes.byOwner;
  const pk = who.isAdmin ? indexKeys.byType('webhook', '').gsi2pk : indexKeys.byOwner('webhook', who.userId, '').gsi1pk;
  return queryPage(
    table,
    {
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index.partitionKey },
      ExpressionAttributeValues: { ':pk': pk },
    },
    page,
    toWebhook,
  );
}

/** Deletes a webhook and frees its place in its owner's limit; its deliveries stay readable by no one and expire. */
export async function deleteWebhook(table: TableClient, webhook: Pick<WebhookView, 'id' | 'owner'>): Promise<void> {
  try {
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: table.name, Key: keys.webhook(webhook.id), ConditionExpression: 'attribute_exists(pk)' } },
          {
            Update: {
              TableName: table.name,
              Key: keys.webhookCount(webhook.owner),
              UpdateExpression: 'ADD #count :minus',
              ExpressionAttributeNames: { '#count': 'count' },
              ExpressionAttributeValues: { ':minus': -1 },
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (failedConditions(error).includes(0)) throw new NotFoundError('webhook not found');
    throw error;
  }
}

/** The webhooks an event of `owner` goes to, before their type filter: the owner's own, and every admin's all-users webhook. */
export async function webhooksFor(table: TableClient, owner: string): Promise<WebhookTarget[]> {
  const index = TABLE.indexes.byOwner;
  const query = (who: string) =>
    queryAll(table, {
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index.partitionKey },
      ExpressionAttributeValues: { ':pk': indexKeys.byOwner('webhook', who, '').gsi1pk },
    });
  const [own, everyone] = await Promise.all([query(owner), owner === ALL_USERS_OWNER ? [] : query(ALL_USERS_OWNER)]);
  return [...own, ...everyone].map(toTarget);
}
