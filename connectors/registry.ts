/**
 * Maps a connector kind name to what the API knows of it (settings and secrets
 * schemas, usual boot time), without any cloud's client code: the functions that
 * only validate or list connectors bundle none. `connectors/implementations.ts`
 * adds each kind's `open`. Asking for an unknown kind throws
 * `UnknownConnectorKindError`, which the API's schema turns into a 400 on `kind`.
 */
import { CONNECTOR_KINDS, type ConnectorKindInfo, type ConnectorKindName } from '#connectors/contract';
import { cloudstackKindInfo } from '#connectors/cloudstack/settings';
import { ec2KindInfo } from '#connectors/ec2/settings';
import { opennebulaKindInfo } from '#connectors/opennebula/settings';
import { openstackKindInfo } from '#connectors/openstack/settings';
import { simKindInfo } from '#connectors/sim/settings';

const KINDS: Partial<Record<ConnectorKindName, ConnectorKindInfo>> = {
  sim: simKindInfo,
  cloudstack: cloudstackKindInfo,
  opennebula: opennebulaKindInfo,
  ec2: ec2KindInfo,
  openstack: openstackKindInfo,
};

/** Names of the kinds that can be used now, in the contract's order. */
export function availableKinds(): ConnectorKindName[] {
  return CONNECTOR_KINDS.filter((kind) => KINDS[kind] !== undefined);
}

/**
 * What the API knows of `kind`.
 * @throws UnknownConnectorKindError when the kind is unknown or not available yet.
 */
export function connectorKind(kind: string): ConnectorKindInfo {
  const found = Object.hasOwn(KINDS, kind) ? KINDS[kind as ConnectorKindName] : undefined;
  if (found) return found;
  const known = (CONNECTOR_KINDS as readonly string[]).includes(kind);
  const message = known
    ? `connector kind ${kind} is not available yet (available: ${availableKinds().join(', ')})`
    : `unknown connector kind ${kind} (available: ${availableKinds().join(', ')})`;
  throw new UnknownConnectorKindError(message);
}

/** Asked for a connector kind that does not exist or is not available yet. */
export class UnknownConnectorKindError extends Error {
  override readonly name = 'UnknownConnectorKindError';
}
