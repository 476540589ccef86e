/**
 * CheckInstances: one bulk list per connector and credential; records each VM's
 * state and what its guest published, hands outputs to dependent nodes' inputs,
 * and says whether every instance is ready. Counts polls for the boot deadline.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { NotReadyYetError, PermanentCloudError } from '#connectors/errors';
import type { AppDeps } from '#functions/commons/deps';
import { resolveInputs } from '#functions/domain/run-plan';
import { openConnector } from '#functions/runs/open-connector';
import { keys } from '#functions/store/keys';
import { listRunInstances, tagOf, updateInstance, type InstanceDoc } from '#functions/store/runs';
import { stepHandler, type RunInput } from './step';

const tagKey = (node: string, index: number) => `${node}#${index}`;

async function refresh(deps: AppDeps, runId: string, group: InstanceDoc[]): Promise<void> {
  const { connector } = await openConnector(deps, group[0]!.connector, group[0]!.credentialId);
  const vms = new Map((await connector.listInstances({ run: runId })).flatMap((vm) => (vm.tag ? [[tagKey(vm.tag.node, vm.tag.index), vm] as const] : [])));
  for (const instance of group) {
    const vm = vms.get(tagKey(instance.node, instance.index));
    if (!vm) throw new NotReadyYetError(`VM ${instance.name} is not listed by the cloud yet`);
    if (['error', 'terminated', 'stopped', 'stopping'].includes(vm.state)) {
      throw new PermanentCloudError(`VM ${instance.name} is ${vm.rawState} in the cloud`);
    }
    const parameters = { ...instance.parameters, ...vm.published };
    const reported = vm.published !== undefined || parameters.ready === 'true';
    instance.parameters = parameters;
    instance.state = vm.state;
    instance.ready = vm.state === 'running' && (instance.readiness === 'running' || reported);
    await updateInstance(deps.table, tagOf(instance), { state: vm.state, rawState: vm.rawState, ip: vm.ip, parameters, ready: instance.ready });
  }
}

export async function checkInstances({ runId }: RunInput, deps: AppDeps): Promise<{ ready: boolean; polls: number }> {
  const instances = await listRunInstances(deps.table, runId);
  const groups = new Map<string, InstanceDoc[]>();
  for (const i of instances) groups.set(`${i.connector}#${i.credentialId}`, [...(groups.get(`${i.connector}#${i.credentialId}`) ?? []), i]);
  for (const group of groups.values()) await refresh(deps, runId, group);

  let ready = instances.length > 0;
  for (const instance of instances) {
    const { values, missing } = resolveInputs(instance.inputs, (n, i, name) => instances.find((s) => s.node === n && s.index === i)?.parameters[name]);
    if (Object.keys(values).some((k) => instance.parameters[k] !== values[k])) {
      instance.parameters = { ...instance.parameters, ...values };
      await updateInstance(deps.table, tagOf(instance), { parameters: instance.parameters });
    }
    ready &&= instance.ready === true && missing.length === 0;
  }
  const out = await deps.table.doc.send(
    new UpdateCommand({
      TableName: deps.table.name,
      Key: keys.run(runId),
      UpdateExpression: 'ADD bootPolls :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return { ready, polls: Number(out.Attributes?.bootPolls ?? 1) };
}

export const handler = stepHandler(checkInstances);
