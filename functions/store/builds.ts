/**
 * Image builds as stored: one item per build (its steps on it), indexed by owner and by type. A build moves
 * only through `moveBuild`, conditional on the states it may leave, so a re-run step finds its move done.
 * Its builder VM counts in the owner's quota on the connector: `reserveBuildQuota` and `releaseBuildQuota`
 * are single transactions guarded by flags on the build, as a run's are. `recordBuiltImage` writes the
 * image's next version with the built native id, on top of whatever version is current then.
 */
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { BUILD_RECORD_TRIES, BuildFailedError, isFinalBuild, type BuildState } from '#functions/domain/builds';
import { ConflictError } from '#functions/domain/errors';
import type { Build } from '#functions/schemas/builds';
import { dueItems, failedConditions, isConditionFailure, queryPage, toResource, type Page } from './items';
import { indexKeys, keys } from './keys';
import { exceeded } from './quota-reservations';
import { quotaFor } from './quotas';
import { TABLE } from './table';
import type { TableClient } from './table-client';
import { readHead, updateVersioned, type VersionedMeta } from './versioned';

/** A build as stored: what the API shows, and what its steps need. */
export type BuildDoc = z.output<typeof Build> & {
  /** The owner's credential on the connector (the builder VM is made with it). */
  credentialId: string;
  /** The image's name when the build started (the native image's name is made of it). */
  imageName: string;
  /** What the builder VM runs: the image's effective recipe, and how it says it is done. */
  recipe?: string;
  readiness: 'callback' | 'running';
  /** The builder VM's machine: the image's defaults on the connector. */
  machine?: { instanceType?: string; cpu?: number; ramMb?: number; diskGb?: number };
  /** The hash of the builder's latest token (revoked when the build ends). */
  tokenHash?: string;
  /** The state the build ends in once its builder is gone, set by the failure path. */
  ending?: BuildState;
  /** What the builder VM reported with its token (`builder.1:<name>`): `ready`, or `failed` with why. */
  reported?: Record<string, string>;
  cancelRequested?: string;
  quotaReserved?: number;
  quotaReleased?: boolean;
};

const MAX_STEP_MESSAGE = 1000;

/**
 * Stores a new build with its first step.
 * @returns false when a build with that id exists already (nothing written)
 */
