/** Routes of `/v1/quotas` and `/v1/usage`: what each user may hold, and what they used. */
import { NotFoundError } from '#functions/domain/errors';
import { route, type RouteSpec } from '#functions/http/kit/route';
import { Quota, QuotaListQuery, QuotaPage, QuotaParams, SetQuotaBody, UsagePage, UsageQuery, usageRange } from '#functions/schemas/quotas';
import { getConnector } from '#functions/store/connectors';
import { listQuotas, setQuotaOverride } from '#functions/store/quotas';
import { listUsage } from '#functions/store/usage';
import { getUser } from '#functions/store/users';
import { readerFor } from './users';

export const quotaRoutes: RouteSpec[] = [
  route({
    key: 'GET /v1/quotas',
    operationId: 'listQuotas',
    errors: [404],
    summary: 'Your quota on every connector: the VMs you may hold and the VMs in use (an admin may ask for ?user=)',
    access: 'user',
    query: QuotaListQuery,
    response: QuotaPage,
    handle: async ({ caller, query }, deps) => {
      const { user, ...page } = query;
      const reader = readerFor(caller, user);
      if (!(await getUser(deps.table, reader))) throw new NotFoundError('user not found');
      return listQuotas(deps.table, reader, page);
    },
  }),
  route({
    key: 'PUT /v1/quotas/{user}/{connector}',
    operationId: 'setQuota',
    summary: "Override a user's quota on a connector (null goes back to the connector's default)",
    access: 'admin',
    params: QuotaParams,
    body: SetQuotaBody,
    response: Quota,
    handle: async ({ params, body }, deps) => {
      const [user, connector] = await Promise.all([getUser(deps.table, params.user), getConnector(deps.table, params.connector)]);
      if (!user) throw new NotFoundError('user not found');
      if (!connector) throw new NotFoundError('connector not found');
      return setQuotaOverride(deps.table, user.id, connector, body.maxVms, deps.now());
    },
  }),
  route({
    key: 'GET /v1/usage',
    operationId: 'listUsage',
    summary: 'Your usage records (VM-seconds per day, connector and run) between two days, by default this UTC month up to today (an admin may ask for ?user=)',
    access: 'user',
    query: UsageQuery,
    response: UsagePage,
    // No check that the user still exists: a deleted user's usage is still billed.
    handle: ({ caller, query }, deps) => {
      const { user, from, to, ...page } = query;
      return listUsage(deps.table, readerFor(caller, user), usageRange({ from, to }, deps.now()), page);
    },
  }),
];
