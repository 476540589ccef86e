/** Runs: launch a deployment, watch it, read its instances and parameters, terminate it. */
import { isFinal } from '#functions/domain/run-states';
import type { AppDeps } from '#functions/commons/deps';
import { idFrom, newId } from '#functions/commons/ids';
import { METRIC } from '#functions/commons/observability';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldError } from '#functions/domain/errors';
import { previewLaunch } from '#functions/runs/launch-preview';
import { launchRun } from '#functions/runs/launch-run';
import { requestTermination } from '#functions/runs/run-executions';
import { requestScale } from '#functions/runs/scale-run';
import { previewMigration, requestMigration } from '#functions/runs/migrate-run';
import { getConnector } from '#functions/store/connectors';
import { listRunEvents, listRuns } from '#functions/store/run-listing';
import { getRun, getRunWithInstances, listRunInstances, updateInstance, type InstanceDoc, type RunDoc } from '#functions/store/runs';
import { userOf, type Caller } from '../kit/auth';
import { answer, route } from '../kit/route';
import { IdParams, PageQuery, pageOf } from '#functions/schemas/common';
import * as z from 'zod';
import {
  Instance,
  LaunchPlan,
  MigrateInput,
  Parameter,
  ParameterParams,
  ParameterValue,
  Run,
  RunEvent,
  RunInput,
  RunLaunchQuery,
  RunListQuery,
  RunPage,
  ScaleInput,
} from '#functions/schemas/runs';
import { findDeployment } from './deployments';
import { toInstanceResponse, toRunResponse } from './run-responses';

/** A run the caller owns (or any run, for an admin); a run token sees only its own run. */
/** A run's owner, an admin, or the run's own VMs may see it. */
function mayRead(caller: Caller, run: RunDoc): boolean {
  return caller.kind === 'run' ? caller.runId === run.id : caller.kind === 'user' && (caller.role === 'admin' || run.owner === caller.userId);
}

/**
 * What a launch and its preflight plan both refuse with 400: an unknown deployment,
 * connector or node, an expiry in the past. Returns the deployment's version to pin.
 * @throws ValidationError listing every bad field
 */
async function checkLaunch(deps: AppDeps, who: ReturnType<typeof userOf>, body: z.output<typeof RunInput>) {
  const errors: FieldError[] = [];
  const named: { path: string; name: string }[] = [
    { path: 'body.connector', name: body.connector },
    ...Object.entries(body.nodes).map(([n, o]) => ({ path: `body.nodes.${n}.connector`, name: o.connector })),
  ].flatMap((c) => (c.name ? [{ path: c.path, name: c.name }] : []));
  // The deployment and the connectors are independent look-ups: one round trip of latency, not several.
  const [deployment, connectors] = await Promise.all([
    findDeployment(deps, who, body.deployment, { need: 'run' }).catch(() => undefined),
    Promise.all(named.map(({ name }) => getConnector(deps.table, name))),
  ]);
  if (!deployment) errors.push({ path: 'body.deployment', message: `no deployment "${body.deployment}"` });
  named.forEach(({ path, name }, i) => {
    if (!connectors[i]) errors.push({ path, message: `no connector "${name}"` });
  });
  for (const node of Object.keys(body.nodes)) {
    if (deployment && !deployment.nodes.some((n) => n.name === node))
      errors.push({ path: `body.nodes.${node}`, message: `the deployment has no node "${node}"` });
  }
  if (body.expiresAt && Date.parse(body.expiresAt) <= deps.now().getTime()) errors.push({ path: 'body.expiresAt', message: 'must be in the future' });
  if (errors.length || !deployment) throw new ValidationError(`${errors.length} invalid field(s)`, errors);
  return deployment;
}

async function visibleRun(deps: AppDeps, caller: Caller, id: string): Promise<RunDoc> {
  const run = await getRun(deps.table, id);
  if (!run || !mayRead(caller, run)) throw new NotFoundError(`run ${id} not found`);
  return run;
}

