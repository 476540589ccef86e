/**
 * Idempotent create. Nova has no client token, so the tag in the server's
 * metadata is the key: a create first looks for a server with its tag and
 * returns it, so a retried create (after a timeout or a lost reply) finds the VM
 * it already made. A server that failed (ERROR, or carrying a fault) is deleted
 * first, because it counts against the project's quota and will never run.
 */
import type { CloudInstance, CreateInstanceRequest } from '#connectors/contract';
import { tagPairs } from '#connectors/commons/tag';
import { renderUserDataBase64 } from '#connectors/commons/user-data';
import { PermanentCloudError, TransientCloudError } from '#connectors/errors';
import { where, type OpenstackContext } from './context';
import { resolveFlavor } from './flavors';
import { serverName, serversForTag } from './list-servers';
import { faultError } from './server-fault';
import { jsonBody, serviceCall } from './service-call';
import { deleteServer } from './terminate-server';

/** What Nova reports for a server it just accepted. */
const ACCEPTED_STATE = 'BUILD';

/**
 * Creates the server for `request.tag`, or returns the one already made for it.
 * @throws CapacityError when the VM made before found no host ("No valid host was found");
 *   PermanentCloudError for an unknown image or flavor (naming it and the region);
 *   CloudQuotaExceededError when the project's quota is reached.
 */
export async function createServer(ctx: OpenstackContext, request: CreateInstanceRequest): Promise<CloudInstance> {
  const what = `openstack create of ${request.name} on ${where(ctx)}`;
  const made = (await serversForTag(ctx, request.tag)).filter(({ vm }) => vm.state !== 'terminated');
  const failed = made.filter(({ server, vm }) => vm.state === 'error' || server.fault !== undefined);
  const healthy = made.find((entry) => !failed.includes(entry));
  if (healthy) return healthy.vm;
  if (failed[0]) {
    await Promise.all(failed.map(({ vm }) => deleteServer(ctx, vm.cloudId)));
    const { server, vm } = failed[0];
    throw faultError(server, what) ?? new TransientCloudError(`${what}: the VM made before is ${vm.rawState}; it was deleted so a retry makes another`);
  }

  const flavor = await resolveFlavor(ctx, request);
  const response = await serviceCall(ctx, {
    service: 'compute',
    method: 'POST',
    path: '/servers',
    body: { server: serverBody(ctx, request, flavor.id) },
    subject: { imageId: request.imageId, flavorId: flavor.id },
  });
  const id = jsonBody<{ server?: { id?: string | number } }>(response, what).server?.id;
  if (id === undefined) throw new TransientCloudError(`${what}: Nova accepted the server but sent no id`);
  return { cloudId: String(id), tag: request.tag, state: 'pending', rawState: ACCEPTED_STATE };
}

/** The `server` object of `POST /servers` (Nova 2.1: `networks` may be left out). */
function serverBody(ctx: OpenstackContext, request: CreateInstanceRequest, flavorId: string): Record<string, unknown> {
  const { networkId, availabilityZone, keyName, securityGroups } = ctx.settings;
  return {
    name: serverName(request.tag, request.name),
    imageRef: request.imageId,
    flavorRef: flavorId,
    metadata: tagPairs(request.tag),
    user_data: userData(request),
    ...(networkId ? { networks: [{ uuid: networkId }] } : {}),
    ...(availabilityZone ? { availability_zone: availabilityZone } : {}),
    ...(keyName ? { key_name: keyName } : {}),
    ...(securityGroups?.length ? { security_groups: securityGroups.map((name) => ({ name })) } : {}),
  };
}

function userData(request: CreateInstanceRequest): string {
  try {
    return renderUserDataBase64(request.name, request.boot);
  } catch (error) {
    throw new PermanentCloudError(`the boot script of ${request.name} cannot be built: ${(error as Error).message}`, { cause: error });
  }
}
