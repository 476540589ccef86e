/**
 * Image builds: `POST /v1/images/{id}/build` starts one build per connector (each its own execution of the
 * build state machine, named after the build id); a build's owner (or an admin) reads and cancels it; the
 * builder VM reports with its build token at `PUT /v1/builds/{id}/parameters/builder.1:<name>`.
 */
import type { AppDeps } from '#functions/commons/deps';
import { idFrom, newId } from '#functions/commons/ids';
import { BUILDER_INSTANCE, isFinalBuild } from '#functions/domain/builds';
import { ConflictError, ForbiddenError, NotFoundError } from '#functions/domain/errors';
import { planBuild, startBuildExecution } from '#functions/runs/image-builds';
import { Build, BuildListQuery, BuildPage, BuildsStarted, StartBuildBody } from '#functions/schemas/builds';
import { IdParams, LIMITS } from '#functions/schemas/common';
import { ParamName } from '#functions/schemas/images';
import { getBuild, listBuilds, putBuild, reportBuildParameter, setBuildFields, type BuildDoc } from '#functions/store/builds';
import { resolveRef } from '#functions/store/resources';
import * as z from 'zod';
import { userOf, type Caller } from '../kit/auth';
import { projectOnto } from '../kit/project';
import { route, type RouteSpec } from '../kit/route';
import { findImage } from './images';

const toBuild = (build: BuildDoc) => projectOnto(Build, build);

/** A build its owner (or an admin) may see; anyone else gets 404. */
async function visibleBuild(deps: AppDeps, caller: Caller, id: string): Promise<BuildDoc> {
  const build = await getBuild(deps.table, id);
  const { userId, isAdmin } = userOf(caller);
  if (!build || (build.owner !== userId && !isAdmin)) throw new NotFoundError(`build ${id} not found`);
  return build;
}

const BuildParameterParams = z.object({
  id: z.string().min(1).max(LIMITS.idLength),
  parameter: z.string().regex(/^builder\.1:[A-Za-z0-9_.-]{1,64}$/, '"builder.1:<name>"'),
});
const ParameterValue = z.strictObject({ value: z.string().max(LIMITS.valueLength) });
const Parameter = z.object({ name: z.string(), value: z.string() });

export const buildRoutes: RouteSpec[] = [
  route({
    key: 'POST /v1/images/{id}/build',
    operationId: 'buildImage',
    errors: [409],
    summary:
      "Build the image on clouds: per connector a VM from the parent's native image runs the recipe, is snapshotted and terminated; the image's next version holds the built ids",
    access: 'user',
    params: IdParams,
    body: StartBuildBody,
    response: BuildsStarted,
    status: 202,
    async handle({ caller, params, body, idempotencyKey }, deps) {
      const who = userOf(caller);
      const image = await findImage(deps, who, params.id, { need: 'own' });
      const planned: BuildDoc[] = [];
      for (const [index, connector] of body.connectors.entries()) {
        // With an Idempotency-Key the ids come from it: a retry after a crash finds the builds the first attempt made.
        const buildId = idempotencyKey ? idFrom('bld', `${who.userId}\n${idempotencyKey}\n${connector}`) : newId('bld');
        planned.push(await planBuild(deps, image, connector, { buildId, index }));
      }
      const builds: BuildDoc[] = [];
      for (const build of planned) {
        const made = (await putBuild(deps.table, build)) ? build : await getBuild(deps.table, build.id);
        if (!made || made.owner !== build.owner) throw new ConflictError('a build with this Idempotency-Key exists already');
        await startBuildExecution(deps, made.id);
        builds.push(made);
      }
      return { builds: builds.map(toBuild) };
    },
  }),
  route({
    key: 'GET /v1/builds',
    operationId: 'listBuilds',
    summary: 'List your image builds, oldest first (an admin: every build); ?image= narrows to one image',
    access: 'user',
    query: BuildListQuery,
    response: BuildPage,
    async handle({ caller, query }, deps) {
      const who = userOf(caller);
      const { image: ref, ...page } = query;
      const image = ref ? ((await resolveRef(deps.table, 'image', who.userId, ref, 'img')) ?? ref) : undefined;
      const found = await listBuilds(deps.table, { owner: who.isAdmin ? undefined : who.userId, image }, page);
      return { items: found.items.map(toBuild), nextCursor: found.nextCursor };
    },
  }),
  route({
    key: 'GET /v1/builds/{id}',
    operationId: 'getBuild',
    summary: 'Read an image build with its steps (its owner, admins)',
    access: 'user',
    params: IdParams,
    response: Build,
    handle: async ({ caller, params }, deps) => toBuild(await visibleBuild(deps, caller, params.id)),
  }),
  route({
    key: 'POST /v1/builds/{id}/cancel',
    operationId: 'cancelBuild',
    summary: 'Cancel an image build: at its next look it ends Cancelled, its half image deleted and its builder VM terminated (200 once ended too)',
    access: 'user',
    params: IdParams,
    response: Build,
    status: 200,
    async handle({ caller, params }, deps) {
      const build = await visibleBuild(deps, caller, params.id);
      if (isFinalBuild(build.state) || build.cancelRequested) return toBuild(build);
      await setBuildFields(deps.table, build.id, { cancelRequested: `cancelled by ${userOf(caller).userId}` }, deps.now());
      return toBuild((await getBuild(deps.table, build.id)) ?? build);
    },
  }),
  route({
    key: 'PUT /v1/builds/{id}/parameters/{parameter}',
    operationId: 'reportBuildParameter',
    summary: 'How a builder VM reports with its build token: "builder.1:ready" = "true" when its recipe is done, "builder.1:failed" = why it failed',
    access: 'user-or-run-token',
    params: BuildParameterParams,
    body: ParameterValue,
    response: Parameter,
    async handle({ caller, params, body }, deps) {
      const build = caller.kind === 'run' ? await getBuild(deps.table, params.id) : await visibleBuild(deps, caller, params.id);
      if (!build || (caller.kind === 'run' && caller.runId !== build.id)) throw new NotFoundError(`build ${params.id} not found`);
      if (isFinalBuild(build.state)) throw new ForbiddenError(`build ${build.id} is ${build.state}`);
      const name = ParamName.parse(params.parameter.slice(BUILDER_INSTANCE.length + 1));
      await reportBuildParameter(deps.table, build.id, name, body.value, deps.now());
      return { name: params.parameter, value: body.value };
    },
  }),
];
