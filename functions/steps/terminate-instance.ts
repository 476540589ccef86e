/**
 * TerminateInstance: claim the instance for teardown (a create still in flight
 * then undoes itself), find its VM by id or by tag, terminate it.
 */
import type { AppDeps } from '#functions/commons/deps';
import { tagKey, vmsByTag } from '#connectors/commons/tag';
import { openConnector } from '#functions/runs/open-connector';
import { getInstance, LIVE_INDEX_ATTRIBUTES, tagOf, updateInstance } from '#functions/store/runs';
import { stepHandler, type InstanceInput } from './step';

export async function terminateInstance({ runId, node, index }: InstanceInput, deps: AppDeps): Promise<void> {
  const instance = await getInstance(deps.table, { run: runId, node, index });
  if (!instance) return;
  if (instance.phase === 'terminated') return;
  const tag = tagOf(instance);
  // Claimed on the phase read, so a create that starts meanwhile (planned → creating) is seen:
  // a claim from `planned` that holds means no create can start any more.
  const claimedUnstarted = instance.phase === 'planned' && (await updateInstance(deps.table, tag, { phase: 'terminating' }, { onlyIfPhase: ['planned'] }));
  if (!claimedUnstarted) {
    await updateInstance(deps.table, tag, { phase: 'terminating' });
    const { connector } = await openConnector(deps, instance.connector, instance.credentialId);
    const cloudId = instance.cloudId ?? vmsByTag(await connector.listInstances({ run: runId })).get(tagKey(tag))?.cloudId;
    if (cloudId) await connector.terminateInstance(cloudId);
  }
  await updateInstance(
    deps.table,
    tag,
    { phase: 'terminated', state: 'terminated', terminatedAt: deps.now().toISOString() },
    { remove: [...LIVE_INDEX_ATTRIBUTES], now: deps.now() },
  );
}

export const handler = stepHandler(terminateInstance, { name: 'TerminateInstance' });
