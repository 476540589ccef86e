/**
 * What the dashboard shows, gathered from the API as it is: runs (an admin's list holds
 * everyone's), each live run's instances, quotas and this month's usage (per user, for an
 * admin), and the latest events of the most recent runs.
 */
import { get, getAll, seg } from './api';
import { isFinal } from '#functions/domain/run-states';
import type { Connector, Deployment, Page, Quota, Run, RunEvent, UsageRecord, User } from './types';
import type { Role } from './session';

/** Live runs whose instances are read (one request each); the rest are counted by state only. */
const LIVE_RUNS_READ = 50;
/** Runs whose events feed "recent events". */
const RUNS_WITH_EVENTS = 5;
/** Users an admin's quotas and usage are gathered for. */
const USERS_READ = 50;

export interface QuotaRow extends Quota {
  userName?: string;
  vmSeconds: number;
}

export interface DashboardData {
  runs: Run[];
  byState: Map<string, number>;
  /** VMs of live runs: connector → state → count. */
  vms: Map<string, Map<string, number>>;
  quotas: QuotaRow[];
  connectors: Connector[];
  /** Deployment names by id, for the deployments the caller can read. */
  deploymentNames: Map<string, string>;
  events: (RunEvent & { run: string })[];
  /** Set when a list was cut short, to say so on the page. */
  partial: string[];
}

function increment<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export async function loadDashboard(role: Role): Promise<DashboardData> {
  const partial: string[] = [];
  const [runs, connectors, deployments, users] = await Promise.all([
    getAll<Run>('/runs'),
    getAll<Connector>('/connectors'),
    getAll<Deployment>('/deployments'),
    role === 'admin' ? getAll<User>('/users', {}, 1) : Promise.resolve(undefined),
  ]);
  const byState = new Map<string, number>();
  for (const run of runs) increment(byState, run.state);

  const live = runs.filter((run) => !isFinal(run.state));
  if (live.length > LIVE_RUNS_READ) partial.push(`VMs of the ${LIVE_RUNS_READ} most recent live runs only`);
  const detailed = await Promise.all(live.slice(0, LIVE_RUNS_READ).map((run) => get<Run>(`/runs/${seg(run.id)}`)));
  const vms = new Map<string, Map<string, number>>();
  for (const instance of detailed.flatMap((run) => run.instances ?? [])) {
    const states = vms.get(instance.connector) ?? new Map<string, number>();
    increment(states, instance.state);
    vms.set(instance.connector, states);
  }

  const readers = users ? users.slice(0, USERS_READ) : [undefined];
  if (users && users.length > USERS_READ) partial.push(`quotas and usage of the first ${USERS_READ} users only`);
  const quotas = (
    await Promise.all(
      readers.map(async (user) => {
        const query = user ? { user: user.id } : {};
        const [quotaList, usage] = await Promise.all([getAll<Quota>('/quotas', query), getAll<UsageRecord>('/usage', query)]);
        return quotaList.map((quota) => ({
          ...quota,
          userName: user?.name,
          vmSeconds: usage.filter((u) => u.connector === quota.connector).reduce((sum, u) => sum + u.vmSeconds, 0),
        }));
      }),
    )
  ).flat();

  const recent = runs.slice(0, RUNS_WITH_EVENTS);
  const events = (
    await Promise.all(
      recent.map(async (run) => (await get<Page<RunEvent>>(`/runs/${seg(run.id)}/events`, { limit: 100 })).items.map((event) => ({ ...event, run: run.id }))),
    )
  )
    .flat()
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, 15);

  return { runs, byState, vms, quotas, connectors, deploymentNames: new Map(deployments.map((d) => [d.id, d.name])), events, partial };
}
