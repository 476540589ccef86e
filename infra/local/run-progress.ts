/**
 * `npm start`'s account of runs in words: every event of every run (its states,
 * its instances' creation and states, termination) and when each instance is
 * ready (node, instance, connector, address), read from the table as the API
 * would show them. The handlers log requests; this says what the runs are doing,
 * without the handlers knowing they run locally.
 */
import type { DeploymentInputT } from '#functions/schemas/deployments';
import { listRunEvents, listRuns } from '#functions/store/run-listing';
import { getRunWithInstances, type InstanceDoc } from '#functions/store/runs';
import { getUser } from '#functions/store/users';
import type { TableClient } from '#functions/store/table-client';
import { getVersioned, type VersionedMeta } from '#functions/store/versioned';

const EVERYONE = { userId: '', isAdmin: true };
const FINAL = new Set(['Done', 'Aborted']);
/** The newest runs looked at on each pass (older live runs already followed stay followed). */
const NEWEST = 25;

interface Followed {
  /** Events already told (a run picked up in flight starts at its current count). */
  events: number;
  /** Each instance as last told. */
  instances: Map<string, InstanceDoc>;
}

export interface RunProgressLog {
  stop(): Promise<void>;
}

const clock = (now: Date) => now.toISOString().slice(11, 19);

const isReady = (instance: InstanceDoc) => instance.state === 'running' && instance.ready === true;

/**
 * What the run's events do not tell about `instance` since `before` (absent: first
 * seen): that it became ready, where, and at which address, or that it failed.
 * (Its creation and state changes are events of the run.)
 */
function instanceNews(instance: InstanceDoc, before: InstanceDoc | undefined): string | undefined {
  const which = `node ${instance.node}, instance ${instance.name} on ${instance.connector}`;
  if (instance.error && instance.error !== before?.error) return `${which}: error: ${instance.error}`;
  if (isReady(instance) && !(before && isReady(before)))
    return `${which}: ready${instance.ip ? `, ip ${instance.ip}` : ''}${instance.cloudId ? ` (${instance.cloudId})` : ''}`;
  return undefined;
}

/**
 * Polls the table every `intervalMs` and writes one line per change with `write`.
 * Runs already over at the first pass are not told again; runs in flight are picked up where they are.
 */
export function logRunProgress(table: TableClient, write: (line: string) => void, options: { intervalMs?: number; now?: () => Date } = {}): RunProgressLog {
  const now = options.now ?? (() => new Date());
  const followed = new Map<string, Followed>();
  const done = new Set<string>();
  let first = true;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let failing = false;

  const say = (runId: string, words: string) => write(`${clock(now())} run ${runId}: ${words}`);

  /** Tells what changed in run `runId`; `fresh`: launched since this log started (else picked up in flight). */
  async function follow(runId: string, fresh: boolean): Promise<void> {
    const found = await getRunWithInstances(table, runId);
    if (!found) return;
    const { run, instances } = found;
    const events = (await listRunEvents(table, runId, { limit: 100 })).items;
    let seen = followed.get(runId);
    if (!seen) {
      // A run picked up in flight starts from where it is, not from its history.
      seen = { events: fresh ? 1 : events.length, instances: new Map() };
      followed.set(runId, seen);
      const deployment = await getVersioned<DeploymentInputT & VersionedMeta>(table, 'deployment', run.deployment, EVERYONE, {
        version: run.deploymentVersion,
      }).catch(() => undefined);
      const owner = (await getUser(table, run.owner).catch(() => undefined))?.name ?? run.owner;
      const what = `${deployment?.name ?? run.deployment} v${run.deploymentVersion} for ${owner}`;
      say(runId, fresh ? `launched: ${what}` : `in flight: ${what}, ${run.state}`);
    }
    for (const event of events.slice(seen.events)) say(runId, event.message);
    seen.events = Math.max(seen.events, events.length);
    for (const instance of instances) {
      const words = instanceNews(instance, seen.instances.get(instance.name));
      if (words) say(runId, words);
      seen.instances.set(instance.name, instance);
    }
    if (FINAL.has(run.state)) {
      if (run.abortReason) say(runId, `aborted because ${run.abortReason}`);
      followed.delete(runId);
      done.add(runId);
    }
  }

  async function pass(): Promise<void> {
    const newest = (await listRuns(table, EVERYONE, {}, { limit: NEWEST })).items;
    const ids = new Set(followed.keys());
    for (const run of newest) {
      if (done.has(run.id) || followed.has(run.id)) continue;
      if (first && FINAL.has(run.state)) done.add(run.id);
      else ids.add(run.id);
    }
    for (const id of ids) await follow(id, !first);
    first = false;
  }

  async function loop(): Promise<void> {
    if (stopped) return;
    try {
      await pass();
      failing = false;
    } catch (error) {
      if (!failing) console.error(`run progress: cannot read runs (${(error as Error).message}); retrying`);
      failing = true;
    }
    if (!stopped) timer = setTimeout(() => void (running = loop()), options.intervalMs ?? 1000);
  }
  let running = loop();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
