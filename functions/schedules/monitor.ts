/**
 * Monitor schedule: for each (connector, credential) with live instances, one bulk
 * list call; records state changes, flags drift (a VM gone or stopped behind
 * Slipway's back) and orphans (VMs tagged for a run that holds no such instance).
 */
import type { AppDeps } from '#functions/commons/deps';
import { appDeps } from '#functions/commons/deps';
import { openConnector } from '#functions/runs/open-connector';
import { queryAll, toResource } from '#functions/store/items';
import { appendEvent, tagOf, updateInstance, type InstanceDoc } from '#functions/store/runs';
import { TABLE } from '#functions/store/table';

export interface MonitorReport {
  accounts: number;
  updated: number;
  drifted: string[];
  orphans: string[];
}

export async function monitorInstances(deps: AppDeps): Promise<MonitorReport> {
  const index = TABLE.indexes.liveRuns;
  const live = (await queryAll(deps.table, { IndexName: index.name, KeyConditionExpression: `${index.partitionKey} = :pk`, ExpressionAttributeValues: { ':pk': 'LIVE' } })).map((i) =>
    toResource<InstanceDoc>(i),
  );
  const accounts = new Map<string, InstanceDoc[]>();
  for (const i of live) accounts.set(`${i.connector}#${i.credentialId}`, [...(accounts.get(`${i.connector}#${i.credentialId}`) ?? []), i]);
  const report: MonitorReport = { accounts: accounts.size, updated: 0, drifted: [], orphans: [] };
  for (const instances of accounts.values()) {
    const { connector } = await openConnector(deps, instances[0]!.connector, instances[0]!.credentialId);
    const vms = await connector.listInstances();
    const known = new Set(instances.map((i) => `${i.run}#${i.node}#${i.index}`));
    for (const vm of vms) {
      if (vm.tag && vm.state !== 'terminated' && !known.has(`${vm.tag.run}#${vm.tag.node}#${vm.tag.index}`)) report.orphans.push(vm.cloudId);
    }
    for (const instance of instances) {
      const vm = vms.find((v) => v.tag?.run === instance.run && v.tag.node === instance.node && v.tag.index === instance.index);
      const state = vm?.state ?? 'terminated';
      if (state === instance.state) continue;
      const drift = !vm || ['terminated', 'stopped', 'error'].includes(state) ? `VM is ${vm?.rawState ?? 'gone'} in the cloud` : undefined;
      await updateInstance(deps.table, tagOf(instance), { state, rawState: vm?.rawState, ip: vm?.ip, drift });
      report.updated++;
      if (drift) {
        report.drifted.push(instance.name);
        await appendEvent(deps.table, instance.run, deps.now(), { type: 'drift', message: `${instance.name}: ${drift}` });
      }
    }
  }
  return report;
}

export const handler = () => monitorInstances(appDeps());
