/**
 * CheckInstances: one bulk list per connector and credential; records each VM's
 * state and what its guest published, hands outputs to dependent nodes' inputs,
 * and says whether every instance is ready. Counts polls for the boot deadline.
 */
import { NotReadyYetError, PermanentCloudError } from '#connectors/errors';
import type { AppDeps } from '#functions/commons/deps';
import { tagKey, vmsByTag } from '#connectors/commons/tag';
import { nextWaitSeconds } from '#functions/domain/boot-polling';
import { builtInParameters, FAILED_PARAMETER, liveSources, READY_PARAMETER, resolveInputs } from '#functions/domain/parameters';
import { isFailedVmState } from '#functions/domain/run-states';
import { openConnector } from '#functions/runs/open-connector';
import { addBudgetWait, countBootPoll, listRunInstances, tagOf, updateInstance, type InstanceDoc } from '#functions/store/runs';
import { stepHandler, type RunInput } from './step';

async function refresh(deps: AppDeps, runId: string, group: InstanceDoc[]): Promise<void> {
  const { connector, budget } = await openConnector(deps, group[0]!.connector, group[0]!.credentialId);
  const vms = vmsByTag(await connector.listInstances({ run: runId }));
  for (const instance of group) {
    const vm = vms.get(tagKey(tagOf(instance)));
    if (!vm) throw new NotReadyYetError(`VM ${instance.name} is not listed by the cloud yet`);
    if (isFailedVmState(vm.state)) throw new PermanentCloudError(`VM ${instance.name} is ${vm.rawState} in the cloud`);
    // Built-ins first: a value the guest published (or an earlier poll kept) wins.
    const parameters = { ...builtInParameters(vm), ...instance.parameters, ...vm.published };
    const failed = parameters[FAILED_PARAMETER];
    if (failed !== undefined) throw new PermanentCloudError(`the recipe of ${instance.name} failed: ${failed}`);
    const reported = vm.published !== undefined || parameters[READY_PARAMETER] === 'true';
    const read = { ...instance };
    instance.parameters = parameters;
    instance.state = vm.state;
    instance.ready = vm.state === 'running' && (instance.readiness === 'running' || reported);
    await updateInstance(
      deps.table,
      tagOf(instance),
      { state: vm.state, rawState: vm.rawState, ip: vm.ip, parameters, ready: instance.ready },
      { read, now: deps.now() },
    );
  }
  await addBudgetWait(deps.table, runId, budget?.waitedMs() ?? 0);
}

/**
 * `waitSeconds`: how long to wait before the next look, when not every instance is ready yet.
 * Only live instances count (a scale's removed ones are terminated); `pollsBefore` is the run's
 * poll count when a scale started, so a scale's boot deadline and waits count its own looks.
 */
export async function checkInstances(
  { runId, pollSeconds = 1, pollsBefore = 0 }: RunInput & { pollSeconds?: number; pollsBefore?: number },
  deps: AppDeps,
): Promise<{ ready: boolean; polls: number; waitSeconds: number }> {
  const instances = (await listRunInstances(deps.table, runId)).filter((i) => i.phase !== 'terminating' && i.phase !== 'terminated');
  const groups = new Map<string, InstanceDoc[]>();
  for (const i of instances) groups.set(`${i.connector}#${i.credentialId}`, [...(groups.get(`${i.connector}#${i.credentialId}`) ?? []), i]);
  for (const group of groups.values()) await refresh(deps, runId, group);

  let ready = instances.length > 0;
  const sources = liveSources(instances);
  for (const instance of instances) {
    const { values, missing } = resolveInputs(instance.inputs, sources.published, sources.indexesOf);
    if (Object.keys(values).some((k) => instance.parameters[k] !== values[k])) {
      instance.parameters = { ...instance.parameters, ...values };
      await updateInstance(deps.table, tagOf(instance), { parameters: instance.parameters });
    }
    ready &&= instance.ready === true && missing.length === 0;
  }
  const polls = (await countBootPoll(deps.table, runId)) - pollsBefore;
  return { ready, polls, waitSeconds: nextWaitSeconds(pollSeconds, polls) };
}

export const handler = stepHandler(checkInstances, { name: 'CheckInstances' });
