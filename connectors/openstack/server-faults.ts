/**
 * Fills in the `fault` of failed servers. Nova's `GET /servers/detail` leaves
 * `fault` out (seen on Nova 26.2 "Zed", microversions 2.1 and 2.93); only
 * `GET /servers/{id}` carries it. So a server in ERROR costs one more call, and
 * only then: its fault is what tells "No valid host was found" (capacity) from
 * any other failure, and what a user reads in the run's abort reason.
 */
import type { NovaServer } from './nova-server';
import type { OpenstackContext } from './context';
import { jsonBody, serviceCall } from './service-call';

export async function withFaults(ctx: OpenstackContext, servers: NovaServer[]): Promise<NovaServer[]> {
  return Promise.all(servers.map((server) => (needsFault(server) ? showFault(ctx, server) : server)));
}

function needsFault(server: NovaServer): boolean {
  return (server.status ?? '').toUpperCase() === 'ERROR' && server.fault === undefined && server.id !== undefined;
}

async function showFault(ctx: OpenstackContext, server: NovaServer): Promise<NovaServer> {
  const path = `/servers/${encodeURIComponent(String(server.id))}`;
  // Gone since the list: nothing more to learn.
  const response = await serviceCall(ctx, { service: 'compute', path, allow: [404] });
  if (response.status === 404) return server;
  const fault = jsonBody<{ server?: NovaServer }>(response, `openstack GET ${path}`).server?.fault;
  return fault ? { ...server, fault } : server;
}
