/**
 * Nova's server status (with `OS-EXT-STS:vm_state`/`task_state`) → Slipway's six
 * generic states, per the mapping in shared/docs/cloud-apis.md §2.3. `status`
 * wins (an ACTIVE server whose task_state still says "spawning" runs); only
 * task states that announce an irreversible change override it.
 */
import type { InstanceState } from '#functions/domain/run-states';
import { truncate } from '#connectors/commons/http';
import type { NovaServer } from './nova-server';

const BY_STATUS: Record<string, InstanceState> = {
  BUILD: 'pending',
  REBUILD: 'pending',
  PASSWORD: 'pending',
  RESCUE: 'pending',
  ACTIVE: 'running',
  REBOOT: 'running',
  HARD_REBOOT: 'running',
  RESIZE: 'running',
  VERIFY_RESIZE: 'running',
  REVERT_RESIZE: 'running',
  MIGRATING: 'running',
  SHUTOFF: 'stopped',
  SUSPENDED: 'stopped',
  PAUSED: 'stopped',
  SHELVED: 'stopped',
  SHELVED_OFFLOADED: 'stopped',
  DELETED: 'terminated',
  SOFT_DELETED: 'terminated',
  ERROR: 'error',
  UNKNOWN: 'error',
};

/** Task states after which the server will not be running, whatever `status` says now. */
const BY_TASK_STATE: Record<string, InstanceState> = {
  // A delete cannot be undone: the VM is as good as gone for Slipway.
  deleting: 'terminated',
  soft_deleting: 'terminated',
  'powering-off': 'stopping',
  suspending: 'stopping',
  pausing: 'stopping',
  shelving: 'stopping',
  shelving_offloading: 'stopping',
};

/** The generic state of a server; an unknown status is `error`, never a throw. */
export function serverState(server: NovaServer): InstanceState {
  const status = (server.status ?? '').toUpperCase();
  const byStatus = BY_STATUS[status] ?? 'error';
  const task = server['OS-EXT-STS:task_state'];
  const byTask = task ? BY_TASK_STATE[task] : undefined;
  if (byTask && byStatus !== 'error' && byStatus !== 'terminated') return byTask;
  return byStatus;
}

/**
 * The cloud's own state as a person reads it: `ACTIVE (active)`,
 * `BUILD (building/spawning)`, and for a failed server its fault message,
 * e.g. `ERROR (error): No valid host was found.`.
 */
export function rawServerState(server: NovaServer): string {
  const status = server.status ?? 'UNKNOWN';
  const detail = [server['OS-EXT-STS:vm_state'], server['OS-EXT-STS:task_state']].filter((part): part is string => Boolean(part)).join('/');
  const raw = detail ? `${status} (${detail})` : status;
  const fault = status.toUpperCase() === 'ERROR' ? faultText(server) : undefined;
  return fault ? `${raw}: ${truncate(fault, 200)}` : raw;
}

/** The fault's message, or its details when the message is generic and the details say more. */
export function faultText(server: NovaServer): string | undefined {
  const { message, details } = server.fault ?? {};
  if (details && /no valid host/i.test(details) && !/no valid host/i.test(message ?? '')) return details;
  return message || details || undefined;
}
