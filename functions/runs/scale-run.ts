/**
 * Scaling a node of a Ready run (`POST /v1/runs/{id}/scale`): plan which instances
 * to add or remove, move the run to Scaling with the added VMs' quota reserved (one
 * transaction: a refusal changes nothing), record the new instances' intents, and
 * start the scale execution (`slipway-scale-run`, named after the scale id), which
 * creates, terminates, waits and moves the run back to Ready. Every part is
 * re-entrant: BeginScale writes the same intents again if this call crashed before.
 */
import { connectorKind } from '#connectors/registry';
import type { AppDeps } from '#functions/commons/deps';
import { maxPollsWithin } from '#functions/domain/boot-polling';
import { ConflictError, ValidationError } from '#functions/domain/errors';
import { planScale } from '#functions/domain/scale-plan';
import { getConnector } from '#functions/store/connectors';
import { startScale } from '#functions/store/scales';
import { listRunInstances, putInstanceIntent, type InstanceDoc, type RunDoc } from '#functions/store/runs';
import { instanceWork, type InstanceWork } from './instance-work';
import { quotaHolder } from './launch-plan';
import { startExecution } from './run-executions';

/** How long a scale's new VMs get to boot and report (as a deploy's). */
export const SCALE_BOOT_DEADLINE_SECONDS = 15 * 60;

const isLive = (i: InstanceDoc) => i.phase !== 'terminating' && i.phase !== 'terminated';

/** The new instances' intents, made like the node's live instance with the lowest index (same image, connector, credential, inputs). */
export function scaleIntents(template: InstanceDoc, add: number[]): InstanceDoc[] {
  return add.map((index) => ({
    run: template.run,
    owner: template.owner,
    credentialId: template.credentialId,
    node: template.node,
    index,
    name: `${template.node}.${index}`,
    connector: template.connector,
    imageId: template.imageId,
    instanceType: template.instanceType,
    cpu: template.cpu,
    ramMb: template.ramMb,
    diskGb: template.diskGb,
    readiness: template.readiness,
    recipe: template.recipe,
    outputs: template.outputs,
    inputs: template.inputs,
    phase: 'planned',
    state: 'pending',
    parameters: {},
  }));
}

function templateOf(instances: InstanceDoc[], node: string): InstanceDoc | undefined {
  return instances.filter((i) => i.node === node && isLive(i)).sort((a, b) => a.index - b.index)[0];
}

/**
 * Starts a scale of `node` to `multiplicity`.
 * @throws ValidationError (no such node), ConflictError (not Ready, or already that many), QuotaExceededError (nothing changed)
 */
export async function requestScale(deps: AppDeps, run: RunDoc, request: { node: string; multiplicity: number }, scaleId: string): Promise<void> {
  if (run.scaling?.id !== scaleId) {
    if (run.state !== 'Ready') throw new ConflictError(`run ${run.id} is ${run.state}: only a Ready run can be scaled`);
    const instances = await listRunInstances(deps.table, run.id);
    const template = templateOf(instances, request.node);
    if (!template) throw new ValidationError('1 invalid field(s)', [{ path: 'body.node', message: `the run has no node "${request.node}"` }]);
    const plan = planScale(instances, request.node, request.multiplicity);
    if (!plan.add.length && !plan.remove.length) throw new ConflictError(`node ${request.node} has ${plan.from} instance(s) already`);
    const holder = quotaHolder(run);
    await startScale(deps.table, run.id, { ...plan, id: scaleId, connector: template.connector, holder }, run.bootPolls ?? 0, deps.now());
    await putIntents(deps, scaleIntents(template, plan.add));
  }
  await startExecution(deps, deps.config.scaleStateMachineArn(), scaleId, { runId: run.id, scaleId });
}

async function putIntents(deps: AppDeps, intents: InstanceDoc[]): Promise<void> {
  await Promise.all(intents.map((intent) => putInstanceIntent(deps.table, intent)));
}

export interface ScaleWork {
  add: InstanceWork['instances'];
  remove: InstanceWork['instances'];
  maxIaasWorkers: number;
  pollSeconds: number;
  maxPolls: number;
  pollsBefore: number;
}

/**
 * What the scale execution works on, with the added instances' intents written (again).
 * @throws ConflictError when `scaleId` is not the run's scale in progress
 */
export async function scaleWork(deps: AppDeps, run: RunDoc, scaleId: string): Promise<ScaleWork> {
  const scaling = run.scaling;
  if (run.state !== 'Scaling' || scaling?.id !== scaleId) throw new ConflictError(`run ${run.id} is ${run.state}, not in scale ${scaleId}`);
  const instances = await listRunInstances(deps.table, run.id);
  const template = instances.filter((i) => i.node === scaling.node).sort((a, b) => a.index - b.index)[0]!;
  const known = new Set(instances.map((i) => `${i.node}.${i.index}`));
  await putIntents(
    deps,
    scaleIntents(template, scaling.add).filter((i) => !known.has(i.name)),
  );
  const byIndex = (indexes: number[]) => indexes.map((index) => ({ node: scaling.node, index, connector: template.connector }));
  const [add, remove] = await Promise.all([instanceWork(deps.table, run.id, byIndex(scaling.add)), instanceWork(deps.table, run.id, byIndex(scaling.remove))]);
  const config = await getConnector(deps.table, template.connector);
  const pollSeconds = config ? connectorKind(config.kind).pollSeconds(config) : 5;
  return {
    add: add.instances,
    remove: remove.instances,
    maxIaasWorkers: add.maxIaasWorkers,
    pollSeconds,
    maxPolls: maxPollsWithin(SCALE_BOOT_DEADLINE_SECONDS, pollSeconds),
    pollsBefore: scaling.pollsBefore,
  };
}

/** VMs per connector a scale gives back at its end: the added ones that hold no VM (rolled back or never made) and the removed ones terminated. */
export function scaleGiveBack(scaling: NonNullable<RunDoc['scaling']>, instances: InstanceDoc[], connector: string, done: boolean): Record<string, number> {
  const at = (index: number) => instances.find((i) => i.node === scaling.node && i.index === index);
  const addedFreed = done ? 0 : scaling.add.filter((index) => !at(index) || at(index)!.phase === 'terminated').length;
  const removedFreed = scaling.remove.filter((index) => at(index)?.phase === 'terminated').length;
  return { [connector]: addedFreed + removedFreed };
}
