/**
 * Each kind's client code: what opens a connector. Only the code that talks to
 * clouds (run steps, schedules, look-ups) imports this module; everything else
 * uses the registry, which carries no cloud client.
 */
import type { ConnectorKind, ConnectorKindName } from '#connectors/contract';
import { cloudstackKind } from '#connectors/cloudstack/cloudstack-kind';
import { ec2Kind } from '#connectors/ec2/ec2-kind';
import { opennebulaKind } from '#connectors/opennebula/opennebula-kind';
import { openstackKind } from '#connectors/openstack/openstack-kind';
import { connectorKind } from '#connectors/registry';
import { simKind } from '#connectors/sim/sim-kind';

const IMPLEMENTATIONS: Record<ConnectorKindName, ConnectorKind> = {
  sim: simKind,
  cloudstack: cloudstackKind,
  opennebula: opennebulaKind,
  ec2: ec2Kind,
  openstack: openstackKind,
};

/**
 * The implementation of `kind`.
 * @throws UnknownConnectorKindError when the kind is unknown or not available yet.
 */
export function connectorImplementation(kind: string): ConnectorKind {
  return IMPLEMENTATIONS[connectorKind(kind).kind];
}
