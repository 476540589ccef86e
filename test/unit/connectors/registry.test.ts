import { describe, expect, it } from 'vitest';
import { availableKinds, connectorKind } from '#connectors/registry';
import { ValidationError } from '#functions/domain/errors';

function thrownBy(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the action to throw');
}

describe('connector registry', () => {
  it('lists sim as the only kind available so far', () => {
    // Act
    const kinds = availableKinds();

    // Assess
    expect(kinds).toEqual(['sim']);
  });

  it('gives the sim kind for "sim"', () => {
    // Act
    const kind = connectorKind('sim');

    // Assess
    expect(kind.kind).toBe('sim');
  });

  it('refuses a kind of the contract that is not built yet with a validation error on the kind field', () => {
    // Act
    const error = thrownBy(() => connectorKind('openstack'));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/openstack is not available yet/);
    expect((error as ValidationError).errors).toEqual([{ path: 'kind', message: error.message }]);
  });

  it('refuses an unknown kind, even one named like an object property', () => {
    // Act
    const unknown = () => connectorKind('azure');
    const prototypeName = () => connectorKind('toString');

    // Assess
    expect(unknown).toThrow(ValidationError);
    expect(prototypeName).toThrow(ValidationError);
  });
});
