/**
 * The sim's built images once made: their state, their deletion (kept a day as
 * deleted, like a terminated VM), the account's usable ones in the image list,
 * and the check a create makes before launching from an image.
 */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ImageState } from '#connectors/contract';
import { PermanentCloudError } from '#connectors/errors';
import { TABLE } from '#functions/store/table';
import { SIM_IMAGES } from './catalogue';
import type { SimContext } from './context';
import { readItem } from './find-by-tag';
import { SIM_IMAGE_PREFIX, simImageStateAt, simImageTagKey, type SimImageItem } from './image-item';
import { simKeys } from './sim-keys';
import { tableCall } from './table-errors';
import { TERMINATED_RETENTION_SECONDS, epochSeconds } from './vm-item';

const imageKey = (ctx: SimContext, imageId: string) => simKeys.image(ctx.where.connector, ctx.where.account, imageId);

async function readImage(ctx: SimContext, imageId: string): Promise<SimImageItem | undefined> {
  if (!imageId.startsWith(SIM_IMAGE_PREFIX)) return undefined;
  return readItem<SimImageItem>(ctx, imageKey(ctx, imageId), 'read image');
}

/** Where image `imageId` stands; an id this account never built is gone. */
export async function simImageState(ctx: SimContext, imageId: string): Promise<ImageState> {
  return simImageStateAt(await readImage(ctx, imageId), ctx.now());
}

/** Marks the image deleted (gone from then on) and lets its tag expire with it; an unknown or deleted image is a success. */
export async function deleteSimImage(ctx: SimContext, imageId: string): Promise<void> {
  const image = await readImage(ctx, imageId);
  if (!image || image.deletedAt !== undefined) return;
  const now = ctx.now();
  const ttl = epochSeconds(now) + TERMINATED_RETENTION_SECONDS;
  // if_not_exists: a repeated delete keeps the first time and expiry.
  await updateIfPresent(ctx, imageKey(ctx, imageId), 'SET deletedAt = if_not_exists(deletedAt, :now), #ttl = if_not_exists(#ttl, :ttl)', {
    ':now': now.toISOString(),
    ':ttl': ttl,
  });
  await updateIfPresent(ctx, simImageTagKey(ctx.where, image.tag), 'SET #ttl = if_not_exists(#ttl, :ttl)', { ':ttl': ttl });
}

/** Updates an item of the account if the table still holds it (one it forgot meanwhile is gone either way). */
async function updateIfPresent(ctx: SimContext, key: { pk: string; sk: string }, expression: string, values: Record<string, unknown>): Promise<void> {
  const { table } = ctx;
  const command = new UpdateCommand({
    TableName: table.name,
    Key: key,
    UpdateExpression: expression,
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: { '#ttl': TABLE.ttlAttribute },
    ExpressionAttributeValues: values,
  });
  await tableCall('delete image', async () => {
    try {
      await table.doc.send(command);
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
    }
  });
}

/** The account's built images that can be launched now (available, not deleted). */
export async function listBuiltImages(ctx: SimContext): Promise<{ id: string; name: string }[]> {
  const { table, where } = ctx;
  const prefix = simKeys.imagePrefix(where.connector, where.account);
  const now = ctx.now();
  const items: SimImageItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await tableCall('list images', () =>
      table.doc.send(
        new QueryCommand({
          TableName: table.name,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': prefix.pk, ':prefix': prefix.skPrefix },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    items.push(...((page.Items ?? []) as SimImageItem[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.filter((item) => simImageStateAt(item, now).state === 'available').map((item) => ({ id: item.imageId, name: item.name }));
}

/**
 * Refuses an image a VM cannot be launched from: neither in the catalogue nor a
 * built image of this account that is available.
 * @throws PermanentCloudError naming the image.
 */
export async function ensureLaunchable(ctx: SimContext, imageId: string): Promise<void> {
  if (SIM_IMAGES.some((image) => image.id === imageId)) return;
  const state = simImageStateAt(await readImage(ctx, imageId), ctx.now());
  if (state.state === 'available') return;
  if (state.state === 'gone') throw new PermanentCloudError(`image ${imageId} does not exist in sim connector ${ctx.where.connector}`);
  throw new PermanentCloudError(`image ${imageId} of sim connector ${ctx.where.connector} cannot be launched yet: it is ${state.state} (${state.rawState})`);
}
