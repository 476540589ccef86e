/**
 * createImage, idempotent and with the create's seeded fault injection: the image,
 * the guard of its tag and the VM's stop are one transaction, so however many
 * builds race or retry for one tag, one image exists and every call answers it.
 * The image is available `bootSeconds` after the request.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { CreateImageRequest } from '#connectors/contract';
import { imageTagKey } from '#connectors/commons/tag';
import { NotReadyYetError, PermanentCloudError, TransientCloudError } from '#connectors/errors';
import { countAttempt } from './attempts';
import { guardedPuts } from './guarded-put';
import type { SimContext } from './context';
import { simFaultFor } from './fault-injection';
import { readItem } from './find-by-tag';
import { SIM_IMAGE_PREFIX, simImageTagKey, type SimImageItem, type SimImageTagItem } from './image-item';
import { simKeys } from './sim-keys';
import { isRetryableCancellation, toCloudError } from './table-errors';
import { isExpired, type SimVmItem } from './vm-item';
import { simVmStateAt } from './vm-state';

/** Tries of the transaction when concurrent builds of one tag collide. */
const MAX_TRANSACTION_TRIES = 4;

/**
 * Answers the image made for `request.tag`, making it (and stopping the VM) when there is none.
 * @throws PermanentCloudError when the VM does not exist or is terminated (or injected);
 *   NotReadyYetError while the VM still boots; TransientCloudError (injected, or from the table).
 */
export async function createSimImage(ctx: SimContext, request: CreateImageRequest): Promise<{ imageId: string }> {
  const made = await findImageFor(ctx, request);
  if (made) return { imageId: made };
  await usableVm(ctx, request.cloudId);
  const key = imageTagKey(request.tag);
  const attempt = await countAttempt(ctx, simKeys.imageAttempts(ctx.where.connector, ctx.where.account, key), 'count image attempt');
  const fault = simFaultFor(ctx.settings, key, attempt);
  const what = `sim: image ${request.name} of VM ${request.cloudId} (attempt ${attempt})`;
  if (fault === 'permanent') throw new PermanentCloudError(`${what} refused (injected permanent failure)`);
  if (fault === 'transient') throw new TransientCloudError(`${what} failed (injected transient failure)`);
  const imageId = await makeOrFind(ctx, request);
  if (fault === 'lostResponse') throw new TransientCloudError(`${what} failed (injected lost response)`);
  return { imageId };
}

/** The image id the guard of the request's tag holds, if the guard is live. */
async function findImageFor(ctx: SimContext, request: CreateImageRequest): Promise<string | undefined> {
  const guard = await readItem<SimImageTagItem>(ctx, simImageTagKey(ctx.where, request.tag), 'read image tag');
  return guard && !isExpired(guard, ctx.now()) ? guard.imageId : undefined;
}

/** The VM, when it can be imaged now. */
async function usableVm(ctx: SimContext, vmId: string): Promise<SimVmItem> {
  const { where } = ctx;
  const vm = await readItem<SimVmItem>(ctx, simKeys.vm(where.connector, where.account, vmId), 'read VM');
  const now = ctx.now();
  const state = vm && !isExpired(vm, now) ? simVmStateAt(vm, now).state : 'terminated';
  if (!vm || state === 'terminated') throw new PermanentCloudError(`VM ${vmId} does not exist in sim connector ${where.connector}: there is nothing to image`);
  if (state === 'pending') throw new NotReadyYetError(`sim: VM ${vmId} is still booting; it can be imaged once it runs`);
  return vm;
}

async function makeOrFind(ctx: SimContext, request: CreateImageRequest): Promise<string> {
  let lastCancellation: unknown;
  for (let tries = 1; tries <= MAX_TRANSACTION_TRIES; tries++) {
    const now = ctx.now();
    const item = newImageItem(ctx, request, now);
    try {
      await putImageWithGuard(ctx, item, now);
      return item.imageId;
    } catch (error) {
      if (!isRetryableCancellation(error)) throw toCloudError(`image ${request.name}`, error);
      lastCancellation = error;
    }
    // The guard stopped us (another build made the image), or the VM went meanwhile.
    const found = await findImageFor(ctx, request);
    if (found) return found;
    await usableVm(ctx, request.cloudId);
    await new Promise((resolve) => setTimeout(resolve, 10 * tries));
  }
  throw new TransientCloudError(`sim: image ${request.name} kept colliding with concurrent builds`, { cause: lastCancellation });
}

function newImageItem(ctx: SimContext, request: CreateImageRequest, now: Date): SimImageItem {
  const { where, settings } = ctx;
  const imageId = `${SIM_IMAGE_PREFIX}${ulid(now.getTime()).toLowerCase()}`;
  return {
    ...simKeys.image(where.connector, where.account, imageId),
    imageId,
    name: request.name,
    tag: { image: request.tag.image, build: request.tag.build },
    vmId: request.cloudId,
    createdAt: now.toISOString(),
    readySeconds: settings.bootSeconds,
  };
}

/** The image, its tag's guard, and the VM stopped (unless stopped already), all or nothing. */
async function putImageWithGuard(ctx: SimContext, item: SimImageItem, now: Date): Promise<void> {
  const { table, where } = ctx;
  const guard: SimImageTagItem = { ...simImageTagKey(where, item.tag), imageId: item.imageId };
  await table.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        ...guardedPuts(table.name, item, guard, now),
        {
          Update: {
            TableName: table.name,
            Key: simKeys.vm(where.connector, where.account, item.vmId),
            UpdateExpression: 'SET stoppedAt = if_not_exists(stoppedAt, :at)',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(terminatedAt)',
            ExpressionAttributeValues: { ':at': now.toISOString() },
          },
        },
      ],
    }),
  );
}
