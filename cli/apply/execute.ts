/** Carries out an {@link ApplyPlan}: creates and updates in plan order, each reference to a new image replaced by the id it got. */
import type { DeploymentInputT, DeploymentT, ImageInputT, ImageT } from '../api-types';
import { seg, type SlipwayClient } from '../client';
import { newRef, type ApplyPlan, type Change } from './plan';

export interface Applied {
  kind: Change['kind'];
  name: string;
  action: Change['action'];
  id: string;
  version: number;
}

/** Applies `plan` (unchanged resources are left alone: no new version); returns each resource's id and version. */
export async function executePlan(client: SlipwayClient, plan: ApplyPlan): Promise<Applied[]> {
  const made = new Map<string, string>();
  const real = (ref: string) => made.get(ref) ?? ref;
  const applied: Applied[] = [];
  for (const change of plan.changes) {
    let result: ImageT | DeploymentT | undefined = change.current;
    if (change.kind === 'image' && change.action !== 'unchanged') {
      const body: ImageInputT = { ...change.desired, parent: change.desired.parent && real(change.desired.parent) };
      result = change.current
        ? await client.put<ImageT>(`/images/${seg(change.current.id)}`, { ...body, version: change.current.version })
        : await client.post<ImageT>('/images', body);
      made.set(newRef(change.name), result.id);
    }
    if (change.kind === 'deployment' && change.action !== 'unchanged') {
      const body: DeploymentInputT = { ...change.desired, nodes: change.desired.nodes.map((node) => ({ ...node, image: real(node.image) })) };
      result = change.current
        ? await client.put<DeploymentT>(`/deployments/${seg(change.current.id)}`, { ...body, version: change.current.version })
        : await client.post<DeploymentT>('/deployments', body);
    }
    applied.push({ kind: change.kind, name: change.name, action: change.action, id: result!.id, version: result!.version });
  }
  return applied;
}
