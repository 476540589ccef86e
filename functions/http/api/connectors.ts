/** Routes of `/v1/connectors`: admins configure connector instances, every user reads them to pick one. */
import { connectorKind } from '#connectors/registry';
import { NotFoundError, ValidationError } from '#functions/domain/errors';
import { userOf } from '#functions/http/kit/auth';
import { route, type RouteSpec } from '#functions/http/kit/route';
import { Connector, ConnectorListQuery, ConnectorPage, ConnectorParams, CreateConnectorBody, ReplaceConnectorBody } from '#functions/schemas/connectors';
import { createConnector, deleteConnector, getConnector, listConnectors, replaceConnector } from '#functions/store/connectors';

/** The kind's settings with its defaults filled in (the schema has checked them already). */
const withDefaults = (kind: string, settings: Record<string, unknown>) => connectorKind(kind).settingsSchema.parse(settings);

export const connectorRoutes: RouteSpec[] = [
  route({
    key: 'POST /v1/connectors',
    operationId: 'createConnector',
    summary: 'Configure a connector instance (its name is its id)',
    access: 'admin',
    body: CreateConnectorBody,
    response: Connector,
    handle: ({ caller, body }, deps) =>
      createConnector(deps.table, { ...body, settings: withDefaults(body.kind, body.settings) }, userOf(caller).userId, deps.now()),
  }),
  route({
    key: 'GET /v1/connectors',
    operationId: 'listConnectors',
    summary: 'List connectors by name',
    access: 'user',
    query: ConnectorListQuery,
    response: ConnectorPage,
    handle: ({ query }, deps) => listConnectors(deps.table, query),
  }),
  route({
    key: 'GET /v1/connectors/{name}',
    operationId: 'getConnector',
    summary: 'Read a connector',
    access: 'user',
    params: ConnectorParams,
    response: Connector,
    handle: async ({ params }, deps) => {
      const connector = await getConnector(deps.table, params.name);
      if (!connector) throw new NotFoundError('connector not found');
      return connector;
    },
  }),
  route({
    key: 'PUT /v1/connectors/{name}',
    operationId: 'replaceConnector',
    errors: [409],
    summary: "Replace a connector's configuration (send the version you read; its kind cannot change)",
    access: 'admin',
    params: ConnectorParams,
    body: ReplaceConnectorBody,
    response: Connector,
    handle: async ({ params, body }, deps) => {
      const current = await getConnector(deps.table, params.name);
      if (!current) throw new NotFoundError('connector not found');
      if (body.kind !== current.kind) {
        const message = `a connector's kind cannot change (it is ${current.kind}): create another connector`;
        throw new ValidationError(message, [{ path: 'body.kind', message }]);
      }
      const { version, ...changes } = body;
      return replaceConnector(deps.table, params.name, version, { ...changes, settings: withDefaults(body.kind, body.settings) }, deps.now());
    },
  }),
  route({
    key: 'DELETE /v1/connectors/{name}',
    operationId: 'deleteConnector',
    summary: 'Delete a connector no live run and no credential uses (409 names them)',
    access: 'admin',
    params: ConnectorParams,
    status: 204,
    errors: [409],
    handle: async ({ params }, deps) => {
      await deleteConnector(deps.table, params.name);
      return undefined;
    },
  }),
];
