/**
 * The last safety net of a run's end: ask each cloud account the run used for the
 * VMs tagged with the run, and terminate any still alive. It finds what no record
 * knows of (a create whose response was lost after teardown had passed), so that
 * nothing a run created is left behind in any outcome.
 */
import type { AppDeps } from '#functions/commons/deps';
import type { InstanceDoc } from '#functions/store/runs';
import { openConnector } from './open-connector';

export interface SweepResult {
  /** Cloud ids of the VMs the sweep terminated. */
  terminated: string[];
  /** Accounts the sweep could not check or clean, with the cloud's reason. */
  failures: string[];
}

export async function sweepLeftoverVms(
  deps: AppDeps,
  runId: string,
  instances: Pick<InstanceDoc, 'connector' | 'credentialId' | 'cloudId' | 'phase'>[],
): Promise<SweepResult> {
  // VMs teardown already terminated may still show as shutting down: no second call for them.
  const handled = new Set(instances.flatMap((i) => (i.phase === 'terminated' && i.cloudId ? [i.cloudId] : [])));
  const accounts = new Map(instances.map((i) => [`${i.connector}#${i.credentialId}`, i] as const));
  const result: SweepResult = { terminated: [], failures: [] };
  for (const { connector: name, credentialId } of accounts.values()) {
    try {
      const { connector } = await openConnector(deps, name, credentialId);
      for (const vm of await connector.listInstances({ run: runId })) {
        if (vm.state === 'terminated' || vm.tag?.run !== runId || handled.has(vm.cloudId)) continue;
        await connector.terminateInstance(vm.cloudId);
        result.terminated.push(vm.cloudId);
      }
    } catch (error) {
      result.failures.push(`${name}: ${(error as Error).message}`);
    }
  }
  return result;
}
