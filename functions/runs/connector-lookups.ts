/**
 * What an admin or user needs to fill in native ids without a cloud console: the
 * images, instance types and zones a connector's cloud offers, asked live with a
 * credential, and each available kind's settings and secrets as JSON Schema.
 */
import * as z from 'zod';
import type { ConnectorKindName } from '#connectors/contract';
import { availableKinds, connectorKind } from '#connectors/registry';
import type { AppDeps } from '#functions/commons/deps';
import { openConnector } from './open-connector';

export const LOOKUPS = ['images', 'instance-types', 'zones'] as const;
export type Lookup = (typeof LOOKUPS)[number];

/** One item of a look-up: the cloud's own id and name, plus what the cloud says about sizes. */
export interface LookupItem {
  id: string;
  name: string;
  cpu?: number;
  ramMb?: number;
}

/** Asks the connector's cloud, with `credentialId`, for one look-up. */
export async function lookUp(deps: AppDeps, connector: string, credentialId: string, what: Lookup): Promise<LookupItem[]> {
  const { connector: cloud } = await openConnector(deps, connector, credentialId);
  if (what === 'images') return cloud.listImages();
  if (what === 'instance-types') return cloud.listInstanceTypes();
  return cloud.listZones();
}

/** A kind as clients see it: the JSON Schema of its connector settings and credential secrets. */
export interface KindDescription {
  kind: ConnectorKindName;
  settings: Record<string, unknown>;
  secrets: Record<string, unknown>;
}

/** Every available kind with its schemas, derived from the kind's own zod schemas. */
export function describeKinds(): KindDescription[] {
  return availableKinds().map((name) => {
    const kind = connectorKind(name);
    return {
      kind: name,
      settings: z.toJSONSchema(kind.settingsSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
      secrets: z.toJSONSchema(kind.secretsSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    };
  });
}
