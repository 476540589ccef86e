/**
 * Connector instances, configured by admins and read by everyone (users pick one
 * per run). A connector's name is its id: the item key itself keeps it unique.
 */
import type { ConnectorConfig, ConnectorKindName } from '#connectors/contract';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '#functions/domain/errors';
import { getItem, isConditionFailure, queryPage, type Page } from './items';
import { indexKeys, keys } from './keys';
import { liveRunsOn } from './live-use';
import { noNewUse, refuseWhileUsed, usersOf } from './references';
import { createWithName, updateVersioned } from './resources';
import { TABLE } from './table';
import type { TableClient } from './table-client';

/** A stored connector: its configuration and the fields every resource has. */
export type ConnectorRecord = ConnectorConfig & {
  id: string;
  owner: string;
  createdAt: string;
  updatedAt: string;
  version: number;
};

/** The fields an admin sets; `name` is fixed at creation. */
export type ConnectorChanges = Omit<ConnectorConfig, 'name'>;

const OPTIONAL = ['endpoint', 'zone', 'region', 'orphanGraceMinutes'] as const;

function toConnector(item: Record<string, unknown>): ConnectorRecord {
  // A cleared optional field is stored as null (see replaceConnector): shown as absent.
  const optional = Object.fromEntries(
    OPTIONAL.flatMap((field) => (typeof item[field] === 'string' || typeof item[field] === 'number' ? [[field, item[field]]] : [])),
  );
  return {
    id: String(item.id),
    owner: String(item.owner),
    name: String(item.name),
    kind: item.kind as ConnectorKindName,
    ...optional,
    defaultQuotaVms: Number(item.defaultQuotaVms),
    maxIaasWorkers: Number(item.maxIaasWorkers),
    settings: (item.settings ?? {}) as Record<string, unknown>,
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    version: Number(item.version),
  };
}

/** @throws ConflictError when a connector with that name exists */
export async function createConnector(table: TableClient, config: ConnectorConfig, owner: string, now: Date): Promise<ConnectorRecord> {
  const at = now.toISOString();
  const item = {
    ...keys.connector(config.name),
    ...indexKeys.byType('connector', config.name),
    ...config,
    id: config.name,
    owner,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  try {
    await createWithName(table, item);
  } catch (error) {
    if (error instanceof ConflictError) throw new ConflictError(`A connector named "${config.name}" exists already`);
    throw error;
  }
  return toConnector(item);
}

/** The connector named `name` (what the run steps open a cloud with), or undefined. */
export async function getConnector(table: TableClient, name: string): Promise<ConnectorRecord | undefined> {
  const item = await getItem(table, keys.connector(name));
  return item ? toConnector(item) : undefined;
}

/** Every connector, by name. */
export async function listConnectors(table: TableClient, page: { limit: number; cursor?: string }): Promise<Page<ConnectorRecord>> {
  const index = TABLE.indexes.byType;
  return queryPage(
    table,
    {
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index.partitionKey },
      ExpressionAttributeValues: { ':pk': indexKeys.byType('connector', '').gsi2pk },
    },
    page,
    toConnector,
  );
}

/**
 * Replaces a connector's configuration if its version is still `expected`.
 * @throws NotFoundError for an unknown connector; ConflictError for a stale version
 */
export async function replaceConnector(table: TableClient, name: string, expected: number, changes: ConnectorChanges, now: Date): Promise<ConnectorRecord> {
  // updateVersioned only SETs: an optional field left out is cleared by setting it to null.
  const cleared = Object.fromEntries(OPTIONAL.map((field) => [field, changes[field] ?? null]));
  return toConnector(await updateVersioned(table, keys.connector(name), expected, { ...changes, ...cleared }, now));
}

/**
 * Deletes a connector nothing uses any more. Runs with live VMs on it need it to
 * terminate them, and credentials for it would be left useless, so either refuses
 * (409, naming them): terminate the runs, delete the credentials, then the connector.
 * @throws NotFoundError for an unknown connector; ConflictError while it is in use
 */
export async function deleteConnector(table: TableClient, name: string): Promise<void> {
  // Read before looking for users: a credential made after this read bumps its counter, failing the delete.
  const item = await getItem(table, keys.connector(name));
  if (!item) throw new NotFoundError('connector not found');
  const refuse = async () => {
    const [runs, users] = await Promise.all([liveRunsOn(table, name), usersOf(table, 'connector', name)]);
    refuseWhileUsed(
      `connector ${name}`,
      [
        { what: 'live run(s)', ids: runs },
        { what: 'credential(s)', ids: users.filter((u) => u.type === 'credential').map((u) => u.id) },
      ],
      'terminate those runs and delete those credentials first',
    );
  };
  await refuse();
  const unchanged = noNewUse(item);
  try {
    await table.doc.send(
      new DeleteCommand({
        TableName: table.name,
        Key: keys.connector(name),
        ConditionExpression: `attribute_exists(pk) AND ${unchanged.condition}`,
        ExpressionAttributeNames: unchanged.names,
        ...(Object.keys(unchanged.values).length ? { ExpressionAttributeValues: unchanged.values } : {}),
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    await refuse();
    if (await getItem(table, keys.connector(name))) throw new ConflictError(`connector ${name} changed while being deleted; retry`);
    throw new NotFoundError('connector not found');
  }
}
