/**
 * A user's API keys. Each key is an item of its own, `APIKEY#<hash>` (what `identify`
 * reads), holding the user, its prefix and its expiry; the user item lists the hashes
 * (`keyHashes`), so listing, revoking and deleting the user reach every key. A key's id
 * is derived from its hash: it names the key without revealing anything of it.
 */
import { BatchGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { hashToken, newSecretToken } from '#functions/commons/api-keys';
import { ConflictError, NotFoundError } from '#functions/domain/errors';
import type { ApiKey as ApiKeySchema, ROLES } from '#functions/schemas/users';

type Role = (typeof ROLES)[number];
import { keyPrefix } from './api-key-holders';
import { getItem, isConditionFailure } from './items';
import { keys } from './keys';
import type { TableClient } from './table-client';

export type ApiKey = z.output<typeof ApiKeySchema>;

/** Keys one user may hold through the API; a transaction that deletes a user must fit them all. */
export const MAX_KEYS_PER_USER = 20;

/** The hashes of the keys a user item lists. */
export const keyHashesOf = (item: Record<string, unknown>): string[] => (Array.isArray(item.keyHashes) ? item.keyHashes.map(String) : []);

/** A key's public id: a short digest of its hash. */
export const keyIdOf = (hash: string): string => `key_${hash.slice(0, 16)}`;

/**
 * The item that makes `token` open `userId`'s account (until `expiresAt`, when given).
 * It carries the user's role (roles never change), so a request is identified with one read.
 */
export function keyItem(token: string, userId: string, role: Role, now: Date, expiresAt?: string): Record<string, unknown> & { pk: string; sk: string } {
  return {
    ...keys.apiKey(hashToken(token)),
    userId,
    role,
    prefix: keyPrefix(token),
    createdAt: now.toISOString(),
    ...(expiresAt ? { expiresAt } : {}),
  };
}

function toApiKey(hash: string, item: Record<string, unknown> | undefined): ApiKey {
  return {
    id: keyIdOf(hash),
    ...(typeof item?.prefix === 'string' ? { prefix: item.prefix } : {}),
    createdAt: String(item?.createdAt),
    ...(typeof item?.expiresAt === 'string' ? { expiresAt: item.expiresAt } : {}),
  };
}

/**
 * Makes `token` a key of a user whose version is still `expected`: its item, and its hash on the user.
 * @throws ConflictError when the user changed meanwhile
 */
export async function appendKey(
  table: TableClient,
  userId: string,
  role: Role,
  expected: number,
  token: string,
  now: Date,
  expiresAt?: string,
): Promise<Record<string, unknown>> {
  const item = keyItem(token, userId, role, now, expiresAt);
  try {
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table.name,
              Key: keys.user(userId),
              UpdateExpression: 'SET keyHashes = list_append(keyHashes, :hash), updatedAt = :now, #version = #version + :one',
              ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':hash': [hashToken(token)], ':now': now.toISOString(), ':one': 1, ':expected': expected },
            },
          },
          { Put: { TableName: table.name, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new ConflictError('The user changed while the key was being added; retry');
    throw error;
  }
  return item;
}

/**
 * Makes another API key for a user, returned in clear this once, with what lists show of it.
 * @throws NotFoundError for an unknown user; ConflictError past MAX_KEYS_PER_USER keys
 */
export async function addApiKey(
  table: TableClient,
  userId: string,
  options: { expiresAt?: string },
  now: Date,
): Promise<{ user: Record<string, unknown>; apiKey: string; key: ApiKey }> {
  const user = await getItem(table, keys.user(userId));
  if (!user) throw new NotFoundError('user not found');
  if (keyHashesOf(user).length >= MAX_KEYS_PER_USER) throw new ConflictError(`A user may hold at most ${MAX_KEYS_PER_USER} API keys`);
  const apiKey = newSecretToken('slw');
  const item = await appendKey(table, userId, user.role as Role, Number(user.version), apiKey, now, options.expiresAt);
  const hash = hashToken(apiKey);
  return {
    user: { ...user, keyHashes: [...keyHashesOf(user), hash], updatedAt: now.toISOString(), version: Number(user.version) + 1 },
    apiKey,
    key: toApiKey(hash, item),
  };
}

/**
 * A user's keys, oldest first (at most MAX_KEYS_PER_USER, one batch read).
 * @throws NotFoundError for an unknown user
 */
export async function listApiKeys(table: TableClient, userId: string): Promise<ApiKey[]> {
  const user = await getItem(table, keys.user(userId));
  if (!user) throw new NotFoundError('user not found');
  const hashes = keyHashesOf(user);
  const found = new Map<string, Record<string, unknown>>();
  // BatchGetItem reads at most 100 keys a call; the admin's seeded keys are not capped, so read in chunks.
  for (let i = 0; i < hashes.length; i += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
      [table.name]: { Keys: hashes.slice(i, i + 100).map((h) => keys.apiKey(h)) },
    };
    while (request && Object.keys(request).length) {
      const out = await table.doc.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of out.Responses?.[table.name] ?? []) found.set(String(item.pk), item);
      request = out.UnprocessedKeys as typeof request;
    }
  }
  return hashes.map((hash) => toApiKey(hash, found.get(keys.apiKey(hash).pk))).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/**
 * Revokes one of a user's keys: it stops working at once.
 * @throws NotFoundError for an unknown user or key; ConflictError when the user kept changing
 */
export async function revokeApiKey(table: TableClient, userId: string, keyId: string, now: Date): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const user = await getItem(table, keys.user(userId));
    if (!user) throw new NotFoundError('user not found');
    const hashes = keyHashesOf(user);
    const index = hashes.findIndex((hash) => keyIdOf(hash) === keyId);
    if (index < 0) throw new NotFoundError(`user ${userId} has no API key ${keyId}`);
    try {
      await table.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table.name,
                Key: keys.user(userId),
                UpdateExpression: `REMOVE keyHashes[${index}] SET updatedAt = :now, #version = #version + :one`,
                // The list must not have moved under the index: the version says it has not.
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':now': now.toISOString(), ':one': 1, ':expected': Number(user.version) },
              },
            },
            { Delete: { TableName: table.name, Key: keys.apiKey(hashes[index]!) } },
          ],
        }),
      );
      return;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  throw new ConflictError('The user kept changing while the key was being revoked; retry');
}
