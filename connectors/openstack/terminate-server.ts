/**
 * Idempotent terminate: `DELETE /servers/{id}`. A 404 means the server is gone
 * already, which is what was asked. Nova deletes asynchronously; listings show
 * the server as `deleting` (terminated for Slipway) until it disappears.
 */
import type { OpenstackContext } from './context';
import { serviceCall } from './service-call';

export async function deleteServer(ctx: OpenstackContext, cloudId: string): Promise<void> {
  await serviceCall(ctx, { service: 'compute', method: 'DELETE', path: `/servers/${encodeURIComponent(cloudId)}`, allow: [404] });
}
