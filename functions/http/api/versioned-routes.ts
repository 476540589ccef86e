/** The DELETE and versions routes, the same for every version-controlled resource. */
import type { z } from 'zod';
import type { AppDeps } from '#functions/commons/deps';
import type { RouteKey } from '#functions/http/route-table';
import type { Visibility } from '#functions/store/resources';
import { listVersions, type Need, type VersionedMeta, type VersionedType } from '#functions/store/versioned';
import { deleteVersioned } from '#functions/store/versioned-removal';
import { userOf } from '../kit/auth';
import { projectOnto } from '../kit/project';
import { route } from '../kit/route';
import { IdParams, PageQuery, pageOf } from '#functions/schemas/common';

/** DELETE and `…/versions` for `type`; `operationIds` name them in the document. */
export function versionedRoutes<S extends z.ZodObject>(options: {
  type: VersionedType;
  keys: { delete: RouteKey; versions: RouteKey };
  operationIds: { delete: string; versions: string };
  find: (deps: AppDeps, who: Visibility, ref: string, options: { need: Need }) => Promise<VersionedMeta>;
  schema: S;
}) {
  const { type, find, schema } = options;
  return [
    route({
      key: options.keys.delete,
      operationId: options.operationIds.delete,
      summary:
        type === 'image'
          ? 'Delete an image no deployment or other image uses (409 names them); its versions stay readable by the runs that used them'
          : 'Delete a deployment; its versions stay readable, so its live runs finish and terminate as they were launched',
      access: 'user',
      params: IdParams,
      status: 204,
      errors: [409],
      async handle({ caller, params }, deps) {
        await deleteVersioned(deps.table, type, await find(deps, userOf(caller), params.id, { need: 'own' }));
        return undefined;
      },
    }),
    route({
      key: options.keys.versions,
      operationId: options.operationIds.versions,
      summary: `List a ${type}'s versions, oldest first`,
      access: 'user',
      params: IdParams,
      query: PageQuery,
      response: pageOf(schema),
      async handle({ caller, params, query }, deps) {
        const current = await find(deps, userOf(caller), params.id, { need: 'read' });
        const page = await listVersions<object>(deps.table, type, current.id, query);
        return { items: page.items.map((item) => projectOnto(schema, item)), nextCursor: page.nextCursor };
      },
    }),
  ];
}
