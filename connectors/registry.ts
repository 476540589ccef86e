/**
 * Maps a connector kind name to its implementation. Only the kinds built so far
 * are here; asking for another is a validation error the API reports as 400.
 */
import { CONNECTOR_KINDS, type ConnectorKind, type ConnectorKindName } from '#connectors/contract';
import { simKind } from '#connectors/sim/sim-kind';
import { ValidationError } from '#functions/domain/errors';

const KINDS: Partial<Record<ConnectorKindName, ConnectorKind>> = {
  sim: simKind,
};

/** Names of the kinds that can be used now, in the contract's order. */
export function availableKinds(): ConnectorKindName[] {
  return CONNECTOR_KINDS.filter((kind) => KINDS[kind] !== undefined);
}

/**
 * The implementation of `kind`.
 * @throws ValidationError (on the `kind` field) when the kind is unknown or not available yet.
 */
export function connectorKind(kind: string): ConnectorKind {
  const found = Object.hasOwn(KINDS, kind) ? KINDS[kind as ConnectorKindName] : undefined;
  if (found) return found;
  const known = (CONNECTOR_KINDS as readonly string[]).includes(kind);
  const message = known
    ? `connector kind ${kind} is not available yet (available: ${availableKinds().join(', ')})`
    : `unknown connector kind ${kind} (available: ${availableKinds().join(', ')})`;
  throw new ValidationError(message, [{ path: 'kind', message }]);
}
