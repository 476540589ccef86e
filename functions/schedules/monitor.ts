/**
 * Monitor schedule: for each (connector, credential) with live instances, one bulk
 * list call; records state changes, flags drift (a VM gone or stopped behind
 * Slipway's back) and orphans (VMs tagged for a run that holds no such instance).
 */
import type { AppDeps } from '#functions/commons/deps';
import { scheduleHandler } from './schedule-handler';
import { tagKey, vmsByTag } from '#connectors/commons/tag';
import { isFailedVmState } from '#functions/domain/run-states';
import { openConnector } from '#functions/runs/open-connector';
import { appendEvent, listLiveInstances, tagOf, updateInstance, type InstanceDoc } from '#functions/store/runs';

export interface MonitorReport {
  accounts: number;
  updated: number;
  drifted: string[];
  orphans: string[];
}

export async function monitorInstances(deps: AppDeps): Promise<MonitorReport> {
  const live = await listLiveInstances(deps.table);
  const accounts = new Map<string, InstanceDoc[]>();
  for (const i of live) accounts.set(`${i.connector}#${i.credentialId}`, [...(accounts.get(`${i.connector}#${i.credentialId}`) ?? []), i]);
  const report: MonitorReport = { accounts: accounts.size, updated: 0, drifted: [], orphans: [] };
  for (const instances of accounts.values()) {
    const { connector } = await openConnector(deps, instances[0]!.connector, instances[0]!.credentialId);
    const vms = vmsByTag(await connector.listInstances());
    const known = new Set(instances.map((i) => tagKey(tagOf(i))));
    for (const [key, vm] of vms) {
      if (vm.state !== 'terminated' && !known.has(key)) report.orphans.push(vm.cloudId);
    }
    for (const instance of instances) {
      const vm = vms.get(tagKey(tagOf(instance)));
      const state = vm?.state ?? 'terminated';
      if (state === instance.state) continue;
      const drift = !vm || isFailedVmState(state) ? `VM is ${vm?.rawState ?? 'gone'} in the cloud` : undefined;
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

export const handler = scheduleHandler('monitor', monitorInstances);
