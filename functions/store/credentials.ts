/**
 * Users' cloud credentials: at most one per (user, connector), kept by a name
 * guard named after the connector. Secrets are stored only sealed; the views
 * this module returns carry the names of the secret fields, never their values.
 */
import type { z } from 'zod';
import type { ConnectorKindName } from '#connectors/contract';
import type { Credential as CredentialSchema } from '#functions/schemas/credentials';
import type { SealedSecret, SecretCipher } from '#functions/commons/secret-cipher';
import { newId } from '#functions/commons/ids';
import { ConflictError } from '#functions/domain/errors';
import { getItem, queryPage, type Page } from './items';
import { indexKeys, keys } from './keys';
import { liveRunsOn } from './live-use';
import { refuseWhileUsed, unuseItem, useItems } from './references';
import { createWithName, deleteWithName, getVisible, updateVersioned, type Visibility } from './resources';
import { TABLE } from './table';
import type { TableClient } from './table-client';

/** A credential as the API shows it. */
export type Credential = z.output<typeof CredentialSchema>;

/** What sealing a credential's secrets gives: stored as is. */
export interface SealedSecrets {
  sealed: SealedSecret;
  secretFields: string[];
}

/** Picks the shown fields, so a sealed secret can never slip into a response. */
function toCredential(item: Record<string, unknown>): Credential {
  return {
    id: String(item.id),
    owner: String(item.owner),
    connector: String(item.connector),
    kind: item.kind as ConnectorKindName,
    secretFields: Array.isArray(item.secretFields) ? item.secretFields.map(String) : [],
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    version: Number(item.version),
  };
}

const guard = (owner: string, connector: string) => ({ type: 'credential' as const, owner, name: connector });

/** Seals secrets with the deployment's cipher; only the field names stay readable. */
export async function sealSecrets(cipher: SecretCipher, secrets: Record<string, string>): Promise<SealedSecrets> {
  return { sealed: await cipher.seal(secrets), secretFields: Object.keys(secrets).sort() };
}

/** Opens a credential's secrets, for the steps that call the cloud. */
export async function openSecrets(cipher: SecretCipher, sealed: SealedSecret): Promise<Record<string, string>> {
  return cipher.open(sealed);
}

/** @throws ConflictError when the owner has a credential for that connector already */
export async function createCredential(
  table: TableClient,
  input: { owner: string; connector: string; kind: ConnectorKindName } & SealedSecrets,
  now: Date,
): Promise<Credential> {
  const at = now.toISOString();
  const id = newId('cred');
  const item = {
    ...keys.credential(id),
    ...indexKeys.byOwner('credential', input.owner, input.connector),
    ...indexKeys.byType('credential', `${at}#${id}`),
    id,
    ...input,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  try {
    // Recorded as a user of its connector, which the connector's delete then refuses on.
    const uses = useItems(table, { type: 'connector', id: input.connector, key: keys.connector(input.connector) }, { type: 'credential', id });
    await createWithName(table, item, guard(input.owner, input.connector), [], { items: uses, failed: `connector ${input.connector} was deleted meanwhile` });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const existing = await getItem(table, keys.uniqueName('credential', input.owner, input.connector));
    if (!existing) throw error;
    throw new ConflictError(`There is a credential for connector ${input.connector} already (${String(existing.id)}): replace its secrets with PUT`);
  }
  return toCredential(item);
}

/** A credential its owner or an admin may see; 404 for anyone else. */
export async function getVisibleCredential(table: TableClient, id: string, who: Visibility): Promise<Credential> {
  return toCredential(await getVisible<Record<string, unknown>>(table, keys.credential(id), who, 'credential'));
}

/** One user's credentials by connector name, or (no `owner`) everyone's, oldest first. */
export async function listCredentials(table: TableClient, owner: string | undefined, page: { limit: number; cursor?: string }): Promise<Page<Credential>> {
  const index = owner === undefined ? TABLE.indexes.byType : TABLE.indexes.byOwner;
  const pk = owner === undefined ? indexKeys.byType('credential', '').gsi2pk : indexKeys.byOwner('credential', owner, '').gsi1pk;
  return queryPage(
    table,
    {
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index.partitionKey },
      ExpressionAttributeValues: { ':pk': pk },
    },
    page,
    toCredential,
  );
}

/**
 * Replaces the secrets of a credential if its version is still `expected`.
 * @throws NotFoundError for an unknown credential; ConflictError for a stale version
 */
export async function replaceSecrets(table: TableClient, id: string, expected: number, secrets: SealedSecrets, now: Date): Promise<Credential> {
  return toCredential(await updateVersioned(table, keys.credential(id), expected, { ...secrets }, now));
}

/**
 * Deletes a credential no run needs any more, frees its (owner, connector) slot and its
 * record as a user of the connector. Runs with live VMs opened with it need it to
 * terminate them: while there are any, refuses (409, naming them).
 * @throws ConflictError while live runs use it; NotFoundError when it is gone
 */
export async function deleteCredential(table: TableClient, credential: Pick<Credential, 'id' | 'owner' | 'connector'>): Promise<void> {
  const runs = await liveRunsOn(table, credential.connector, credential.id);
  refuseWhileUsed(`credential ${credential.id}`, [{ what: 'live run(s)', ids: runs }], 'terminate them first');
  const uses = unuseItem(table, 'connector', credential.connector, { type: 'credential', id: credential.id });
  await deleteWithName(table, keys.credential(credential.id), guard(credential.owner, credential.connector), undefined, [uses]);
}

/** The credential `owner` holds for a connector, sealed, for the run steps; undefined when there is none. */
export async function credentialFor(table: TableClient, owner: string, connector: string): Promise<{ id: string; sealed: SealedSecret } | undefined> {
  const name = await getItem(table, keys.uniqueName('credential', owner, connector));
  if (!name) return undefined;
  const item = await getItem(table, keys.credential(String(name.id)));
  return item ? { id: String(item.id), sealed: item.sealed as SealedSecret } : undefined;
}

/** The sealed secrets of a credential, whoever owns it (steps open them to call the cloud). */
export async function readSealedSecrets(table: TableClient, id: string): Promise<SealedSecret | undefined> {
  const item = await getItem(table, keys.credential(id));
  return item ? (item.sealed as SealedSecret) : undefined;
}

/** Who holds a credential (the monitor names them as the owner of an orphan whose run is gone). */
export async function credentialOwner(table: TableClient, id: string): Promise<string | undefined> {
  const item = await getItem(table, keys.credential(id));
  return item ? String(item.owner) : undefined;
}
