/**
 * Planning a run: which VMs, on which connector, from which native image.
 * Pure: everything it needs is passed in, every problem is reported at once.
 */
import type { EffectiveImage } from './images';
import type { NodeSpec } from './deployment-graph';

export interface PlannedInstance {
  node: string;
  index: number;
  name: string;
  connector: string;
  imageId: string;
  instanceType?: string;
  cpu?: number;
  ramMb?: number;
  diskGb?: number;
  readiness: 'callback' | 'running';
  recipe?: string;
  outputs: { name: string; default?: string }[];
  inputs: Record<string, string>;
}

export interface PlanInput {
  nodes: NodeSpec[];
  images: Record<string, EffectiveImage>;
  runConnector?: string;
  overrides: Record<string, { connector?: string; multiplicity?: number }>;
  knownConnectors: Set<string>;
}

export function planRun(input: PlanInput): { instances: PlannedInstance[]; problems: string[] } {
  const problems: string[] = [];
  const instances: PlannedInstance[] = [];
  for (const name of Object.keys(input.overrides)) {
    if (!input.nodes.some((n) => n.name === name)) problems.push(`the deployment has no node "${name}"`);
  }
  for (const node of input.nodes) {
    const override = input.overrides[node.name] ?? {};
    const connector = override.connector ?? node.connector ?? input.runConnector;
    const image = input.images[node.name];
    if (!connector) {
      problems.push(`node "${node.name}" has no connector: give the run a connector or the node one`);
      continue;
    }
    if (!input.knownConnectors.has(connector)) {
      problems.push(`node "${node.name}": no connector named "${connector}"`);
      continue;
    }
    if (!image) {
      problems.push(`node "${node.name}": its image no longer exists`);
      continue;
    }
    const imageId = image.cloudImageIds[connector];
    if (!imageId) {
      problems.push(`node "${node.name}": image has no native id for connector "${connector}"`);
      continue;
    }
    const machine = image.defaults[connector] ?? {};
    const multiplicity = override.multiplicity ?? node.multiplicity;
    for (let index = 1; index <= multiplicity; index++) {
      instances.push({
        node: node.name,
        index,
        name: `${node.name}.${index}`,
        connector,
        imageId,
        instanceType: node.instanceType ?? machine.instanceType,
        cpu: machine.cpu,
        ramMb: machine.ramMb,
        diskGb: machine.diskGb,
        readiness: image.readiness,
        recipe: image.recipe,
        outputs: image.outputs,
        inputs: node.inputs,
      });
    }
  }
  return { instances, problems };
}

/** VMs per connector: what the run reserves in quotas. */
export function countByConnector(instances: { connector: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const i of instances) counts[i.connector] = (counts[i.connector] ?? 0) + 1;
  return counts;
}
