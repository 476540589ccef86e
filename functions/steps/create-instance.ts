/**
 * CreateInstance: make one VM, idempotently. The intent moves planned → creating
 * before the cloud call; the connector finds a VM already made for the tag; and
 * if teardown claimed the instance meanwhile, the VM just made is terminated again.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '#functions/commons/deps';
import { hashToken, newSecretToken } from '#functions/commons/api-keys';
import { resolveInputs } from '#functions/domain/run-plan';
import { openConnector } from '#functions/runs/open-connector';
import { getItem, toResource } from '#functions/store/items';
import { indexKeys, keys } from '#functions/store/keys';
import { listRunInstances, tagOf, updateInstance, type InstanceDoc } from '#functions/store/runs';
import { TABLE } from '#functions/store/table';
import { stepHandler, type InstanceInput } from './step';

/** Run tokens outlive any run's boot; the table forgets them after this. */
const TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

export async function createInstance({ runId, node, index }: InstanceInput, deps: AppDeps): Promise<void> {
  const item = await getItem(deps.table, keys.instance(runId, node, index));
  if (!item) throw new Error(`instance ${node}.${index} of run ${runId} was never planned`);
  const instance = toResource<InstanceDoc>(item);
  const tag = tagOf(instance);
  if (!(await updateInstance(deps.table, tag, { phase: 'creating' }, { onlyIfPhase: ['planned', 'creating'] }))) return;

  const { connector } = await openConnector(deps, instance.connector, instance.credentialId);
  const token = newSecretToken('run');
  const now = deps.now();
  await deps.table.doc.send(
    new PutCommand({
      TableName: deps.table.name,
      Item: { ...keys.apiKey(hashToken(token)), runId, instance: instance.name, [TABLE.ttlAttribute]: Math.floor(now.getTime() / 1000) + TOKEN_TTL_SECONDS },
    }),
  );
  const siblings = await listRunInstances(deps.table, runId);
  const { values } = resolveInputs(instance.inputs, (n, i, name) => siblings.find((s) => s.node === n && s.index === i)?.parameters[name]);
  const apiUrl = deps.config.apiUrl();
  const vm = await connector.createInstance({
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
      ...indexKeys.liveRuns(instance.connector, instance.credentialId, `${runId}#${instance.name}`),
    },
    { onlyIfPhase: ['creating'] },
  );
  // Teardown claimed this instance while the cloud was creating it: undo the create.
  if (!saved) await connector.terminateInstance(vm.cloudId);
}

export const handler = stepHandler(createInstance);
