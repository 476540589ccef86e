/**
 * What the fake cloud offers, modelled on the recorded Exoscale answer
 * (queryAsyncJobResult_11116.json: zone CH-GV2, template "Linux Ubuntu 12.04 LTS
 * 64-bit", offering "Micro", all ids UUIDs) with a second zone and sizes added.
 */
export const FAKE_ZONES = [
  { id: '1128bd56-b4d9-4ac6-a7b9-c715b187ce11', name: 'CH-GV2', networktype: 'Basic', securitygroupsenabled: true, allocationstate: 'Enabled' },
  { id: '91e5e9e4-c9ed-4b76-bee4-427004b3baf9', name: 'CH-DK-2', networktype: 'Basic', securitygroupsenabled: true, allocationstate: 'Enabled' },
] as const;

export const FAKE_TEMPLATES = [
  {
    id: 'a17b40d6-83e4-4f2a-9ef0-dce6af575789',
    name: 'Linux Ubuntu 12.04 LTS 64-bit',
    displaytext: 'Linux Ubuntu 12.04 LTS 64-bit 10GB Disk',
    ostypeid: '113038d0-a8cd-4d20-92be-ea313f87c3ac',
    ostypename: 'Ubuntu 12.04 (64-bit)',
  },
  {
    id: '3c6e5d0d-2b9a-4a0c-9a51-1b6a3d1c7e42',
    name: 'Linux Debian 11 64-bit',
    displaytext: 'Linux Debian 11 64-bit 10GB Disk',
    ostypeid: 'd4b1e0a2-5c3f-4a8e-9f6b-2e7c1a9d0b34',
    ostypename: 'Debian GNU/Linux 11 (64-bit)',
  },
] as const;

export const FAKE_OFFERINGS = [
  { id: '71004023-bb72-4a97-b1e9-bc66dfce9470', name: 'Micro', displaytext: 'Micro 512mb 1cpu', cpunumber: 1, cpuspeed: 2198, memory: 512 },
  { id: 'b6cd1ff5-3a2f-4e9d-a4d1-8988c1191fe8', name: 'Small', displaytext: 'Small 2048mb 2cpu', cpunumber: 2, cpuspeed: 2198, memory: 2048 },
  { id: '21624abb-764e-4def-81d7-9fc54b5957fb', name: 'Medium', displaytext: 'Medium 4096mb 2cpu', cpunumber: 2, cpuspeed: 2198, memory: 4096 },
] as const;

/** A template appears once per zone it is in (both here), as on a real cloud. */
export function templatesIn(zoneId?: string) {
  return FAKE_ZONES.filter((z) => !zoneId || z.id === zoneId).flatMap((zone) =>
    FAKE_TEMPLATES.map((t) => ({
      ...t,
      zoneid: zone.id,
      zonename: zone.name,
      isready: true,
      ispublic: true,
      isfeatured: true,
      templatetype: 'USER',
      hypervisor: 'KVM',
      format: 'QCOW2',
    })),
  );
}
