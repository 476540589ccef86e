/**
 * CreateInstance: make one VM, idempotently. The intent moves planned → creating
 * before the cloud call; the connector finds a VM already made for the tag; and
 * if teardown claimed the instance meanwhile, the VM just made is terminated again.
 */
import type { AppDeps } from '#functions/commons/deps';
import { hashToken, newSecretToken } from '#functions/commons/api-keys';
import type { Connector, InstanceTag } from '#connectors/contract';
import { tagKey, vmsByTag } from '#connectors/commons/tag';
import { builtInParameters, liveSources, resolveInputs } from '#functions/domain/parameters';
import { openConnector } from '#functions/runs/open-connector';
import { putRunToken } from '#functions/store/run-tokens';
import { addBudgetWait, getInstance, listRunInstances, liveInstanceIndex, tagOf, updateInstance } from '#functions/store/runs';
import { stepHandler, type InstanceInput } from './step';

/**
 * After a failed create: if teardown claimed the instance meanwhile, nobody will
 * retry this create, yet the cloud may have made the VM before the failure (a lost
 * response). Find it by its tag and terminate it, so nothing is left behind.
 */
async function undoIfClaimed(deps: AppDeps, connector: Connector, tag: InstanceTag): Promise<void> {
  const now = await getInstance(deps.table, tag);
  if (now?.phase === 'creating') return; // a retry of this step will find the VM by its tag
  const vm = vmsByTag(await connector.listInstances({ run: tag.run })).get(tagKey(tag));
  if (vm && vm.state !== 'terminated') await connector.terminateInstance(vm.cloudId);
}

export async function createInstance({ runId, node, index }: InstanceInput, deps: AppDeps): Promise<void> {
  const instance = await getInstance(deps.table, { run: runId, node, index });
  if (!instance) throw new Error(`instance ${node}.${index} of run ${runId} was never planned`);
  const tag = tagOf(instance);
  // In the live-instances index from now on: a connector or credential in use cannot be deleted while its VM is being made.
  if (!(await updateInstance(deps.table, tag, { phase: 'creating', ...liveInstanceIndex(instance) }, { onlyIfPhase: ['planned', 'creating'] }))) return;

  const { connector, budget } = await openConnector(deps, instance.connector, instance.credentialId);
  const token = newSecretToken('run');
  const now = deps.now();
  await putRunToken(deps.table, hashToken(token), { runId, instance: instance.name }, now);
  // Only a node with inputs needs its siblings' parameters: reading them for every create would cost N² items.
  const siblings = Object.keys(instance.inputs).length ? await listRunInstances(deps.table, runId) : [];
  const sources = liveSources(siblings);
  const { values } = resolveInputs(instance.inputs, sources.published, sources.indexesOf);
  const apiUrl = deps.config.apiUrl();
  const vm = await connector
    .createInstance({
      tag,
      name: instance.name,
      imageId: instance.imageId,
      instanceType: instance.instanceType,
      cpu: instance.cpu,
      ramMb: instance.ramMb,
      diskGb: instance.diskGb,
      boot: {
        recipe: instance.recipe,
        outputs: instance.outputs,
        inputs: values,
        callbackUrl: apiUrl ? `${apiUrl}/v1/runs/${runId}/parameters` : undefined,
        token,
        readiness: instance.readiness,
      },
    })
    .catch(async (error: unknown) => {
      await undoIfClaimed(deps, connector, tag);
      throw error;
    });
  const saved = await updateInstance(
    deps.table,
    tag,
    {
      phase: 'created',
      cloudId: vm.cloudId,
      state: vm.state,
      rawState: vm.rawState,
      ip: vm.ip,
      createdAt: now.toISOString(),
      tokenHash: hashToken(token),
      parameters: { ...builtInParameters(vm), ...instance.parameters },
      ...liveInstanceIndex(instance),
    },
    { onlyIfPhase: ['creating'], read: { ...instance, phase: 'creating' }, now },
  );
  // Teardown claimed this instance while the cloud was creating it: undo the create.
  if (!saved) await connector.terminateInstance(vm.cloudId);
  await addBudgetWait(deps.table, runId, budget?.waitedMs() ?? 0);
}

export const handler = stepHandler(createInstance, { name: 'CreateInstance' });
