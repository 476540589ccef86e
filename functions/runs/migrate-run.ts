/**
 * Migrating a Ready run (`POST /v1/runs/{id}/migrate`): the same deployment version,
 * with each node's current instance count, launched as a new run on the target
 * clouds through the shared launch code (`migratedFrom` names the old run), then the
 * `slipway-migrate-run` execution (named after the new run) waits for it: Ready →
 * the old run is asked to terminate and names the new one (`migratedTo`); Aborted or
 * past the deadline → the new run is torn down and the old one keeps running. Both
 * runs hold their quota during the overlap, which the migration's plan shows.
 */
import type { AppDeps } from '#functions/commons/deps';
import { ConflictError, ValidationError, type FieldError } from '#functions/domain/errors';
import { MIGRATION_MAX_POLLS } from '#functions/domain/migration';
import { isFinal } from '#functions/domain/run-states';
import type { LaunchPlanResponse } from '#functions/schemas/runs';
import { getConnector } from '#functions/store/connectors';
import { quotaFor } from '#functions/store/quotas';
import { endMigration, markMigrating } from '#functions/store/migrations';
import { getRun, listRunInstances, type RunDoc } from '#functions/store/runs';
import { quotaHolder, type LaunchRequest } from './launch-plan';
import { previewLaunch } from './launch-preview';
import { launchRun } from './launch-run';
import { requestTermination, startExecution } from './run-executions';

export interface MigrateRequest {
  connector?: string;
  nodes: Record<string, { connector: string }>;
}

/**
 * The new run's launch: the old run's deployment version and owner, each node's live
 * instance count, and the target connectors (`connector` for every node, `nodes` per node).
 * @throws ValidationError naming unknown connectors or nodes
 */
export async function migrationRequest(deps: AppDeps, old: RunDoc, body: MigrateRequest): Promise<LaunchRequest> {
  const instances = (await listRunInstances(deps.table, old.id)).filter((i) => i.phase !== 'terminating' && i.phase !== 'terminated');
  const counts = new Map<string, { count: number; connector: string }>();
  for (const i of instances) counts.set(i.node, { count: (counts.get(i.node)?.count ?? 0) + 1, connector: i.connector });
  const errors: FieldError[] = [];
  for (const node of Object.keys(body.nodes)) if (!counts.has(node)) errors.push({ path: `body.nodes.${node}`, message: `the run has no node "${node}"` });
  const named = [
    ...(body.connector ? [{ path: 'body.connector', name: body.connector }] : []),
    ...Object.entries(body.nodes).map(([n, o]) => ({ path: `body.nodes.${n}.connector`, name: o.connector })),
  ];
  const found = await Promise.all(named.map(({ name }) => getConnector(deps.table, name)));
  named.forEach(({ path, name }, i) => {
    if (!found[i]) errors.push({ path, message: `no connector "${name}"` });
  });
  if (errors.length) throw new ValidationError(`${errors.length} invalid field(s)`, errors);
  const nodes = Object.fromEntries(
    [...counts].map(([node, { count, connector }]) => [node, { multiplicity: count, connector: body.nodes[node]?.connector ?? body.connector ?? connector }]),
  );
  return {
    owner: old.owner,
    deployment: old.deployment,
    deploymentVersion: old.deploymentVersion,
    connector: body.connector ?? old.connector,
    nodes,
    ...(old.sponsor ? { sponsor: old.sponsor } : {}),
  };
}

const mustBeReady = (old: RunDoc) => {
  if (old.state !== 'Ready') throw new ConflictError(`run ${old.id} is ${old.state}: only a Ready run can be migrated`);
};

/** The migration's preflight plan: the new run's, with the VMs the old run still holds on each connector during the overlap. */
export async function previewMigration(deps: AppDeps, old: RunDoc, body: MigrateRequest): Promise<LaunchPlanResponse> {
  mustBeReady(old);
  const plan = await previewLaunch(deps, await migrationRequest(deps, old, body));
  const live = (await listRunInstances(deps.table, old.id)).filter((i) => i.phase !== 'terminated');
  const heldOn = (connector: string) => live.filter((i) => i.connector === connector).length;
  // The old run's connectors the new run does not use: still held during the overlap, nothing more needed.
  const others = [...new Set(live.map((i) => i.connector))].filter((c) => !plan.quotas.some((q) => q.connector === c)).sort();
  const limits = await Promise.all(others.map((c) => quotaFor(deps.table, quotaHolder(old), c)));
  return {
    ...plan,
    migratedFrom: old.id,
    quotas: [
      ...plan.quotas.map((q) => (heldOn(q.connector) ? { ...q, heldByMigratedRun: heldOn(q.connector) } : q)),
      ...others.map((connector, i) => {
        const usedBefore = limits[i]?.used ?? 0;
        return { connector, maxVms: limits[i]?.maxVms ?? 0, usedBefore, needs: 0, usedAfter: usedBefore, heldByMigratedRun: heldOn(connector) };
      }),
    ],
  };
}

/**
 * Starts the migration of `old` to a new run `newId`.
 * @returns the new run as stored
 * @throws ConflictError when `old` is not Ready or migrates already
 */
export async function requestMigration(deps: AppDeps, old: RunDoc, body: MigrateRequest, newId: string): Promise<RunDoc> {
  if (old.migrating !== newId) mustBeReady(old);
  const request = await migrationRequest(deps, old, body);
  await markMigrating(deps.table, old, newId, deps.now());
  const made = await launchRun(deps, { id: newId, ...request, migratedFrom: old.id, expiresAt: old.expiresAt, tags: old.tags });
  if (!made) throw new ConflictError(`run ${newId} could not be launched`);
  await startExecution(deps, deps.config.migrateStateMachineArn(), newId, { runId: newId, from: old.id });
  return made;
}

export type MigrationStatus = 'waiting' | 'switched' | 'failed';

/**
 * One look at a migration's new run `runId` (from `from`): Ready → the old run names it and
 * is asked to terminate; ended or past the deadline → the new run is torn down, the old one stays.
 */
export async function checkMigration(
  deps: AppDeps,
  input: { runId: string; from: string; polls?: number },
): Promise<{ status: MigrationStatus; polls: number }> {
  const polls = (input.polls ?? 0) + 1;
  const now = deps.now();
  const run = await getRun(deps.table, input.runId);
  if (run?.state === 'Ready') {
    await endMigration(deps.table, input.from, input.runId, true, `migrated to run ${input.runId}, which is Ready: this run terminates`, now);
    const old = await getRun(deps.table, input.from);
    if (old && !isFinal(old.state)) await requestTermination(deps, old, `migrated to run ${input.runId}`);
    return { status: 'switched', polls };
  }
  const ended = !run || isFinal(run.state) || run.state === 'Finalizing';
  if (!ended && polls < MIGRATION_MAX_POLLS) return { status: 'waiting', polls };
  if (run && !ended) await requestTermination(deps, run, 'the migration deadline passed before this run was Ready');
  const why = run?.abortReason ?? (ended ? `it is ${run?.state ?? 'gone'}` : 'it was not Ready in time');
  await endMigration(deps.table, input.from, input.runId, false, `migration to run ${input.runId} failed (${why}): this run keeps running`, now);
  return { status: 'failed', polls };
}
