import { describe, expect, it } from 'vitest';
import { CONNECTOR_KINDS } from '#connectors/contract';
import { availableKinds, connectorKind, UnknownConnectorKindError } from '#connectors/registry';

describe('connector registry', () => {
  it('lists the available kinds in the contract order', () => {
    // Act
    const kinds = availableKinds();

    // Assess
    expect(kinds[0]).toBe('sim');
    expect(kinds).toEqual(CONNECTOR_KINDS.filter((kind) => kinds.includes(kind)));
  });

  it('gives the sim kind for "sim"', () => {
    // Act
    const kind = connectorKind('sim');

    // Assess
    expect(kind.kind).toBe('sim');
  });

  it('refuses an unknown kind, even one named like an object property', () => {
    // Act
    const unknown = () => connectorKind('azure');
    const prototypeName = () => connectorKind('toString');

    // Assess
    expect(unknown).toThrow(UnknownConnectorKindError);
    expect(prototypeName).toThrow(UnknownConnectorKindError);
  });
});
