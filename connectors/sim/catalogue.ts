/**
 * The sim's fixed catalogue: what an admin sees when picking images, sizes and
 * zones for a `sim` connector. Small on purpose; ids look like a cloud's own.
 */
import type { ConnectorConfig } from '#connectors/contract';

export const SIM_IMAGES = [
  { id: 'sim-ubuntu-22.04', name: 'Ubuntu 22.04 LTS (simulated)' },
  { id: 'sim-ubuntu-24.04', name: 'Ubuntu 24.04 LTS (simulated)' },
  { id: 'sim-debian-12', name: 'Debian 12 (simulated)' },
] as const;

export const SIM_INSTANCE_TYPES = [
  { id: 'small', name: 'Small', cpu: 1, ramMb: 1024 },
  { id: 'medium', name: 'Medium', cpu: 2, ramMb: 4096 },
  { id: 'large', name: 'Large', cpu: 4, ramMb: 8192 },
] as const;

/** Zone used when the connector names none. */
export const SIM_DEFAULT_ZONE = 'sim-zone-1';

/** The sim has one zone: the one the connector is configured for. */
export function simZones(config: ConnectorConfig): { id: string; name: string }[] {
  const zone = config.zone ?? SIM_DEFAULT_ZONE;
  return [{ id: zone, name: zone }];
}
