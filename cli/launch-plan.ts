/**
 * `slipway run --plan` and `slipway migrate --plan`: what a launch (or a migration)
 * would do, from `POST /v1/runs?dryRun=true` (or `POST /v1/runs/{id}/migrate?dryRun=true`),
 * without launching. An API from before dry runs would ignore the parameter and
 * launch a real run, so the CLI first checks that the served OpenAPI document
 * declares `dryRun`.
 */
import type { LaunchPlanT, MigrateInputT, RunInputT } from './api-types';
import { seg, type SlipwayClient } from './client';
import { CliError, EXIT } from './exit-codes';
import { table } from './render';

/**
 * The plan as a person reads it: per node, per connector's quota, then the verdict with every refusal.
 * A migration's plan (`migratedFrom`) says so, and shows the VMs the old run holds during the overlap.
 */
export function showLaunchPlan(deployment: string, plan: LaunchPlanT): string {
  const migration = plan.migratedFrom;
  const nodes = table(plan.nodes, [
    { header: 'node', value: (n) => n.node },
    { header: 'count', value: (n) => n.multiplicity },
    { header: 'connector', value: (n) => n.connector },
    { header: 'credential', value: (n) => n.credential },
    { header: 'native image', value: (n) => n.imageId },
    { header: 'instance type', value: (n) => n.instanceType },
  ]);
  const quotas = table(plan.quotas, [
    { header: 'connector', value: (q) => q.connector },
    { header: 'quota', value: (q) => q.maxVms },
    { header: 'used before', value: (q) => q.usedBefore },
    { header: 'needs', value: (q) => q.needs },
    { header: 'used after', value: (q) => q.usedAfter },
    ...(migration ? [{ header: 'held by old run', value: (q: LaunchPlanT['quotas'][number]) => q.heldByMigratedRun ?? 0 }] : []),
  ]);
  const what = migration ? 'A migration' : 'A launch';
  const verdict = plan.refusals.length
    ? `${what} would be refused (${migration ? `run ${migration} would keep running` : 'the run would end Aborted'}):\n${plan.refusals.map((r) => `  - ${r}`).join('\n')}`
    : `${what} would be accepted.`;
  const heading = migration
    ? `Migration plan for run ${migration}: ${deployment} v${plan.deploymentVersion} as a new run (nothing was launched):`
    : `Launch plan for ${deployment} v${plan.deploymentVersion} (nothing was launched):`;
  return [heading, '', plan.nodes.length ? nodes : 'No node could be placed.', ...(plan.quotas.length ? ['', quotas] : []), '', verdict].join('\n');
}

/** Whether the served document declares `dryRun` on `POST <path>` (as the document writes it, e.g. `/v1/runs/{id}/migrate`). */
async function offersDryRun(client: SlipwayClient, path = '/v1/runs'): Promise<boolean> {
  const document = await client.get<{ paths?: Record<string, { post?: { parameters?: { name?: string; in?: string }[] } }> }>('/openapi.json');
  return (document.paths?.[path]?.post?.parameters ?? []).some((p) => p.name === 'dryRun' && p.in === 'query');
}

/**
 * The API's launch plan for `body`.
 * @throws CliError when the API offers no dry runs (nothing is sent), ApiError as it answers
 */
export async function fetchLaunchPlan(client: SlipwayClient, body: RunInputT): Promise<LaunchPlanT> {
  if (!(await offersDryRun(client))) {
    throw new CliError(
      'This Slipway API offers no launch plans yet (POST /v1/runs declares no dryRun parameter in its OpenAPI document); nothing was launched.',
    );
  }
  const plan = await client.post<LaunchPlanT | { id?: string; state?: string }>('/runs', body, { dryRun: true });
  if ('dryRun' in plan && plan.dryRun === true) return plan;
  // Belt and braces: an answer that is a run means one was launched after all; end it at once.
  const launched = (plan as { id?: string }).id;
  if (launched) await client.post(`/runs/${seg(launched)}/terminate`).catch(() => undefined);
  throw new CliError(`The API answered the plan with ${launched ? `run ${launched} (launched; it is being terminated)` : 'something that is not a plan'}.`);
}

/**
 * The API's plan for migrating run `id` as `body` asks.
 * @throws CliError when the API offers no migration plans (nothing is sent), ApiError as it answers
 */
export async function fetchMigrationPlan(client: SlipwayClient, id: string, body: MigrateInputT): Promise<LaunchPlanT> {
  if (!(await offersDryRun(client, '/v1/runs/{id}/migrate'))) {
    throw new CliError(
      'This Slipway API offers no migration plans (POST /v1/runs/{id}/migrate declares no dryRun parameter in its OpenAPI document); nothing was migrated.',
    );
  }
  const plan = await client.post<LaunchPlanT | { id?: string; state?: string }>(`/runs/${seg(id)}/migrate`, body, { dryRun: true });
  if ('dryRun' in plan && plan.dryRun === true) return plan;
  // As for launches: an answer that is a run means a migration started after all; end its new run at once (the old one keeps running).
  const launched = (plan as { id?: string }).id;
  if (launched) await client.post(`/runs/${seg(launched)}/terminate`).catch(() => undefined);
  throw new CliError(`The API answered the plan with ${launched ? `run ${launched} (launched; it is being terminated)` : 'something that is not a plan'}.`);
}

/** 0 when a launch would be accepted, 1 when it would be refused. */
export const planExitCode = (plan: LaunchPlanT) => (plan.launchable && !plan.refusals.length ? EXIT.ok : EXIT.failure);
