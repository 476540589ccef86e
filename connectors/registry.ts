/**
 * Maps a connector kind name to its implementation. Only the kinds built so far
 * are here; asking for another throws `UnknownConnectorKindError`, which the API's
 * schema turns into a 400 on the `kind` field.
 */
import { CONNECTOR_KINDS, type ConnectorKind, type ConnectorKindName } from '#connectors/contract';
import { cloudstackKind } from '#connectors/cloudstack/cloudstack-kind';
import { ec2Kind } from '#connectors/ec2/ec2-kind';
import { opennebulaKind } from '#connectors/opennebula/opennebula-kind';
import { openstackKind } from '#connectors/openstack/openstack-kind';
import { simKind } from '#connectors/sim/sim-kind';

const KINDS: Partial<Record<ConnectorKindName, ConnectorKind>> = {
  sim: simKind,
  cloudstack: cloudstackKind,
  opennebula: opennebulaKind,
  ec2: ec2Kind,
  openstack: openstackKind,
};

/** Names of the kinds that can be used now, in the contract's order. */
export function availableKinds(): ConnectorKindName[] {
  return CONNECTOR_KINDS.filter((kind) => KINDS[kind] !== undefined);
}

/**
 * The implementation of `kind`.
 * @throws UnknownConnectorKindError when the kind is unknown or not available yet.
 */
export function connectorKind(kind: string): ConnectorKind {
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
