/**
 * TerminateInstance: claim the instance for teardown (a create still in flight
 * then undoes itself), find its VM by id or by tag, terminate it.
 */
import type { AppDeps } from '#functions/commons/deps';
import { openConnector } from '#functions/runs/open-connector';
import { getItem, toResource } from '#functions/store/items';
import { keys } from '#functions/store/keys';
import { tagOf, updateInstance, type InstanceDoc } from '#functions/store/runs';
import { TABLE } from '#functions/store/table';
import { stepHandler, type InstanceInput } from './step';

const live = TABLE.indexes.liveRuns;

export async function terminateInstance({ runId, node, index }: InstanceInput, deps: AppDeps): Promise<void> {
  const item = await getItem(deps.table, keys.instance(runId, node, index));
  if (!item) return;
  const instance = toResource<InstanceDoc>(item);
  if (instance.phase === 'terminated') return;
  const tag = tagOf(instance);
  await updateInstance(deps.table, tag, { phase: 'terminating' });
  // Never handed to the cloud: no create can be in flight (creates start only from planned/creating).
  if (instance.phase !== 'planned') {
    const { connector } = await openConnector(deps, instance.connector, instance.credentialId);
    const cloudId =
      instance.cloudId ?? (await connector.listInstances({ run: runId })).find((vm) => vm.tag?.node === node && vm.tag.index === index)?.cloudId;
    if (cloudId) await connector.terminateInstance(cloudId);
  }
  await updateInstance(
    deps.table,
    tag,
    { phase: 'terminated', state: 'terminated', terminatedAt: deps.now().toISOString() },
    { remove: [live.partitionKey, live.sortKey] },
  );
}

export const handler = stepHandler(terminateInstance);
