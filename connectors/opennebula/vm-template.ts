/**
 * The template `one.vm.allocate` gets, written as XML (oned takes `ATTR=value`
 * text or `<TEMPLATE>` XML): the XML builder escapes every value, so a node name
 * or a boot script can never break out of an attribute as quoted text could.
 * Attributes oned does not know (Slipway's tag) land in the VM's USER_TEMPLATE.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { CreateInstanceRequest } from '#connectors/contract';
import { TAG_ATTRIBUTES, tagPairs } from '#connectors/commons/tag';
import { renderUserDataBase64 } from '#connectors/commons/user-data';
import type { Capacity } from './capacity';

const builder = new XMLBuilder({});

export interface VmTemplateInput {
  request: CreateInstanceRequest;
  capacity: Capacity;
  /** The connector's `networkId` setting. */
  networkId?: number;
}

/** NAME is not unique in OpenNebula; the run id makes it readable in Sunstone and unique in practice. */
export function vmName(request: CreateInstanceRequest): string {
  return `slipway-${request.tag.run}-${request.name}`;
}

/** The allocate template for one instance. */
export function buildVmTemplate({ request, capacity, networkId }: VmTemplateInput): string {
  const template: Record<string, unknown> = {
    NAME: vmName(request),
    CPU: capacity.cpu,
    VCPU: capacity.vcpu,
    MEMORY: capacity.memoryMb,
    DISK: {
      IMAGE_ID: request.imageId,
      ...(request.diskGb ? { SIZE: request.diskGb * 1024 } : {}),
    },
    ...(networkId === undefined ? {} : { NIC: { NETWORK_ID: networkId } }),
    CONTEXT: {
      // NETWORK=YES makes the contextualization packages configure the NIC from OpenNebula's lease.
      NETWORK: 'YES',
      SET_HOSTNAME: request.name.replaceAll('.', '-'),
      USERDATA_ENCODING: 'base64',
      USER_DATA: renderUserDataBase64(request.name, request.boot),
    },
    ...tagPairs(request.tag, TAG_ATTRIBUTES),
  };
  return builder.build({ TEMPLATE: template });
}
