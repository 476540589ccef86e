/**
 * InitializeRun: resolve the deployment version, image chains and native ids,
 * plan the instances, find the user's credential per connector, and record every
 * instance's intent before any VM exists. Unsatisfiable runs fail here, naming why.
 */
import { connectorKind } from '#connectors/registry';
import { maxPollsWithin } from '#functions/domain/boot-polling';
import { RunNotSatisfiableError } from '#functions/domain/errors';
import { loadChain, resolveImage, type EffectiveImage, type ImageDoc } from '#functions/domain/images';
import { planRun } from '#functions/domain/run-plan';
import type { AppDeps } from '#functions/commons/deps';
import type { z } from 'zod';
import type { Deployment } from '#functions/schemas/deployments';
import { getConnector } from '#functions/store/connectors';
import { credentialFor } from '#functions/store/credentials';
import { getRun, putInstanceIntent, recordImageVersions, type InstanceDoc } from '#functions/store/runs';
import { readHead, readVersion } from '#functions/store/versioned';
import { groupByConnector, type ConnectorGroup } from '#functions/runs/connector-groups';
import { stepHandler, type RunInput } from './step';

/** How long VMs get to boot and report before the run is aborted. */
export const BOOT_DEADLINE_SECONDS = 15 * 60;

export interface RunPlan {
  groups: ConnectorGroup[];
  pollSeconds: number;
  maxPolls: number;
}

async function effectiveImage(deps: AppDeps, imageId: string): Promise<EffectiveImage | undefined> {
  const load = (id: string) => readHead<ImageDoc>(deps.table, 'image', id);
  const first = await load(imageId);
  return first ? resolveImage(await loadChain(first, load)) : undefined;
}

export async function initializeRun({ runId }: RunInput, deps: AppDeps): Promise<RunPlan> {
  const run = await getRun(deps.table, runId);
  if (!run) throw new RunNotSatisfiableError(`run ${runId} does not exist`);
  const deployment = await readVersion<z.output<typeof Deployment>>(deps.table, 'deployment', run.deployment, run.deploymentVersion);
  if (!deployment) throw new RunNotSatisfiableError(`deployment ${run.deployment} version ${run.deploymentVersion} does not exist`);
  const images: Record<string, EffectiveImage> = {};
  for (const node of deployment.nodes) {
    const image = await effectiveImage(deps, node.image);
    if (image) images[node.name] = image;
  }
  const names = new Set(
    [run.connector, ...deployment.nodes.map((n) => n.connector), ...Object.values(run.nodes).map((o) => o.connector)].filter((c): c is string => !!c),
  );
  const configs = new Map((await Promise.all([...names].map((n) => getConnector(deps.table, n)))).flatMap((c) => (c ? [[c.name, c] as const] : [])));
  const plan = planRun({ nodes: deployment.nodes, images, runConnector: run.connector, overrides: run.nodes, knownConnectors: new Set(configs.keys()) });
  const used = [...new Set(plan.instances.map((i) => i.connector))];
  const credentials = new Map<string, string>();
  for (const connector of used) {
    const credential = await credentialFor(deps.table, run.owner, connector);
    if (credential) credentials.set(connector, credential.id);
    else plan.problems.push(`you have no credential for connector "${connector}"`);
  }
  if (plan.problems.length) throw new RunNotSatisfiableError(plan.problems.join('; '));

  for (const planned of plan.instances) {
    const intent: InstanceDoc = {
      ...planned,
      run: runId,
      credentialId: credentials.get(planned.connector)!,
      phase: 'planned',
      state: 'pending',
      parameters: {},
    };
    await putInstanceIntent(deps.table, intent);
  }
  await recordImageVersions(deps.table, runId, Object.fromEntries(Object.entries(images).map(([node, image]) => [node, image.chain])));
  const pollSeconds = Math.min(...used.map((c) => connectorKind(configs.get(c)!.kind).pollSeconds(configs.get(c)!)));
  return {
    groups: await groupByConnector(deps.table, runId, plan.instances),
    pollSeconds,
    maxPolls: maxPollsWithin(BOOT_DEADLINE_SECONDS, pollSeconds),
  };
}

export const handler = stepHandler(initializeRun, { name: 'InitializeRun' });
