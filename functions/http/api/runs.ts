/** Runs: launch a deployment, watch it, read its instances and parameters, terminate it. */
import type { AppDeps } from '#functions/commons/deps';
import { newId } from '#functions/commons/ids';
import { ForbiddenError, NotFoundError, ValidationError, type FieldError } from '#functions/domain/errors';
import { requestTermination, startRunExecution } from '#functions/runs/terminate';
import { getConnector } from '#functions/store/connectors';
import { queryPage } from '#functions/store/items';
import { indexKeys, keys } from '#functions/store/keys';
import { appendEvent, getRun, listRunInstances, putRun, updateInstance, type InstanceDoc, type RunDoc } from '#functions/store/runs';
import { TABLE } from '#functions/store/table';
import { userOf, type Caller } from '../kit/auth';
import { route } from '../kit/route';
import { IdParams, PageQuery, pageOf } from '../schemas/common';
import { Instance, ParameterParams, ParameterValue, Run, RunEvent, RunInput, RunListQuery } from '../schemas/runs';
import { findDeployment } from './deployments';

const instanceView = (i: InstanceDoc) => ({
  name: i.name, node: i.node, index: i.index, connector: i.connector, cloudId: i.cloudId, state: i.state,
  rawState: i.rawState, ip: i.ip, ready: i.ready, parameters: i.parameters, error: i.error, drift: i.drift,
});

/** A run the caller owns (or any run, for an admin); a run token sees only its own run. */
async function visibleRun(deps: AppDeps, caller: Caller, id: string): Promise<RunDoc> {
  const run = await getRun(deps.table, id);
  const allowed =
    run && (caller.kind === 'run' ? caller.runId === id : caller.kind === 'user' && (caller.role === 'admin' || run.owner === caller.userId));
  if (!run || !allowed) throw new NotFoundError(`run ${id} not found`);
  return run;
}

export const runRoutes = [
  route({
    key: 'POST /v1/runs',
    summary: 'Launch a run of a deployment',
    access: 'user',
    body: RunInput,
    response: Run,
    async handle({ caller, body }, deps) {
      const who = userOf(caller);
      const errors: FieldError[] = [];
      const deployment = await findDeployment(deps, who, body.deployment).catch(() => undefined);
      if (!deployment) errors.push({ path: 'body.deployment', message: `no deployment "${body.deployment}"` });
      const named = [['body.connector', body.connector], ...Object.entries(body.nodes).map(([n, o]) => [`body.nodes.${n}.connector`, o.connector])];
      for (const [path, name] of named) {
        if (name && !(await getConnector(deps.table, name))) errors.push({ path: path!, message: `no connector "${name}"` });
      }
      for (const node of Object.keys(body.nodes)) {
        if (deployment && !deployment.nodes.some((n) => n.name === node)) errors.push({ path: `body.nodes.${node}`, message: `the deployment has no node "${node}"` });
      }
      const now = deps.now();
      if (body.expiresAt && Date.parse(body.expiresAt) <= now.getTime()) errors.push({ path: 'body.expiresAt', message: 'must be in the future' });
      if (errors.length || !deployment) throw new ValidationError(`${errors.length} invalid field(s)`, errors);
      const run: RunDoc = {
        id: newId('run'), owner: who.userId, deployment: deployment.id, deploymentVersion: deployment.version,
        connector: body.connector, nodes: body.nodes, state: 'Initializing',
        expiresAt: body.expiresAt ? new Date(body.expiresAt).toISOString() : undefined, tags: body.tags,
        createdAt: now.toISOString(), updatedAt: now.toISOString(), version: 1,
      };
      await putRun(deps.table, run);
      await appendEvent(deps.table, run.id, now, { type: 'state', state: 'Initializing', message: 'run created' });
      await startRunExecution(deps, deps.config.deployStateMachineArn(), run.id);
      return run;
    },
  }),
  route({
    key: 'GET /v1/runs',
    summary: 'List runs, newest first, optionally by state or deployment',
    access: 'user',
    query: RunListQuery,
    response: pageOf(Run),
    handle({ caller, query }, deps) {
      const who = userOf(caller);
      const filters = [query.state && '#state = :state', query.deployment && '#deployment = :deployment'].filter(Boolean);
      const index = who.isAdmin ? TABLE.indexes.byType : TABLE.indexes.byOwner;
      const pk = who.isAdmin ? indexKeys.byType('run', '').gsi2pk : indexKeys.byOwner('run', who.userId, '').gsi1pk;
      return queryPage(
        deps.table,
        {
          IndexName: index.name,
          KeyConditionExpression: `${index.partitionKey} = :pk`,
          ScanIndexForward: false,
          ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
          ExpressionAttributeNames: filters.length ? { ...(query.state ? { '#state': 'state' } : {}), ...(query.deployment ? { '#deployment': 'deployment' } : {}) } : undefined,
          ExpressionAttributeValues: { ':pk': pk, ...(query.state ? { ':state': query.state } : {}), ...(query.deployment ? { ':deployment': query.deployment } : {}) },
        },
        query,
      );
    },
  }),
  route({
    key: 'GET /v1/runs/{id}',
    summary: 'Read a run with its instances',
    access: 'user',
    params: IdParams,
    response: Run,
    async handle({ caller, params }, deps) {
      const run = await visibleRun(deps, caller, params.id);
      return { ...run, instances: (await listRunInstances(deps.table, run.id)).map(instanceView) };
    },
  }),
  route({
    key: 'POST /v1/runs/{id}/terminate',
    summary: 'Terminate a run: every VM it made is terminated and its quota released',
    access: 'user',
    params: IdParams,
    response: Run,
    status: 202,
    async handle({ caller, params }, deps) {
      const run = await visibleRun(deps, caller, params.id);
      await requestTermination(deps, run, 'termination requested');
      return getRun(deps.table, run.id);
    },
  }),
  route({
    key: 'GET /v1/runs/{id}/events',
    summary: "A run's events, oldest first",
    access: 'user',
    params: IdParams,
    query: PageQuery,
    response: pageOf(RunEvent),
    async handle({ caller, params, query }, deps) {
      const run = await visibleRun(deps, caller, params.id);
      const prefix = keys.runEventPrefix(run.id);
      return queryPage(deps.table, { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)', ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.skPrefix } }, query, (item) => ({
        at: item.at, type: item.type, state: item.state, message: item.message,
      }));
    },
  }),
  route({
    key: 'GET /v1/runs/{id}/instances',
    summary: "A run's instances (VMs)",
    access: 'user',
    params: IdParams,
    response: pageOf(Instance),
    async handle({ caller, params }, deps) {
      const run = await visibleRun(deps, caller, params.id);
      return { items: (await listRunInstances(deps.table, run.id)).map(instanceView), nextCursor: null };
    },
  }),
  route({
    key: 'GET /v1/runs/{id}/parameters/{parameter}',
    summary: 'Read one instance parameter ("node.index:name")',
    access: 'user-or-run-token',
    params: ParameterParams,
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
    summary: "Set one instance parameter: how a VM's boot script publishes outputs (with its run token)",
    access: 'user-or-run-token',
    params: ParameterParams,
    body: ParameterValue,
    async handle({ caller, params, body }, deps) {
      const run = await visibleRun(deps, caller, params.id);
      if (['Done', 'Aborted'].includes(run.state)) throw new ForbiddenError(`run ${run.id} is ${run.state}`);
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
