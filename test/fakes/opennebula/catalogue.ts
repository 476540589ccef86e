/** What the fake OpenNebula has besides VMs: images, VM templates (sizes), zones and one network. */
import { XMLBuilder } from 'fast-xml-parser';

const builder = new XMLBuilder({});

export interface FakeCatalogue {
  images: { id: number; name: string }[];
  templates: {
    id: number;
    name: string;
    cpu: string;
    vcpu: string;
    memory: string;
  }[];
  zones: { id: number; name: string }[];
  /** Virtual networks NICs may lease from, with the prefix of their addresses. */
  networks: { id: number; prefix: string }[];
}

export const DEFAULT_CATALOGUE: FakeCatalogue = {
  images: [
    { id: 0, name: 'ttylinux' },
    { id: 7, name: 'Ubuntu 22.04' },
  ],
  templates: [
    { id: 0, name: 'small', cpu: '0.5', vcpu: '1', memory: '512' },
    { id: 1, name: 'medium', cpu: '1', vcpu: '2', memory: '2048' },
  ],
  zones: [{ id: 0, name: 'OpenNebula' }],
  networks: [{ id: 0, prefix: '10.0.0.' }],
};

export function templatePoolXml(catalogue: FakeCatalogue): string {
  const item = (t: FakeCatalogue['templates'][number]) => ({
    ID: t.id,
    UID: 0,
    UNAME: 'oneadmin',
    NAME: t.name,
    TEMPLATE: { CPU: t.cpu, VCPU: t.vcpu, MEMORY: t.memory },
  });
  return builder.build({
    VMTEMPLATE_POOL: { VMTEMPLATE: catalogue.templates.map(item) },
  });
}

export function zonePoolXml(catalogue: FakeCatalogue): string {
  return builder.build({
    ZONE_POOL: {
      ZONE: catalogue.zones.map((z) => ({
        ID: z.id,
        NAME: z.name,
        TEMPLATE: { ENDPOINT: 'http://localhost:2633/RPC2' },
      })),
    },
  });
}
