/**
 * Launching a run: store it (Initializing, with its first event) and start its
 * deploy execution, named after the run id. `POST /v1/runs` launches a user's run
 * this way, and an order's LaunchOrderRun step launches the customer's run on the
 * vendor's credential (`sponsor`) the same way. A launch with an id already used
 * (a retry after a crash: the id comes from an Idempotency-Key, or from the order
 * and its attempt) finds the run the first launch stored and makes sure it started.
 */
import type { AppDeps } from '#functions/commons/deps';
import { getRun, putRun, type RunDoc } from '#functions/store/runs';
import type { LaunchRequest } from './launch-plan';
import { startRunExecution } from './run-executions';

export interface RunLaunch extends LaunchRequest {
  id: string;
  /** A migration's new run: the run it re-deploys. */
  migratedFrom?: string;
  expiresAt?: string;
  tags: Record<string, string>;
}

/**
 * @returns the run as stored: this launch's, or the one stored before under the same id
 *   (whose owner the caller checks), undefined when that id's run is gone
 */
export async function launchRun(deps: AppDeps, launch: RunLaunch): Promise<RunDoc | undefined> {
  const at = deps.now().toISOString();
  const run: RunDoc = {
    id: launch.id,
    owner: launch.owner,
    deployment: launch.deployment,
    deploymentVersion: launch.deploymentVersion,
    connector: launch.connector,
    nodes: launch.nodes,
    state: 'Initializing',
    expiresAt: launch.expiresAt ? new Date(launch.expiresAt).toISOString() : undefined,
    tags: launch.tags,
    ...(launch.sponsor ? { sponsor: launch.sponsor } : {}),
    ...(launch.migratedFrom ? { migratedFrom: launch.migratedFrom } : {}),
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  const made = (await putRun(deps.table, run)) ? run : await getRun(deps.table, run.id);
  if (made && made.owner === launch.owner) await startRunExecution(deps, deps.config.deployStateMachineArn(), made.id);
  return made;
}
