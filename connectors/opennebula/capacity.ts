/**
 * How big a VM is. `instanceType` names an OpenNebula VM template (by id or
 * name, as `GET /v1/connectors/{name}/instance-types` lists them) whose CPU, VCPU
 * and MEMORY are copied into the allocate template — the template itself is not
 * instantiated, so its disks and NICs never mix with the image's. An image's or
 * node's `cpu` / `ramMb` then override single values; without either, 1 CPU and 1 GiB.
 */
import type { CreateInstanceRequest } from '#connectors/contract';
import { PermanentCloudError } from '#connectors/errors';
import { listTemplates } from './lookups';
import type { RpcCall } from './rpc-client';

/** What one.vm.allocate sizes a VM with. */
export interface Capacity {
  /** CPU share of a physical CPU (OpenNebula's CPU). */
  cpu: number;
  /** Virtual CPUs the guest sees. */
  vcpu: number;
  memoryMb: number;
}

/** @default 1 CPU, 1 vCPU, 1024 MB: a small VM any OpenNebula host can place. */
export const DEFAULT_CAPACITY: Capacity = { cpu: 1, vcpu: 1, memoryMb: 1024 };

/**
 * The capacity for a create request.
 * @throws PermanentCloudError naming the instance type when no template has that id or name.
 */
export async function resolveCapacity(call: RpcCall, request: CreateInstanceRequest, connectorName: string): Promise<Capacity> {
  let base = DEFAULT_CAPACITY;
  if (request.instanceType) {
    const templates = await listTemplates(call);
    const wanted = request.instanceType;
    const template = templates.find((t) => t.id === wanted) ?? templates.find((t) => t.name === wanted);
    if (!template) {
      throw new PermanentCloudError(
        `opennebula connector ${connectorName} has no VM template "${wanted}" to size ${request.name} (instanceType is a template id or name)`,
      );
    }
    // CPU may be a fraction (0.5 of a core); the guest still needs whole vCPUs.
    const vcpu = template.vcpu ?? Math.max(1, Math.ceil(template.cpu ?? base.vcpu));
    base = {
      cpu: template.cpu ?? vcpu,
      vcpu,
      memoryMb: template.memoryMb ?? base.memoryMb,
    };
  }
  return {
    cpu: request.cpu ?? base.cpu,
    vcpu: request.cpu ?? base.vcpu,
    memoryMb: request.ramMb ?? base.memoryMb,
  };
}
