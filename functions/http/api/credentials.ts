/**
 * Routes of `/v1/credentials`: a user's secrets for a connector, checked against
 * the connector kind's schema, sealed before they are stored, and never returned.
 */
import { connectorKind } from '#connectors/registry';
import type { AppDeps } from '#functions/commons/deps';
import { ConflictError, ValidationError } from '#functions/domain/errors';
import { userOf } from '#functions/http/kit/auth';
import { route, type RouteSpec } from '#functions/http/kit/route';
import { nestedIssues } from '#functions/schemas/connectors';
import { CreateCredentialBody, Credential, CredentialListQuery, CredentialPage, CredentialParams, ReplaceCredentialBody } from '#functions/schemas/credentials';
import { getConnector, type ConnectorRecord } from '#functions/store/connectors';
import { createCredential, deleteCredential, getVisibleCredential, listCredentials, replaceSecrets, sealSecrets } from '#functions/store/credentials';
import { readerFor } from './users';

/**
 * Checks secrets against the kind of `connector` and seals them.
 * @throws ValidationError listing every bad secret field (by name: values are never echoed)
 */
async function sealFor(deps: AppDeps, connector: ConnectorRecord, secrets: Record<string, string>) {
  const parsed = connectorKind(connector.kind).secretsSchema.safeParse(secrets);
  if (!parsed.success) {
    const errors = nestedIssues(parsed.error, ['body', 'secrets']).map(({ path, message }) => ({ path: path.join('.'), message }));
    throw new ValidationError(`The secrets do not fit connector kind ${connector.kind}`, errors);
  }
  return sealSecrets(deps.cipher(), parsed.data);
}

export const credentialRoutes: RouteSpec[] = [
  route({
    key: 'POST /v1/credentials',
    operationId: 'createCredential',
    summary: 'Store your credential for a connector (one per connector); secrets are write-only',
    access: 'user',
    body: CreateCredentialBody,
    response: Credential,
    handle: async ({ caller, body }, deps) => {
      const connector = await getConnector(deps.table, body.connector);
      if (!connector) {
        throw new ValidationError('Unknown connector', [{ path: 'body.connector', message: `no connector named ${body.connector}` }]);
      }
      const sealed = await sealFor(deps, connector, body.secrets);
      return createCredential(deps.table, { owner: userOf(caller).userId, connector: connector.name, kind: connector.kind, ...sealed }, deps.now());
    },
  }),
  route({
    key: 'GET /v1/credentials',
    operationId: 'listCredentials',
    summary: "List your credentials (an admin: everyone's, or one user's with ?user=)",
    access: 'user',
    query: CredentialListQuery,
    response: CredentialPage,
    handle: ({ caller, query }, deps) => {
      const { user, ...page } = query;
      const everyone = user === undefined && userOf(caller).isAdmin;
      return listCredentials(deps.table, everyone ? undefined : readerFor(caller, user), page);
    },
  }),
  route({
    key: 'GET /v1/credentials/{id}',
    operationId: 'getCredential',
    summary: 'Read a credential (without its secrets)',
    access: 'user',
    params: CredentialParams,
    response: Credential,
    handle: ({ caller, params }, deps) => getVisibleCredential(deps.table, params.id, userOf(caller)),
  }),
  route({
    key: 'PUT /v1/credentials/{id}',
    operationId: 'replaceCredential',
    errors: [409],
    summary: "Replace a credential's secrets (send the version you read)",
    access: 'user',
    params: CredentialParams,
    body: ReplaceCredentialBody,
    response: Credential,
    handle: async ({ caller, params, body }, deps) => {
      const credential = await getVisibleCredential(deps.table, params.id, userOf(caller));
      const connector = await getConnector(deps.table, credential.connector);
      if (!connector) throw new ConflictError(`Connector ${credential.connector} no longer exists: delete this credential`);
      const sealed = await sealFor(deps, connector, body.secrets);
      return replaceSecrets(deps.table, params.id, body.version, sealed, deps.now());
    },
  }),
  route({
    key: 'DELETE /v1/credentials/{id}',
    operationId: 'deleteCredential',
    summary: 'Delete a credential no live run needs to terminate its VMs (409 names the runs)',
    access: 'user',
    params: CredentialParams,
    status: 204,
    errors: [409],
    handle: async ({ caller, params }, deps) => {
      await deleteCredential(deps.table, await getVisibleCredential(deps.table, params.id, userOf(caller)));
      return undefined;
    },
  }),
];