export async function putBuild(table: TableClient, build: BuildDoc): Promise<boolean> {
  const sort = `${build.createdAt}#${build.id}`;
  try {
    await table.doc.send(
      new PutCommand({
        TableName: table.name,
        Item: {
          ...keys.build(build.id),
          ...indexKeys.byOwner('build', build.owner, sort),
          ...indexKeys.byType('build', sort),
          ...indexKeys.openBuild(build.createdAt, build.id),
          ...build,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function getBuild(table: TableClient, id: string): Promise<BuildDoc | undefined> {
  const out = await table.doc.send(new GetCommand({ TableName: table.name, Key: keys.build(id), ConsistentRead: true }));
  return out.Item ? toResource<BuildDoc>(out.Item) : undefined;
}

/** Which builds a listing shows: one owner's (absent: everyone's), of one image or all. */
export interface BuildFilter {
  owner?: string;
  image?: string;
}

/** Builds, oldest first, of one owner (or all, for admins), optionally of one image. */
export async function listBuilds(table: TableClient, filter: BuildFilter, page: { limit: number; cursor?: string }): Promise<Page<BuildDoc>> {
  const index = filter.owner ? TABLE.indexes.byOwner : TABLE.indexes.byType;
  const pk = filter.owner ? indexKeys.byOwner('build', filter.owner, '').gsi1pk : indexKeys.byType('build', '').gsi2pk;
  return queryPage<BuildDoc>(
    table,
    {
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ...(filter.image ? { FilterExpression: '#image = :image' } : {}),
      ExpressionAttributeNames: { '#pk': index.partitionKey, ...(filter.image ? { '#image': 'image' } : {}) },
      ExpressionAttributeValues: { ':pk': pk, ...(filter.image ? { ':image': filter.image } : {}) },
    },
    page,
  );
}

/**
 * Moves the build to `to` with a step saying why, and sets `set` with it, if it is in one of `from`.
 * @returns false when it was not (a re-run step whose move is done, or a build that moved on)
 */
export async function moveBuild(
  table: TableClient,
  id: string,
  move: { from: readonly BuildState[]; to: BuildState; message: string; set?: Partial<BuildDoc> },
  now: Date,
): Promise<boolean> {
  const at = now.toISOString();
  const set: Record<string, unknown> = { ...move.set, state: move.to, updatedAt: at };
  const names: Record<string, string> = { '#steps': 'steps' };
  const values: Record<string, unknown> = { ':step': [{ at, state: move.to, message: move.message.slice(0, MAX_STEP_MESSAGE) }] };
  const assignments = Object.entries(set)
    .filter(([, value]) => value !== undefined)
    .map(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
      return `#f${i} = :v${i}`;
    });
  move.from.forEach((state, i) => (values[`:from${i}`] = state));
  names['#state'] = 'state';
  // A build that ends leaves the open builds (the sweep's index).
  const index = TABLE.indexes.byExpiry;
  const leave = isFinalBuild(move.to) ? ` REMOVE ${index.partitionKey}, ${index.sortKey}` : '';
  try {
    await table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.build(id),
        UpdateExpression: `SET ${assignments.join(', ')}, #steps = list_append(#steps, :step)${leave}`,
        ConditionExpression: `attribute_exists(pk) AND #state IN (${move.from.map((_, i) => `:from${i}`).join(', ')})`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** The builds that have not ended and were created at or before `createdBy` (oldest first), through the sparse open-builds index. */
export async function listOpenBuildIds(table: TableClient, createdBy: Date): Promise<string[]> {
  const items = await dueItems(table, indexKeys.openBuild('', '').expPk, createdBy, { attributes: ['id'] });
  return items.map((item) => String(item.id));
}

/** Sets fields of a build that exists, whatever its state (ids learnt from the cloud, the builder's reports). */
export async function setBuildFields(table: TableClient, id: string, set: Partial<BuildDoc>, now: Date): Promise<void> {
  const entries = Object.entries({ ...set, updatedAt: now.toISOString() }).filter(([, value]) => value !== undefined);
  await table.doc.send(
    new UpdateCommand({
      TableName: table.name,
      Key: keys.build(id),
      UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: Object.fromEntries(entries.map(([field], i) => [`#f${i}`, field])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
    }),
  );
}

/** Records one value the builder VM reported (`builder.1:<name>`). */
export async function reportBuildParameter(table: TableClient, id: string, name: string, value: string, now: Date): Promise<void> {
  await table.doc.send(
    new UpdateCommand({
      TableName: table.name,
      Key: keys.build(id),
      UpdateExpression: 'SET #reported = if_not_exists(#reported, :empty), updatedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#reported': 'reported' },
      ExpressionAttributeValues: { ':empty': {}, ':at': now.toISOString() },
    }),
  );
  await table.doc.send(
    new UpdateCommand({
      TableName: table.name,
      Key: keys.build(id),
      UpdateExpression: 'SET #reported.#name = :value',
      ExpressionAttributeNames: { '#reported': 'reported', '#name': name },
      ExpressionAttributeValues: { ':value': value },
    }),
  );
}

/**
 * Reserves one VM of the owner's quota on the build's connector for its builder, once (a flag on the build).
 * @throws QuotaExceededError when the owner has no room on the connector
 */
export async function reserveBuildQuota(table: TableClient, build: Pick<BuildDoc, 'id' | 'owner' | 'connector'>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const quota = await quotaFor(table, build.owner, build.connector);
    const refusal = exceeded([build.connector], [quota], { [build.connector]: 1 });
    if (refusal) throw refusal;
    const { maxVms, source } = quota!;
    const items = [
      {
        Update: {
          TableName: table.name,
          Key: keys.build(build.id),
          UpdateExpression: 'SET quotaReserved = :one',
          ConditionExpression: 'attribute_not_exists(quotaReserved)',
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
      {
        Update: {
          TableName: table.name,
          Key: keys.quota(build.owner, build.connector),
          UpdateExpression: 'SET #user = :user, #connector = :connector ADD #used :one',
          ConditionExpression: `(attribute_not_exists(#used) OR #used <= :room) AND ${source === 'override' ? 'maxVms = :limit' : 'attribute_not_exists(maxVms)'}`,
          ExpressionAttributeNames: { '#used': 'used', '#user': 'user', '#connector': 'connector' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':room': maxVms - 1,
            ':user': build.owner,
            ':connector': build.connector,
            ...(source === 'override' ? { ':limit': maxVms } : {}),
          },
        },
      },
      ...(source === 'override'
        ? []
        : [
            {
              ConditionCheck: {
                TableName: table.name,
                Key: keys.connector(build.connector),
                ConditionExpression: 'defaultQuotaVms = :limit',
                ExpressionAttributeValues: { ':limit': maxVms },
              },
            },
          ]),
    ];
    try {
      await table.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (failure) {
      const failed = failedConditions(failure);
      if (failed.includes(0)) return; // reserved by an earlier attempt
      if (!failed.length || attempt >= 5) throw failure;
    }
  }
}

/** Gives the builder's VM back to the owner's quota, once; a build that reserved nothing releases nothing. */
export async function releaseBuildQuota(table: TableClient, build: Pick<BuildDoc, 'id' | 'owner' | 'connector' | 'quotaReserved'>): Promise<void> {
  if (!build.quotaReserved) return;
  try {
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table.name,
              Key: keys.build(build.id),
              UpdateExpression: 'SET quotaReleased = :t',
              ConditionExpression: 'attribute_exists(quotaReserved) AND attribute_not_exists(quotaReleased)',
              ExpressionAttributeValues: { ':t': true },
            },
          },
          {
            Update: {
              TableName: table.name,
              Key: keys.quota(build.owner, build.connector),
              UpdateExpression: 'ADD #used :minus',
              ExpressionAttributeNames: { '#used': 'used' },
              ExpressionAttributeValues: { ':minus': -build.quotaReserved },
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (failedConditions(error).includes(0)) return; // released by an earlier attempt
    throw error;
  }
}

type ImageHead = VersionedMeta & { cloudImageIds?: Record<string, string> };

/**
 * Writes the image's next version with `cloudImageIds[connector] = builtImageId`, on top of the version
 * current now (not the one the build started from: an image changed meanwhile keeps its changes, and two
 * builds of one image on two clouds both end in `cloudImageIds`). A version that already names the built
 * id (a re-run after a crash) is the answer. Retries when another write took the version first.
 * @returns the version that holds the built id
 * @throws BuildFailedError when the image was deleted meanwhile
 */
export async function recordBuiltImage(table: TableClient, build: Pick<BuildDoc, 'image' | 'connector' | 'builtImageId' | 'id'>, now: Date): Promise<number> {
  const builtImageId = build.builtImageId!;
  for (let attempt = 1; ; attempt++) {
    const head = await readHead<ImageHead>(table, 'image', build.image);
    if (!head) throw new BuildFailedError(`image ${build.image} was deleted during build ${build.id}`);
    if (head.cloudImageIds?.[build.connector] === builtImageId) return head.version;
    const next: ImageHead = {
      ...head,
      cloudImageIds: { ...head.cloudImageIds, [build.connector]: builtImageId },
      updatedAt: now.toISOString(),
    };
    try {
      return (await updateVersioned(table, 'image', head, head.version, next)).version;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= BUILD_RECORD_TRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt * Math.random()));
    }
  }
}