export const runRoutes = [
  route({
    key: 'POST /v1/runs',
    operationId: 'launchRun',
    summary: 'Launch a run of a deployment, or with ?dryRun=true show what the launch would do (200) without doing it',
    access: 'user',
    query: RunLaunchQuery,
    body: RunInput,
    response: z.union([Run, LaunchPlan]),
    alsoSucceedsWith: [200],
    counts: METRIC.runsStarted,
    async handle({ caller, query, body, idempotencyKey }, deps) {
      const who = userOf(caller);
      const deployment = await checkLaunch(deps, who, body);
      const request = { owner: who.userId, deployment: deployment.id, deploymentVersion: deployment.version, connector: body.connector, nodes: body.nodes };
      if (query.dryRun === 'true') return answer(200, await previewLaunch(deps, request));
      const made = await launchRun(deps, {
        // With an Idempotency-Key the id comes from it: a retry after a crash finds the run the first attempt made.
        id: idempotencyKey ? idFrom('run', `${who.userId}\n${idempotencyKey}`) : newId('run'),
        ...request,
        expiresAt: body.expiresAt,
        tags: body.tags,
      });
      if (!made || made.owner !== who.userId) throw new ConflictError('a run with this Idempotency-Key exists already');
      return toRunResponse(made, []);
    },
  }),
  route({
    key: 'GET /v1/runs',
    operationId: 'listRuns',
    summary: 'List runs, newest first, optionally by state or deployment (without their instances)',
    access: 'user',
    query: RunListQuery,
    response: RunPage,
    async handle({ caller, query }, deps) {
      const { state, deployment, ...page } = query;
      const who = userOf(caller);
      // A name or an id; an id of a deployment gone since still finds its runs.
      const deploymentId =
        deployment === undefined ? undefined : ((await findDeployment(deps, who, deployment, { need: 'read' }).catch(() => undefined))?.id ?? deployment);
      const runs = await listRuns(deps.table, who, { state, deployment: deploymentId }, page);
      return { items: runs.items.map((run) => toRunResponse(run)), nextCursor: runs.nextCursor };
    },
  }),
  route({
    key: 'GET /v1/runs/{id}',
    operationId: 'getRun',
    summary: 'Read a run with its instances',
    access: 'user',
    params: IdParams,
    response: Run,
    async handle({ caller, params }, deps) {
      const found = await getRunWithInstances(deps.table, params.id);
      if (!found || !mayRead(caller, found.run)) throw new NotFoundError(`run ${params.id} not found`);
      return toRunResponse(found.run, found.instances);
    },
  }),
  route({
    key: 'POST /v1/runs/{id}/terminate',
    operationId: 'terminateRun',
    summary: 'Terminate a run: every VM it made is terminated and its quota released (202; 200 when it is already Finalizing, Done or Aborted)',
    access: 'user',
    params: IdParams,
    response: Run,
    status: 202,
    alsoSucceedsWith: [200],
    async handle({ caller, params }, deps) {
      const run = await visibleRun(deps, caller, params.id);
      const started = await requestTermination(deps, run, 'termination requested');
      const [after, instances] = await Promise.all([getRun(deps.table, run.id), listRunInstances(deps.table, run.id)]);
      const body = toRunResponse(after ?? run, instances);
      return started ? body : answer(200, body);
    },
  }),
  route({
    key: 'POST /v1/runs/{id}/scale',
    operationId: 'scaleRun',
    summary:
      "Scale a node of a Ready run to `multiplicity` instances (202, the run Scaling): the added VMs' quota is reserved first (409 and nothing changed when it does not fit); removed instances are the highest indexes",
    access: 'user',
    params: IdParams,
    body: ScaleInput,
    response: Run,
    status: 202,
    async handle({ caller, params, body, idempotencyKey }, deps) {
      const run = await visibleRun(deps, caller, params.id);
      // With an Idempotency-Key the scale's id comes from it: a retry after a crash resumes the same scale.
      const scaleId = idempotencyKey ? idFrom('scl', `${run.id}\n${idempotencyKey}`) : newId('scl');
      await requestScale(deps, run, body, scaleId);
      const [after, instances] = await Promise.all([getRun(deps.table, run.id), listRunInstances(deps.table, run.id)]);
      return toRunResponse(after ?? run, instances);
    },
  }),
  route({
    key: 'POST /v1/runs/{id}/migrate',
    operationId: 'migrateRun',
    summary:
      "Migrate a Ready run: the same deployment version as a new run (201, `migratedFrom`) on the target clouds; once it is Ready the old run terminates (`migratedTo`), if it fails the old run keeps running. ?dryRun=true shows the plan (200), with the old run's VMs still held during the overlap",
    access: 'user',
    params: IdParams,
    query: RunLaunchQuery,
    body: MigrateInput,
    response: z.union([Run, LaunchPlan]),
    status: 201,
    alsoSucceedsWith: [200],
    async handle({ caller, params, query, body, idempotencyKey }, deps) {
      const old = await visibleRun(deps, caller, params.id);
      if (query.dryRun === 'true') return answer(200, await previewMigration(deps, old, body));
      // With an Idempotency-Key the new run's id comes from it: a retry after a crash resumes the same migration.
      const to = idempotencyKey ? idFrom('run', `${old.id}\nmigrate\n${idempotencyKey}`) : newId('run');
      const made = await requestMigration(deps, old, body, to);
      return toRunResponse(made, []);
    },
  }),
  route({
    key: 'GET /v1/runs/{id}/events',
    operationId: 'listRunEvents',
    summary: "A run's events, oldest first",
    access: 'user',
    params: IdParams,
    query: PageQuery,
    response: pageOf(RunEvent),
    async handle({ caller, params, query }, deps) {
      const run = await visibleRun(deps, caller, params.id);
      const events = await listRunEvents(deps.table, run.id, query);
      return { items: events.items.map(({ at, type, state, message }) => ({ at, type, state, message })), nextCursor: events.nextCursor };
    },
  }),
  route({
    key: 'GET /v1/runs/{id}/instances',
    operationId: 'listRunInstances',
    summary: "A run's instances (VMs)",
    access: 'user',
    params: IdParams,
    response: pageOf(Instance),
    async handle({ caller, params }, deps) {
      const run = await visibleRun(deps, caller, params.id);
      return { items: (await listRunInstances(deps.table, run.id)).map(toInstanceResponse), nextCursor: null };
    },
  }),
  route({
    key: 'GET /v1/runs/{id}/parameters/{parameter}',
    operationId: 'getRunParameter',
    summary: 'Read one instance parameter ("node.index:name")',
    access: 'user-or-run-token',
    params: ParameterParams,
    response: Parameter,
    async handle({ caller, params }, deps) {
      const run = await visibleRun(deps, caller, params.id);
      const { instance, name } = await findParameterTarget(deps, run.id, params.parameter);
      const value = instance.parameters[name];
      if (value === undefined) throw new NotFoundError(`parameter ${params.parameter} is not set`);
      return { name: params.parameter, value };
    },
  }),
  route({
    key: 'PUT /v1/runs/{id}/parameters/{parameter}',
    operationId: 'setRunParameter',
    summary: "Set one instance parameter: how a VM's boot script publishes outputs (with its run token)",
    access: 'user-or-run-token',
    params: ParameterParams,
    body: ParameterValue,
    response: Parameter,
    async handle({ caller, params, body }, deps) {
      const run = await visibleRun(deps, caller, params.id);
      if (isFinal(run.state)) throw new ForbiddenError(`run ${run.id} is ${run.state}`);
      const { instance, name } = await findParameterTarget(deps, run.id, params.parameter);
      await updateInstance(deps.table, instance, { parameters: { ...instance.parameters, [name]: body.value } });
      return { name: params.parameter, value: body.value };
    },
  }),
];

async function findParameterTarget(deps: AppDeps, runId: string, parameter: string): Promise<{ instance: InstanceDoc; name: string }> {
  const [, node, index, name] = /^(.+)\.(\d+):(.+)$/.exec(parameter)!;
  const instance = (await listRunInstances(deps.table, runId)).find((i) => i.node === node && i.index === Number(index));
  if (!instance) throw new NotFoundError(`run ${runId} has no instance ${node}.${index}`);
  return { instance: { ...instance, run: runId }, name: name! };
}
