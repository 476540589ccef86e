import { describe, expect, it } from 'vitest';
import { checkGraph, topologicalOrder, type NodeSpec } from '#functions/domain/deployment-graph';

const node = (name: string, inputs: Record<string, string> = {}): NodeSpec => ({ name, image: 'x', multiplicity: 1, inputs });

describe('checkGraph', () => {
  it('accepts nodes whose inputs all come from other nodes, without a cycle', () => {
    // Act
    const errors = checkGraph([node('web', { db_host: 'db:hostname' }), node('db')]);
    // Assess
    expect(errors).toEqual([]);
  });

  it('refuses a name used twice, at the second use', () => {
    // Act
    const errors = checkGraph([node('db'), node('web'), node('db')]);
    // Assess
    expect(errors).toEqual([{ path: 'body.nodes.2.name', message: 'node name "db" is used twice' }]);
  });

  it('refuses each bad mapping at its own path', () => {
    // Act
    const errors = checkGraph([node('a', { x: 'nonsense', y: 'a:out', z: 'zz:out' })]);
    // Assess
    expect(errors).toEqual([
      { path: 'body.nodes.0.inputs.x', message: 'must be "node:output"' },
      { path: 'body.nodes.0.inputs.y', message: 'a node cannot take an input from itself' },
      { path: 'body.nodes.0.inputs.z', message: 'no node named "zz"' },
    ]);
  });

  it('refuses mappings that form a cycle', () => {
    // Act
    const errors = checkGraph([node('a', { x: 'c:o' }), node('b', { y: 'a:o' }), node('c', { z: 'b:o' })]);
    // Assess
    expect(errors).toEqual([{ path: 'body.nodes', message: 'the input mappings form a cycle' }]);
  });
});

describe('topologicalOrder', () => {
  it('puts every node after the nodes it takes inputs from, alphabetically among equals', () => {
    // Act
    const order = topologicalOrder([node('web', { a: 'db:h', b: 'cache:h' }), node('db'), node('cache'), node('lb', { w: 'web:h' })]);
    // Assess
    expect(order).toEqual(['cache', 'db', 'web', 'lb']);
  });

  it('is undefined for a cycle', () => {
    // Act
    const order = topologicalOrder([node('a', { x: 'b:o' }), node('b', { y: 'a:o' }), node('c')]);
    // Assess
    expect(order).toBeUndefined();
  });

  it('ignores inputs from nodes that are not in the deployment', () => {
    // Act
    const order = topologicalOrder([node('a', { x: 'elsewhere:o' })]);
    // Assess
    expect(order).toEqual(['a']);
  });
});
