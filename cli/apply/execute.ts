/**
 * Carries out an {@link ApplyPlan}: creates and updates in plan order (parents first), the references as the
 * file writes them, which the API resolves (a bare name in the resource's project first, then at the top level).
 */
import type { DeploymentT, ImageT, ProductT } from '../api-types';
import { seg, type SlipwayClient } from '../client';
import type { ApplyPlan, Change } from './plan';

export interface Applied {
  kind: Change['kind'];
  name: string;
  /** Absent: the top level. */
  project?: string;
  action: Change['action'];
  id: string;
  version: number;
}

/** Applies `plan` (unchanged resources are left alone: no new version); returns each resource's id and version. */
export async function executePlan(client: SlipwayClient, plan: ApplyPlan): Promise<Applied[]> {
  const applied: Applied[] = [];
  for (const change of plan.changes) {
    let result: ImageT | DeploymentT | ProductT | undefined = change.current;
    if (change.kind === 'image' && change.action !== 'unchanged') {
      result = change.current
        ? await client.put<ImageT>(`/images/${seg(change.current.id)}`, { ...change.body, version: change.current.version })
        : await client.post<ImageT>('/images', change.body);
    }
    if (change.kind === 'deployment' && change.action !== 'unchanged') {
      result = change.current
        ? await client.put<DeploymentT>(`/deployments/${seg(change.current.id)}`, { ...change.body, version: change.current.version })
        : await client.post<DeploymentT>('/deployments', change.body);
    }
    if (change.kind === 'product' && change.action !== 'unchanged') {
      result = change.current
        ? await client.put<ProductT>(`/products/${seg(change.current.id)}`, { ...change.body, version: change.current.version })
        : await client.post<ProductT>('/products', change.body);
    }
    applied.push({
      kind: change.kind,
      name: change.name,
      ...(change.project ? { project: change.project } : {}),
      action: change.action,
      id: result!.id,
      version: result!.version,
    });
  }
  return applied;
}
