/**
 * The preflight plan: what `POST /v1/runs` would do for this request, read and
 * never written. The plan comes from `planLaunch` (what InitializeRun acts on) and
 * the quota check from the reservation's own rule, so a launch refuses exactly
 * what the plan refuses. It also prices the planned VMs from the connectors' price
 * lists (`estimatedHourlyCost`). It shows the credential ids it would use: an order's
 * estimate (the catalog's) is computed apart, never through this plan.
 */
import type { AppDeps } from '#functions/commons/deps';
import { countByConnector } from '#functions/domain/run-plan';
import type { LaunchPlanResponse } from '#functions/schemas/runs';
import { exceeded } from '#functions/store/quota-reservations';
import { quotaFor } from '#functions/store/quotas';
import { estimatePlannedCost } from './launch-cost';
import { planLaunch, quotaHolder, type LaunchRequest } from './launch-plan';

export async function previewLaunch(deps: AppDeps, request: LaunchRequest): Promise<LaunchPlanResponse> {
  const plan = await planLaunch(deps, request);
  const counts = countByConnector(plan.instances);
  const connectors = Object.keys(counts).sort();
  const limits = await Promise.all(connectors.map((c) => quotaFor(deps.table, quotaHolder(request), c)));
  const quotaRefusal = exceeded(connectors, limits, counts);
  const byNode = new Map<string, LaunchPlanResponse['nodes'][number]>();
  for (const instance of plan.instances) {
    const known = byNode.get(instance.node);
    if (known) {
      known.multiplicity++;
      continue;
    }
    byNode.set(instance.node, {
      node: instance.node,
      multiplicity: 1,
      connector: instance.connector,
      credential: plan.credentials.get(instance.connector),
      imageId: instance.imageId,
      images: plan.images[instance.node]?.chain ?? [],
      instanceType: instance.instanceType,
      cpu: instance.cpu,
      ramMb: instance.ramMb,
      diskGb: instance.diskGb,
    });
  }
  const refusals = [...plan.problems, ...(quotaRefusal ? [quotaRefusal.message] : [])];
  const estimatedHourlyCost = await estimatePlannedCost(deps, plan.instances);
  return {
    dryRun: true,
    deployment: request.deployment,
    deploymentVersion: request.deploymentVersion,
    launchable: refusals.length === 0,
    nodes: [...byNode.values()],
    quotas: connectors.map((connector, i) => {
      const usedBefore = limits[i]?.used ?? 0;
      return { connector, maxVms: limits[i]?.maxVms ?? 0, usedBefore, needs: counts[connector]!, usedAfter: usedBefore + counts[connector]! };
    }),
    refusals,
    ...(estimatedHourlyCost ? { estimatedHourlyCost } : {}),
  };
}
