/** Sharing routes, the same for every version-controlled resource: grant, list and revoke. */
import type { AppDeps } from '#functions/commons/deps';
import { ValidationError } from '#functions/domain/errors';
import type { RouteKey } from '#functions/http/route-table';
import { IdParams } from '#functions/schemas/common';
import { Grant, GrantBody, GrantList, GrantParams } from '#functions/schemas/grants';
import { deleteGrant, listGrants, putGrant } from '#functions/store/grants';
import type { Visibility } from '#functions/store/resources';
import { getUser } from '#functions/store/users';
import type { Need, VersionedMeta, VersionedType } from '#functions/store/versioned';
import { userOf } from '../kit/auth';
import { route } from '../kit/route';

/** PUT, GET and DELETE of `…/grants` for `type`; only its owner (or an admin) uses them. */
export function grantRoutes(options: {
  type: VersionedType;
  keys: { put: RouteKey; list: RouteKey; delete: RouteKey };
  operationIds: { put: string; list: string; delete: string };
  find: (deps: AppDeps, who: Visibility, ref: string, options: { need: Need }) => Promise<VersionedMeta>;
}) {
  const { type, find } = options;
  const owned = (deps: AppDeps, caller: Parameters<typeof userOf>[0], ref: string) => find(deps, userOf(caller), ref, { need: 'own' });
  return [
    route({
      key: options.keys.put,
      operationId: options.operationIds.put,
      summary: `Share a ${type} with a user: "read" to see it, "run" also to ${type === 'image' ? 'use it in their images and deployments' : 'launch runs of it (the runs are theirs)'}`,
      access: 'user',
      params: IdParams.strict(),
      body: GrantBody,
      response: Grant,
      errors: [409],
      async handle({ caller, params, body }, deps) {
        const resource = await owned(deps, caller, params.id);
        if (body.user === resource.owner) throw new ValidationError('The owner needs no grant', [{ path: 'body.user', message: `the ${type}'s owner` }]);
        if (!(await getUser(deps.table, body.user))) throw new ValidationError('Unknown user', [{ path: 'body.user', message: `no user ${body.user}` }]);
        return putGrant(deps.table, type, resource.id, body, deps.now());
      },
    }),
    route({
      key: options.keys.list,
      operationId: options.operationIds.list,
      summary: `Who the ${type} is shared with`,
      access: 'user',
      params: IdParams.strict(),
      response: GrantList,
      async handle({ caller, params }, deps) {
        const resource = await owned(deps, caller, params.id);
        return { items: await listGrants(deps.table, type, resource.id), nextCursor: null };
      },
    }),
    route({
      key: options.keys.delete,
      operationId: options.operationIds.delete,
      summary: `Stop sharing a ${type} with a user (what they made with it keeps working: runs read the versions they recorded)`,
      access: 'user',
      params: GrantParams,
      status: 204,
      async handle({ caller, params }, deps) {
        const resource = await owned(deps, caller, params.id);
        await deleteGrant(deps.table, type, resource.id, params.user);
        return undefined;
      },
    }),
  ];
}
