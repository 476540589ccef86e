/**
 * Brings a server to SHUTOFF before Nova snapshots it, so the image holds a disk
 * the guest shut down cleanly (Nova snapshots a running server too, but then the
 * copy is only as consistent as a power cut). Idempotent: a stopped server is left
 * alone, one already powering off is waited for, and only a running one gets
 * `os-stop`. The wait is bounded; a server still stopping then is a
 * NotReadyYetError, and the retry picks up from its state.
 */
import { NotReadyYetError, PermanentCloudError } from '#connectors/errors';
import { where, type OpenstackContext } from './context';
import type { NovaServer } from './nova-server';
import { rawServerState, serverState } from './server-state';
import { jsonBody, serviceCall } from './service-call';

/** The server as Nova shows it now; undefined once it is gone (404). */
export async function showServer(ctx: OpenstackContext, serverId: string): Promise<NovaServer | undefined> {
  const path = `/servers/${encodeURIComponent(serverId)}`;
  const response = await serviceCall(ctx, { service: 'compute', path, allow: [404] });
  if (response.status === 404) return undefined;
  return jsonBody<{ server?: NovaServer }>(response, `openstack GET ${path}`).server;
}

/**
 * Resolves once the server is stopped.
 * @throws PermanentCloudError when it is gone or in ERROR; NotReadyYetError while it builds or is still stopping.
 */
export async function ensureServerStopped(ctx: OpenstackContext, serverId: string): Promise<void> {
  let server = usable(ctx, serverId, await showServer(ctx, serverId));
  const state = serverState(server);
  if (state === 'stopped') return;
  if (state === 'pending') throw new NotReadyYetError(`server ${serverId} on ${where(ctx)} is still ${rawServerState(server)}: it can be imaged once it runs`);
  if (state === 'running') {
    // 409: Nova is busy with the server, or it stopped meanwhile; the state read below tells which.
    await serviceCall(ctx, {
      service: 'compute',
      method: 'POST',
      path: `/servers/${encodeURIComponent(serverId)}/action`,
      body: { 'os-stop': null },
      allow: [409],
    });
  }
  const deadline = Date.now() + ctx.tuning.stopWaitMs;
  for (;;) {
    server = usable(ctx, serverId, await showServer(ctx, serverId));
    if (serverState(server) === 'stopped') return;
    if (Date.now() + ctx.tuning.pollMs > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, ctx.tuning.pollMs));
  }
  throw new NotReadyYetError(`server ${serverId} on ${where(ctx)} is still ${rawServerState(server)}: its image is made once it is stopped`);
}

function usable(ctx: OpenstackContext, serverId: string, server: NovaServer | undefined): NovaServer {
  const state = server ? serverState(server) : 'terminated';
  if (!server || state === 'terminated')
    throw new PermanentCloudError(`server ${serverId} does not exist on ${where(ctx)} (or is being deleted): there is nothing to image`);
  if (state === 'error') throw new PermanentCloudError(`server ${serverId} on ${where(ctx)} is ${rawServerState(server)}: it cannot be imaged`);
  return server;
}
