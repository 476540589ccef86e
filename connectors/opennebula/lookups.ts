/**
 * The admin look-ups: images (`one.imagepool.info`), VM templates as instance
 * types (`one.templatepool.info`) and zones (`one.zonepool.info`). Filter -2 lists
 * everything the credential may use, the public images oneadmin owns included.
 */
import type { RpcCall } from './rpc-client';
import { childrenOf, poolItems, textOf } from './vm-xml';

/** Pool filter -2: every resource the user may see; (-1, -1): the whole id range. */
const ALL_VISIBLE = [-2, -1, -1] as const;

/** A VM template read as an instance type: its capacity, as one.vm.allocate takes it. */
export interface TemplateCapacity {
  id: string;
  name: string;
  /** CPU share (physical CPU fraction), from the template's CPU. */
  cpu?: number;
  /** Virtual CPUs, from the template's VCPU. */
  vcpu?: number;
  memoryMb?: number;
}

const numberOrUndefined = (text: string): number | undefined => (text === '' || Number.isNaN(Number(text)) ? undefined : Number(text));

export async function listImages(call: RpcCall): Promise<{ id: string; name: string }[]> {
  const payload = String(await call('one.imagepool.info', [...ALL_VISIBLE]));
  return poolItems(payload, 'IMAGE_POOL', 'IMAGE').map((image) => ({
    id: textOf(image, 'ID'),
    name: textOf(image, 'NAME'),
  }));
}

export async function listTemplates(call: RpcCall): Promise<TemplateCapacity[]> {
  const payload = String(await call('one.templatepool.info', [...ALL_VISIBLE]));
  return poolItems(payload, 'VMTEMPLATE_POOL', 'VMTEMPLATE').map((item) => {
    const template = childrenOf(item, 'TEMPLATE')[0];
    return {
      id: textOf(item, 'ID'),
      name: textOf(item, 'NAME'),
      cpu: numberOrUndefined(textOf(template, 'CPU')),
      vcpu: numberOrUndefined(textOf(template, 'VCPU')),
      memoryMb: numberOrUndefined(textOf(template, 'MEMORY')),
    };
  });
}

/** Instance types as the API serves them: `cpu` is the VCPU count (else the CPU share), `ramMb` the MEMORY. */
export async function listInstanceTypes(call: RpcCall): Promise<{ id: string; name: string; cpu?: number; ramMb?: number }[]> {
  return (await listTemplates(call)).map((t) => ({
    id: t.id,
    name: t.name,
    cpu: t.vcpu ?? t.cpu,
    ramMb: t.memoryMb,
  }));
}

export async function listZones(call: RpcCall): Promise<{ id: string; name: string }[]> {
  const payload = String(await call('one.zonepool.info', []));
  return poolItems(payload, 'ZONE_POOL', 'ZONE').map((zone) => ({
    id: textOf(zone, 'ID'),
    name: textOf(zone, 'NAME'),
  }));
}
