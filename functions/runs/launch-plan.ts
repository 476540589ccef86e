/**
 * What a launch would do, read without writing: the deployment version, each
 * node's image chain and native id, the connectors, the user's credential on
 * each, and every reason the launch cannot go ahead. InitializeRun acts on it and
 * the preflight plan (`POST /v1/runs?dryRun=true`) shows it, so a launch refuses
 * exactly what the plan refuses.
 */
import type { z } from 'zod';
import type { ConnectorConfig } from '#connectors/contract';
import type { AppDeps } from '#functions/commons/deps';
import { loadChain, resolveImage, type EffectiveImage, type ImageDoc } from '#functions/domain/images';
import { planRun, type PlannedInstance } from '#functions/domain/run-plan';
import type { Deployment } from '#functions/schemas/deployments';
import { getConnector } from '#functions/store/connectors';
import { credentialFor } from '#functions/store/credentials';
import { readHead, readVersion } from '#functions/store/versioned';

/** What a launch asks for: the run's own fields. */
export interface LaunchRequest {
  owner: string;
  deployment: string;
  deploymentVersion: number;
  connector?: string;
  nodes: Record<string, { connector?: string; multiplicity?: number }>;
  /** An order's run: the vendor whose credential and quota it uses. */
  sponsor?: { user: string; order: string };
}

/** Whose credential and quota a launch uses: the sponsoring vendor's for an order's run, else the owner's. */
export const quotaHolder = (request: Pick<LaunchRequest, 'owner' | 'sponsor'>): string => request.sponsor?.user ?? request.owner;

export interface LaunchPlan {
  instances: PlannedInstance[];
  /** Each node's effective image (its chain included). */
  images: Record<string, EffectiveImage>;
  /** The connectors the instances use, by name. */
  connectors: Map<string, ConnectorConfig>;
  /** The user's credential id on each connector used. */
  credentials: Map<string, string>;
  /** Why the launch cannot go ahead (empty when it can). */
  problems: string[];
}

async function effectiveImage(deps: AppDeps, imageId: string): Promise<EffectiveImage | undefined> {
  const load = (id: string) => readHead<ImageDoc>(deps.table, 'image', id);
  const first = await load(imageId);
  return first ? resolveImage(await loadChain(first, load)) : undefined;
}

export async function planLaunch(deps: AppDeps, request: LaunchRequest): Promise<LaunchPlan> {
  const deployment = await readVersion<z.output<typeof Deployment>>(deps.table, 'deployment', request.deployment, request.deploymentVersion);
  if (!deployment) {
    const problem = `deployment ${request.deployment} version ${request.deploymentVersion} does not exist`;
    return { instances: [], images: {}, connectors: new Map(), credentials: new Map(), problems: [problem] };
  }
  const resolved = await Promise.all(deployment.nodes.map(async (node) => [node.name, await effectiveImage(deps, node.image)] as const));
  const images = Object.fromEntries(resolved.filter((entry): entry is readonly [string, EffectiveImage] => entry[1] !== undefined));
  const names = new Set(
    [request.connector, ...deployment.nodes.map((n) => n.connector), ...Object.values(request.nodes).map((o) => o.connector)].filter((c): c is string => !!c),
  );
  const found = await Promise.all([...names].map((n) => getConnector(deps.table, n)));
  const connectors = new Map(found.flatMap((c) => (c ? [[c.name, c] as const] : [])));
  const plan = planRun({
    nodes: deployment.nodes,
    images,
    runConnector: request.connector,
    overrides: request.nodes,
    knownConnectors: new Set(connectors.keys()),
  });
  const used = [...new Set(plan.instances.map((i) => i.connector))];
  const credentials = new Map<string, string>();
  for (const connector of used) {
    const credential = await credentialFor(deps.table, quotaHolder(request), connector);
    if (credential) credentials.set(connector, credential.id);
    else
      plan.problems.push(request.sponsor ? `the vendor has no credential for connector "${connector}"` : `you have no credential for connector "${connector}"`);
  }
  return {
    instances: plan.instances,
    images,
    connectors: new Map([...connectors].filter(([name]) => used.includes(name))),
    credentials,
    problems: plan.problems,
  };
}
