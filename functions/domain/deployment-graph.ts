/**
 * A deployment's nodes and their input mappings (`param: "othernode:output"`):
 * the references must resolve and the graph must be acyclic.
 */
import type { z } from 'zod';
import type { NodeInput } from '#functions/schemas/deployments';
import type { FieldError } from './errors';
import { parseSource } from './parameters';

/** A deployment's node as the graph checks read it. */
export type NodeSpec = z.output<typeof NodeInput>;

/** Every problem with the nodes' names and mappings, as field errors under `body.nodes`. */
export function checkGraph(nodes: NodeSpec[]): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  nodes.forEach((node, i) => {
    if (names.has(node.name)) errors.push({ path: `body.nodes.${i}.name`, message: `node name "${node.name}" is used twice` });
    names.add(node.name);
  });
  nodes.forEach((node, i) => {
    for (const [param, mapping] of Object.entries(node.inputs)) {
      const source = parseSource(mapping);
      const path = `body.nodes.${i}.inputs.${param}`;
      if (!source) errors.push({ path, message: 'must be "node:output"' });
      else if (source.node === node.name) errors.push({ path, message: 'a node cannot take an input from itself' });
      else if (!names.has(source.node)) errors.push({ path, message: `no node named "${source.node}"` });
    }
  });
  if (errors.length === 0 && topologicalOrder(nodes) === undefined) {
    errors.push({ path: 'body.nodes', message: 'the input mappings form a cycle' });
  }
  return errors;
}

/** Node names ordered so that every node comes after the nodes it takes inputs from; undefined on a cycle. */
export function topologicalOrder(nodes: NodeSpec[]): string[] | undefined {
  const deps = new Map(nodes.map((n) => [n.name, new Set(Object.values(n.inputs).flatMap((m) => parseSource(m)?.node ?? []))]));
  const order: string[] = [];
  while (deps.size) {
    const free = [...deps].filter(([, d]) => [...d].every((x) => !deps.has(x))).map(([n]) => n);
    if (!free.length) return undefined;
    for (const n of free.sort()) {
      order.push(n);
      deps.delete(n);
    }
  }
  return order;
}
