/** Images: version-controlled, with inheritance through `parent`. */
import { ValidationError } from '#functions/domain/errors';
import { loadChain, type ImageDoc } from '#functions/domain/images';
import { projectFilterOf } from '#functions/domain/projects';
import { newId } from '#functions/commons/ids';
import type { AppDeps } from '#functions/commons/deps';
import { resolveRef, type Visibility } from '#functions/store/resources';
import { createVersioned, getVersioned, listVersioned, updateVersioned, type Need, type VersionedMeta } from '#functions/store/versioned';
import { userOf } from '../kit/auth';
import { route } from '../kit/route';
import { projectOnto } from '../kit/project';
import { grantRoutes } from './grant-routes';
import { versionedRoutes } from './versioned-routes';
import { IdParams, VersionQuery } from '#functions/schemas/common';
import { CreateImageBody, Image, ImageListQuery, ImagePage, ImageUpdate, type ImageInputT } from '#functions/schemas/images';

type ImageItem = ImageDoc & VersionedMeta;

/**
 * An image by id, path or name (paths and names are the caller's own; a shared image
 * goes by its id; a bare name is looked for in project `within` first), if the caller
 * may use it as `need` says (default: read).
 */
export async function findImage(
  deps: AppDeps,
  who: Visibility,
  ref: string,
  options: { version?: number; need?: Need; within?: string } = {},
): Promise<ImageItem> {
  const id = (await resolveRef(deps.table, 'image', who.userId, ref, 'img', options.within)) ?? ref;
  return getVersioned<ImageItem>(deps.table, 'image', id, who, options);
}

async function resolveParent(deps: AppDeps, who: Visibility, input: ImageInputT, selfId?: string): Promise<string | undefined> {
  if (!input.parent) return undefined;
  // Building on an image someone shared needs a `run` grant, as using it in a deployment does.
  const parent = await findImage(deps, who, input.parent, { need: 'run', within: input.project }).catch(() => undefined);
  if (!parent) throw new ValidationError('Unknown parent image', [{ path: 'body.parent', message: `no image "${input.parent}"` }]);
  if (selfId) {
    const chain = await loadChain(parent, (id) => getVersioned<ImageItem>(deps.table, 'image', id, { userId: '', isAdmin: true }).catch(() => undefined)).catch(
      () => [],
    );
    if (parent.id === selfId || chain.some((i) => i.id === selfId)) {
      throw new ValidationError('The parent chain would form a cycle', [{ path: 'body.parent', message: 'an image cannot descend from itself' }]);
    }
  }
  return parent.id;
}

export const imageRoutes = [
  route({
    key: 'POST /v1/images',
    operationId: 'createImage',
    summary: 'Create an image',
    access: 'user',
    body: CreateImageBody,
    response: Image,
    async handle({ caller, body }, deps) {
      const who = userOf(caller);
      const now = deps.now().toISOString();
      const parent = await resolveParent(deps, who, body);
      const doc = { ...body, parent, id: newId('img'), owner: who.userId, version: 1, createdAt: now, updatedAt: now };
      return projectOnto(Image, await createVersioned(deps.table, 'image', doc));
    },
  }),
  route({
    key: 'GET /v1/images',
    operationId: 'listImages',
    summary: "List images (by path; an admin: everyone's), of one project with ?project=",
    access: 'user',
    query: ImageListQuery,
    response: ImagePage,
    async handle({ caller, query }, deps) {
      const page = await listVersioned<ImageItem>(deps.table, 'image', userOf(caller), query, projectFilterOf(query));
      return { items: page.items.map((item) => projectOnto(Image, item)), nextCursor: page.nextCursor };
    },
  }),
  route({
    key: 'GET /v1/images/{id}',
    operationId: 'getImage',
    summary: 'Read an image (by id, path or name), or one of its versions',
    access: 'user',
    params: IdParams,
    query: VersionQuery,
    response: Image,
    handle: async ({ caller, params, query }, deps) => projectOnto(Image, await findImage(deps, userOf(caller), params.id, { version: query.version })),
  }),
  route({
    key: 'PUT /v1/images/{id}',
    operationId: 'replaceImage',
    errors: [409],
    summary: 'Replace an image, creating its next version',
    access: 'user',
    params: IdParams,
    body: ImageUpdate,
    response: Image,
    async handle({ caller, params, body }, deps) {
      const who = userOf(caller);
      const current = await findImage(deps, who, params.id, { need: 'own' });
      const parent = await resolveParent(deps, who, body, current.id);
      const { version, ...fields } = body;
      const next = { ...fields, parent, id: current.id, owner: current.owner, createdAt: current.createdAt, updatedAt: deps.now().toISOString(), version };
      return projectOnto(Image, await updateVersioned(deps.table, 'image', current, version, next));
    },
  }),
  ...versionedRoutes({
    type: 'image',
    keys: { delete: 'DELETE /v1/images/{id}', versions: 'GET /v1/images/{id}/versions' },
    operationIds: { delete: 'deleteImage', versions: 'listImageVersions' },
    find: findImage,
    schema: Image,
  }),
  ...grantRoutes({
    type: 'image',
    keys: { put: 'PUT /v1/images/{id}/grants', list: 'GET /v1/images/{id}/grants', delete: 'DELETE /v1/images/{id}/grants/{user}' },
    operationIds: { put: 'shareImage', list: 'listImageGrants', delete: 'unshareImage' },
    find: findImage,
  }),
];
