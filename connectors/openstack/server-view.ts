/** A Nova server as Slipway sees it: a `CloudInstance` with its tag read from the metadata. */
import type { CloudInstance } from '#connectors/contract';
import { readTag } from '#connectors/commons/tag';
import type { NovaServer } from './nova-server';
import { serverIp } from './server-address';
import { rawServerState, serverState } from './server-state';

export function toCloudInstance(server: NovaServer): CloudInstance {
  const tag = readTag(server.metadata ?? {});
  const state = serverState(server);
  const ip = state === 'terminated' ? undefined : serverIp(server);
  return {
    cloudId: String(server.id),
    ...(tag ? { tag } : {}),
    state,
    rawState: rawServerState(server),
    ...(ip ? { ip } : {}),
  };
}
