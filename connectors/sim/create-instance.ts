/**
 * Idempotent create with seeded fault injection. A VM and a guard for its tag are
 * written in one transaction, so however many creates race or retry for one tag,
 * one VM exists and every successful call returns it.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { CloudInstance, CreateInstanceRequest } from '#connectors/contract';
import { PermanentCloudError, TransientCloudError } from '#connectors/errors';
import { simKeys } from './sim-keys';
import type { SimContext } from './context';
import { simFaultFor } from './fault-injection';
import { simHostname, simIp, simPublished } from './guest';
import { countAttempt } from './attempts';
import { guardedPuts } from './guarded-put';
import { isRetryableCancellation, toCloudError } from './table-errors';
import { findByTag } from './find-by-tag';
import { ensureLaunchable } from './images';
import { tagKey } from '#connectors/commons/tag';
import { simTagKey, toCloudInstance, type SimTagItem, type SimVmItem } from './vm-item';

/** Tries of the create transaction when concurrent creates for the same tag collide. */
const MAX_TRANSACTION_TRIES = 4;

/**
 * Creates the VM for `request.tag`, or returns the one already made for it.
 * Each call is one counted attempt whose injected fault, if any, is drawn from the seed.
 * @throws PermanentCloudError or TransientCloudError, injected or from the table.
 */
export async function createSimInstance(ctx: SimContext, request: CreateInstanceRequest): Promise<CloudInstance> {
  await ensureLaunchable(ctx, request.imageId);
  const attempt = await countAttempt(ctx, simKeys.attempts(ctx.where.connector, ctx.where.account, tagKey(request.tag)), 'count create attempt');
  const fault = simFaultFor(ctx.settings, tagKey(request.tag), attempt);
  const what = `sim: create of ${request.name} (attempt ${attempt})`;
  if (fault === 'permanent') throw new PermanentCloudError(`${what} refused (injected permanent failure)`);
  if (fault === 'transient') throw new TransientCloudError(`${what} failed (injected transient failure)`);
  const instance = await makeOrFind(ctx, request);
  if (fault === 'lostResponse') throw new TransientCloudError(`${what} failed (injected lost response)`);
  return instance;
}

async function makeOrFind(ctx: SimContext, request: CreateInstanceRequest): Promise<CloudInstance> {
  let lastCancellation: unknown;
  for (let tries = 1; tries <= MAX_TRANSACTION_TRIES; tries++) {
    const now = ctx.now();
    const item = newVmItem(ctx, request, now);
    try {
      await putVmWithGuard(ctx, item, now);
      return toCloudInstance(item, now);
    } catch (error) {
      if (!isRetryableCancellation(error)) throw toCloudError(`create of ${request.name}`, error);
      lastCancellation = error;
    }
    // The guard stopped us: a VM for this tag exists, or another create is making it right now.
    const found = await findByTag(ctx, request.tag);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 10 * tries));
  }
  throw new TransientCloudError(`sim: create of ${request.name} kept colliding with concurrent creates`, {
    cause: lastCancellation,
  });
}

function newVmItem(ctx: SimContext, request: CreateInstanceRequest, now: Date): SimVmItem {
  const { where, settings } = ctx;
  const vmId = `vm-${ulid(now.getTime()).toLowerCase()}`;
  const ip = simIp(vmId);
  const hostname = simHostname(request.name, request.tag);
  return {
    ...simKeys.vm(where.connector, where.account, vmId),
    vmId,
    tag: { run: request.tag.run, node: request.tag.node, index: request.tag.index },
    name: request.name,
    imageId: request.imageId,
    instanceType: request.instanceType,
    cpu: request.cpu,
    ramMb: request.ramMb,
    diskGb: request.diskGb,
    createdAt: now.toISOString(),
    bootSeconds: settings.bootSeconds,
    ip,
    publishes: simPublished(request.boot.outputs, { hostname, ip }),
  };
}

async function putVmWithGuard(ctx: SimContext, item: SimVmItem, now: Date): Promise<void> {
  const { table, where } = ctx;
  const guard: SimTagItem = { ...simTagKey(where, item.tag), vmId: item.vmId };
  await table.doc.send(
    new TransactWriteCommand({
      TransactItems: [...guardedPuts(table.name, item, guard, now)],
    }),
  );
}
