/** The DELETE and versions routes, the same for every version-controlled resource. */
import { z } from 'zod';
import type { AppDeps } from '#functions/commons/deps';
import type { RouteKey } from '#functions/http/route-table';
import { keys } from '#functions/store/keys';
import { deleteWithName, type Visibility } from '#functions/store/resources';
import { listVersions, type VersionedMeta, type VersionedType } from '#functions/store/versioned';
import { userOf } from '../kit/auth';
import { route } from '../kit/route';
import { IdParams, PageQuery, pageOf } from '../schemas/common';

export function versionedRoutes(options: {
  type: VersionedType;
  keys: { delete: RouteKey; versions: RouteKey };
  find: (deps: AppDeps, who: Visibility, ref: string) => Promise<VersionedMeta>;
  schema: z.ZodType;
}) {
  const { type, find } = options;
  return [
    route({
      key: options.keys.delete,
      summary: `Delete a ${type} (its versions stay readable by the runs that used them)`,
      access: 'user',
      params: IdParams,
      status: 204,
      async handle({ caller, params }, deps) {
        const current = await find(deps, userOf(caller), params.id);
        await deleteWithName(deps.table, keys.head(type, current.id), { type, owner: current.owner, name: current.name });
        return undefined;
      },
    }),
    route({
      key: options.keys.versions,
      summary: `List a ${type}'s versions`,
      access: 'user',
      params: IdParams,
      query: PageQuery,
      response: pageOf(options.schema),
      async handle({ caller, params, query }, deps) {
        const current = await find(deps, userOf(caller), params.id);
        return listVersions(deps.table, type, current.id, query);
      },
    }),
  ];
}
