/**
 * Routes that ask a connector's cloud live (images, instance types, zones) with the
 * caller's credential, and the kinds with their schemas: how a user fills in native
 * ids and credentials without a cloud console.
 */
import { isCloudError } from '#connectors/errors';
import { ForbiddenError, NotFoundError } from '#functions/domain/errors';
import { userOf } from '#functions/http/kit/auth';
import { CloudRefusedError, CloudUnavailableError } from '#functions/http/kit/http-errors';
import { route, type RouteSpec } from '#functions/http/kit/route';
import type { RouteKey } from '#functions/http/route-table';
import { ConnectorKindList, ConnectorParams, LookupList, LookupQuery } from '#functions/schemas/connectors';
import { describeKinds, lookUp, type Lookup } from '#functions/runs/connector-lookups';
import { getConnector } from '#functions/store/connectors';
import { credentialFor, getVisibleCredential } from '#functions/store/credentials';
import type { AppDeps } from '#functions/commons/deps';
import type { Caller } from '#functions/http/kit/auth';

/** A cloud's failure as the caller sees it: 502 when it refused, 503 when it may work later. */
function asHttpError(error: unknown): unknown {
  if (!isCloudError(error)) return error;
  return error.retryable ? new CloudUnavailableError(error.message) : new CloudRefusedError(error.message);
}

/** The credential to ask with: the one named (admins: any; users: their own), else the caller's for this connector. */
async function credentialToUse(deps: AppDeps, caller: Caller, connector: string, named: string | undefined): Promise<string> {
  const who = userOf(caller);
  if (named) {
    const credential = await getVisibleCredential(deps.table, named, who);
    if (credential.connector !== connector) throw new ForbiddenError(`credential ${named} is not for connector ${connector}`);
    return credential.id;
  }
  const own = await credentialFor(deps.table, who.userId, connector);
  if (!own) throw new ForbiddenError(`you have no credential for connector ${connector}: add one with POST /v1/credentials`);
  return own.id;
}

function lookupRoute(key: RouteKey, operationId: string, what: Lookup, summary: string): RouteSpec {
  return route({
    key,
    operationId,
    summary,
    access: 'user',
    params: ConnectorParams,
    query: LookupQuery,
    response: LookupList,
    errors: [502, 503],
    handle: async ({ caller, params, query }, deps) => {
      if (!(await getConnector(deps.table, params.name))) throw new NotFoundError('connector not found');
      const credential = await credentialToUse(deps, caller, params.name, query.credential);
      try {
        return { items: await lookUp(deps, params.name, credential, what) };
      } catch (error) {
        throw asHttpError(error);
      }
    },
  });
}

export const connectorLookupRoutes: RouteSpec[] = [
  route({
    key: 'GET /v1/connector-kinds',
    operationId: 'listConnectorKinds',
    summary: "The available connector kinds, each with the JSON Schema of its settings and of a credential's secrets",
    access: 'user',
    response: ConnectorKindList,
    handle: async () => ({ items: describeKinds() }),
  }),
  lookupRoute('GET /v1/connectors/{name}/images', 'listConnectorImages', 'images', "The images the connector's cloud offers, asked live with your credential"),
  lookupRoute(
    'GET /v1/connectors/{name}/instance-types',
    'listConnectorInstanceTypes',
    'instance-types',
    "The instance types (sizes) the connector's cloud offers, asked live",
  ),
  lookupRoute('GET /v1/connectors/{name}/zones', 'listConnectorZones', 'zones', "The zones or regions the connector's cloud offers, asked live"),
];
