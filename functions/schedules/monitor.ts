/**
 * Monitor schedule: for each (connector, credential) with live instances or known
 * orphans, one bulk list call; records state changes, flags drift (a VM gone or
 * stopped behind Slipway's back) as run events, and records orphans (VMs tagged as
 * Slipway's that no live instance owns, each with an `orphan` event on the run its tag
 * names), terminating them once they are older than
 * the connector's `orphanGraceMinutes` (off by default). A tick that finds nothing
 * new writes nothing. One account's cloud failure does not stop the others.
 */
import type { CloudInstance, Connector } from '#connectors/contract';
import { tagKey, vmsByTag } from '#connectors/commons/tag';
import type { AppDeps } from '#functions/commons/deps';
import { logger } from '#functions/commons/observability';
import { isFailedVmState } from '#functions/domain/run-states';
import { openConnector } from '#functions/runs/open-connector';
import { forgetOrphan, listAccountOrphans, listOrphanAccounts, markOrphanTerminated, recordOrphan, type Orphan } from '#functions/store/orphans';
import { credentialOwner } from '#functions/store/credentials';
import { appendEvent, getInstance, getRun, listLiveInstances, tagOf, updateInstance, type InstanceDoc } from '#functions/store/runs';
import { scheduleHandler } from './schedule-handler';
import { isBuildId } from '#functions/domain/builds';

export interface MonitorReport {
  accounts: number;
  updated: number;
  drifted: string[];
  orphans: string[];
  orphansTerminated: string[];
  /** Accounts whose cloud could not be listed this tick, with the reason. */
  failed: string[];
}

interface Account {
  connector: string;
  credentialId: string;
  instances: InstanceDoc[];
}

/** Instances that teardown has not claimed, grouped by cloud account; plus accounts that only have orphans. */
async function accountsToWatch(deps: AppDeps): Promise<Account[]> {
  const accounts = new Map<string, Account>();
  const account = (connector: string, credentialId: string) => {
    const key = `${connector}#${credentialId}`;
    if (!accounts.has(key)) accounts.set(key, { connector, credentialId, instances: [] });
    return accounts.get(key)!;
  };
  for (const i of await listLiveInstances(deps.table)) account(i.connector, i.credentialId).instances.push(i);
  for (const a of await listOrphanAccounts(deps.table)) account(a.connector, a.credentialId);
  return [...accounts.values()];
}

/** A tagged VM no live instance owns, unless its run is still creating it (its intent exists). */
async function isOrphan(deps: AppDeps, vm: CloudInstance, known: Set<string>): Promise<boolean> {
  if (!vm.tag || vm.state === 'terminated' || known.has(tagKey(vm.tag))) return false;
  // An image build's builder VM (tagged with its build id): its build terminates it in every outcome.
  if (isBuildId(vm.tag.run)) return false;
  const intent = await getInstance(deps.table, vm.tag);
  return !intent || intent.phase === 'terminated' || intent.phase === 'terminating';
}

/** Whom an orphan's event goes to: its run's owner, or (the run gone) the owner of the credential that sees it. */
async function orphanOwner(deps: AppDeps, runId: string, credentialId: string): Promise<string | undefined> {
  return (await getRun(deps.table, runId))?.owner ?? (await credentialOwner(deps.table, credentialId));
}

async function watchOrphans(
  deps: AppDeps,
  account: Account,
  cloud: Connector,
  vms: Map<string, CloudInstance>,
  report: MonitorReport,
  graceMinutes?: number,
): Promise<void> {
  const known = new Set(account.instances.map((i) => tagKey(tagOf(i))));
  const recorded = new Map((await listAccountOrphans(deps.table, account.connector, account.credentialId)).map((o) => [o.cloudId, o]));
  const now = deps.now();
  for (const vm of vms.values()) {
    if (!(await isOrphan(deps, vm, known))) continue;
    report.orphans.push(vm.cloudId);
    const isNew = !recorded.has(vm.cloudId);
    const orphan: Orphan = recorded.get(vm.cloudId) ?? {
      connector: account.connector,
      credentialId: account.credentialId,
      cloudId: vm.cloudId,
      tag: vm.tag!,
      rawState: vm.rawState,
      firstSeenAt: now.toISOString(),
    };
    recorded.delete(vm.cloudId);
    if (isNew) {
      await recordOrphan(deps.table, orphan, await orphanOwner(deps, vm.tag!.run, account.credentialId));
      logger.warn('orphan VM found', { connector: account.connector, cloudId: vm.cloudId, run: vm.tag!.run });
    }
    const ageMinutes = (now.getTime() - Date.parse(orphan.firstSeenAt)) / 60_000;
    if (graceMinutes !== undefined && !orphan.terminatedAt && ageMinutes >= graceMinutes) {
      await cloud.terminateInstance(vm.cloudId);
      await markOrphanTerminated(deps.table, orphan, now);
      report.orphansTerminated.push(vm.cloudId);
      logger.warn('orphan VM terminated', { connector: account.connector, cloudId: vm.cloudId, graceMinutes });
    }
  }
  // Recorded orphans the cloud no longer shows are gone: forget them.
  for (const gone of recorded.values()) await forgetOrphan(deps.table, gone);
}

async function watchInstances(deps: AppDeps, account: Account, vms: Map<string, CloudInstance>, report: MonitorReport): Promise<void> {
  // Instances teardown has claimed are Slipway's own terminations, not drift.
  for (const instance of account.instances.filter((i) => i.phase === 'created')) {
    const vm = vms.get(tagKey(tagOf(instance)));
    const state = vm?.state ?? 'terminated';
    if (state === instance.state) continue;
    const drift = !vm || isFailedVmState(state) ? `VM is ${vm?.rawState ?? 'gone'} in the cloud` : undefined;
    const now = deps.now();
    await updateInstance(deps.table, tagOf(instance), { state, rawState: vm?.rawState, ip: vm?.ip, drift }, { read: instance, now });
    report.updated++;
    if (drift) {
      report.drifted.push(instance.name);
      logger.warn('drift', { run: instance.run, instance: instance.name, drift });
      await appendEvent(deps.table, { id: instance.run, owner: instance.owner }, now, {
        type: 'drift',
        instance: instance.name,
        instanceState: state,
        cloudId: instance.cloudId,
        message: `${instance.name}: ${drift}`,
      });
    }
  }
}

export async function monitorInstances(deps: AppDeps): Promise<MonitorReport> {
  const accounts = await accountsToWatch(deps);
  const report: MonitorReport = { accounts: accounts.length, updated: 0, drifted: [], orphans: [], orphansTerminated: [], failed: [] };
  for (const account of accounts) {
    try {
      const { connector, config } = await openConnector(deps, account.connector, account.credentialId);
      const vms = vmsByTag(await connector.listInstances());
      await watchInstances(deps, account, vms, report);
      await watchOrphans(deps, account, connector, vms, report, config.orphanGraceMinutes);
    } catch (error) {
      report.failed.push(`${account.connector}: ${(error as Error).message}`);
      logger.warn('monitor could not check an account', { connector: account.connector, error: error as Error });
    }
  }
  return report;
}

export const handler = scheduleHandler('monitor', monitorInstances);
