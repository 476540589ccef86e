/** Deployments: version-controlled sets of nodes whose inputs map to other nodes' outputs. */
import { ValidationError, type FieldError } from '#functions/domain/errors';
import { checkGraph } from '#functions/domain/deployment-graph';
import { BUILT_IN_PARAMETERS, parseSource } from '#functions/domain/parameters';
import { loadChain, resolveImage, type ImageDoc } from '#functions/domain/images';
import { projectFilterOf } from '#functions/domain/projects';
import { newId } from '#functions/commons/ids';
import type { AppDeps } from '#functions/commons/deps';
import { getConnector } from '#functions/store/connectors';
import { resolveRef, type Visibility } from '#functions/store/resources';
import { createVersioned, getVersioned, listVersioned, updateVersioned, type Need, type VersionedMeta } from '#functions/store/versioned';
import { userOf } from '../kit/auth';
import { route } from '../kit/route';
import { projectOnto } from '../kit/project';
import { grantRoutes } from './grant-routes';
import { versionedRoutes } from './versioned-routes';
import { IdParams, VersionQuery } from '#functions/schemas/common';
import { CreateDeploymentBody, Deployment, DeploymentListQuery, DeploymentPage, DeploymentUpdate, type DeploymentInputT } from '#functions/schemas/deployments';
import { findImage } from './images';

export type DeploymentDoc = DeploymentInputT & VersionedMeta;

/**
 * A deployment by id, path or name (paths and names are the caller's own; a shared one
 * goes by its id; a bare name is looked for in project `within` first), if the caller
 * may use it as `need` says. The default, `run`, is what launching a run
 * needs (`POST /v1/runs` calls this with three arguments); reads pass `read`, changes `own`.
 */
export async function findDeployment(
  deps: AppDeps,
  who: Visibility,
  ref: string,
  options: { version?: number; need?: Need; within?: string } = {},
): Promise<DeploymentDoc> {
  const id = (await resolveRef(deps.table, 'deployment', who.userId, ref, 'dep', options.within)) ?? ref;
  return getVersioned<DeploymentDoc>(deps.table, 'deployment', id, who, { need: 'run', ...options });
}

/** Resolves node images to ids and checks connectors, graph, and that mapped outputs exist. */
async function checkNodes(deps: AppDeps, who: Visibility, input: DeploymentInputT): Promise<DeploymentInputT> {
  const errors: FieldError[] = checkGraph(input.nodes);
  const outputs = new Map<string, Set<string>>();
  const nodes = await Promise.all(
    input.nodes.map(async (node, i) => {
      const image = await findImage(deps, who, node.image, { need: 'run', within: input.project }).catch(() => undefined);
      if (!image) {
        errors.push({ path: `body.nodes.${i}.image`, message: `no image "${node.image}" that you may run` });
        return node;
      }
      const loadAny = (id: string) => getVersioned<ImageDoc & VersionedMeta>(deps.table, 'image', id, { userId: '', isAdmin: true }).catch(() => undefined);
      const chain = await loadChain(image, loadAny).catch((error: Error) => error);
      if (chain instanceof Error) {
        errors.push({ path: `body.nodes.${i}.image`, message: chain.message });
        return node;
      }
      const effective = resolveImage(chain);
      outputs.set(node.name, new Set([...BUILT_IN_PARAMETERS, ...effective.outputs.map((o) => o.name)]));
      if (node.connector && !(await getConnector(deps.table, node.connector))) {
        errors.push({ path: `body.nodes.${i}.connector`, message: `no connector "${node.connector}"` });
      }
      return { ...node, image: image.id };
    }),
  );
  input.nodes.forEach((node, i) => {
    for (const [param, mapping] of Object.entries(node.inputs)) {
      const source = parseSource(mapping);
      const published = source && outputs.get(source.node);
      if (source && published && !published.has(source.output)) {
        errors.push({ path: `body.nodes.${i}.inputs.${param}`, message: `node "${source.node}" publishes no output "${source.output}"` });
      }
    }
  });
  if (errors.length) throw new ValidationError(`${errors.length} problem(s) with the nodes`, errors);
  return { ...input, nodes };
}

export const deploymentRoutes = [
  route({
    key: 'POST /v1/deployments',
    operationId: 'createDeployment',
    summary: 'Create a deployment',
    access: 'user',
    body: CreateDeploymentBody,
    response: Deployment,
    async handle({ caller, body }, deps) {
      const who = userOf(caller);
      const now = deps.now().toISOString();
      const checked = await checkNodes(deps, who, body);
      const doc = { ...checked, id: newId('dep'), owner: who.userId, version: 1, createdAt: now, updatedAt: now };
      return projectOnto(Deployment, await createVersioned(deps.table, 'deployment', doc));
    },
  }),
  route({
    key: 'GET /v1/deployments',
    operationId: 'listDeployments',
    summary: "List deployments (by path; an admin: everyone's), of one project with ?project=",
    access: 'user',
    query: DeploymentListQuery,
    response: DeploymentPage,
    async handle({ caller, query }, deps) {
      const page = await listVersioned<DeploymentDoc>(deps.table, 'deployment', userOf(caller), query, projectFilterOf(query));
      return { items: page.items.map((item) => projectOnto(Deployment, item)), nextCursor: page.nextCursor };
    },
  }),
  route({
    key: 'GET /v1/deployments/{id}',
    operationId: 'getDeployment',
    summary: 'Read a deployment (by id, path or name), or one of its versions',
    access: 'user',
    params: IdParams,
    query: VersionQuery,
    response: Deployment,
    handle: async ({ caller, params, query }, deps) =>
      projectOnto(Deployment, await findDeployment(deps, userOf(caller), params.id, { version: query.version, need: 'read' })),
  }),
  route({
    key: 'PUT /v1/deployments/{id}',
    operationId: 'replaceDeployment',
    errors: [409],
    summary: 'Replace a deployment, creating its next version',
    access: 'user',
    params: IdParams,
    body: DeploymentUpdate,
    response: Deployment,
    async handle({ caller, params, body }, deps) {
      const who = userOf(caller);
      const current = await findDeployment(deps, who, params.id, { need: 'own' });
      const { version, ...fields } = body;
      const checked = await checkNodes(deps, who, fields);
      const next = { ...checked, id: current.id, owner: current.owner, createdAt: current.createdAt, updatedAt: deps.now().toISOString(), version };
      return projectOnto(Deployment, await updateVersioned(deps.table, 'deployment', current, version, next));
    },
  }),
  ...versionedRoutes({
    type: 'deployment',
    keys: { delete: 'DELETE /v1/deployments/{id}', versions: 'GET /v1/deployments/{id}/versions' },
    operationIds: { delete: 'deleteDeployment', versions: 'listDeploymentVersions' },
    find: findDeployment,
    schema: Deployment,
  }),
  ...grantRoutes({
    type: 'deployment',
    keys: { put: 'PUT /v1/deployments/{id}/grants', list: 'GET /v1/deployments/{id}/grants', delete: 'DELETE /v1/deployments/{id}/grants/{user}' },
    operationIds: { put: 'shareDeployment', list: 'listDeploymentGrants', delete: 'unshareDeployment' },
    find: findDeployment,
  }),
];
